"""Messages by Accept-Language: zh-CN or English, the same codes either way."""
import pytest

from server import i18n
from tests.factories import mutation, task_in, task_path

PUSH = "/api/v1/sync/push"


def both(api, method: str, path: str, **kwargs):
    """The same request in English and in Chinese."""
    return [api.request(method, path, headers={"Accept-Language": language}, **kwargs)
            for language in ("en", "zh-CN,zh;q=0.9,en;q=0.5")]


def test_the_same_invalid_push_gets_the_same_codes_in_each_language(api):
    """A malformed mutation is rejected in its receipt; a malformed envelope is a 422. Same codes, two languages."""
    en, zh = both(api, "POST", PUSH, as_="crew", json={"mutations": [{"type": "survey", "op": "update"}]})
    assert en.status_code == zh.status_code == 200
    assert (en.headers["Content-Language"], zh.headers["Content-Language"]) == ("en", "zh-CN")
    en_errors, zh_errors = en.json["receipts"][0]["errors"], zh.json["receipts"][0]["errors"]
    assert [(e["code"], e["field"]) for e in en_errors] == [(e["code"], e["field"]) for e in zh_errors] == [
        ("validation_error", "mutation_id"), ("validation_error", "id"), ("validation_error", "device_time")]
    assert {e["message"] for e in en_errors} == {"Missing data for required field."}
    assert {e["message"] for e in zh_errors} == {"缺少必填字段。"}

    en, zh = both(api, "POST", PUSH, as_="crew", json={"mutation": []})
    assert en.status_code == zh.status_code == 422
    assert (en.json["code"], en.json["field"]) == (zh.json["code"], zh.json["field"]) == ("validation_error",
                                                                                        "mutations")
    assert (en.json["message"], zh.json["message"]) == ("mutations: Missing data for required field.",
                                                        "mutations: 缺少必填字段。")
    assert [e["message"] for e in zh.json["details"]["errors"]] == ["缺少必填字段。", "未知字段。"]


def test_a_rejected_mutations_errors_are_translated_in_its_receipt(api):
    task_id = task_in(api, "on_site")
    survey = api.get(task_path(task_id), as_="crew").json["surveys"][0]
    body = {"mutations": [mutation("survey", survey["id"], base_version=survey["version"], meter_dn="DN40")]}
    en, zh = both(api, "POST", PUSH, as_="crew", json=body)
    (en_error,), (zh_error,) = en.json["receipts"][0]["errors"], zh.json["receipts"][0]["errors"]
    assert (en_error["code"], en_error["field"]) == (zh_error["code"], zh_error["field"]) == (
        "validation_error", "fields.meter_dn")
    assert (en_error["message"], zh_error["message"]) == ("Not a valid integer.", "不是有效的整数。")


def test_an_error_is_translated_by_its_code_with_its_details(api):
    missing = "/api/v1/users/00000000-0000-0000-0000-000000000000"
    en, zh = both(api, "GET", missing, as_="admin")
    assert en.json["code"] == zh.json["code"] == "not_found"
    assert (en.json["message"], zh.json["message"]) == (
        "User 00000000-0000-0000-0000-000000000000 not found", "未找到User 00000000-0000-0000-0000-000000000000")


def test_no_accept_language_is_the_configured_default(app, api, monkeypatch):
    assert api.get("/api/v1/users/x", as_="admin").headers["Content-Language"] == "en"
    monkeypatch.setitem(app.config, "DEFAULT_LOCALE", "zh-CN")
    assert api.get("/api/v1/users/x", as_="admin").json["message"] == "未找到"


@pytest.mark.parametrize("english, chinese", [
    ("Length must be between 1 and 64.", "长度必须在 1 到 64 之间。"),
    ("Must be one of: water, gas.", "必须是以下之一：water, gas。"),
    ("Something nobody translated.", "Something nobody translated."),
])
def test_templates_carry_their_parameters_into_chinese(english, chinese):
    assert i18n.text(english) == chinese
