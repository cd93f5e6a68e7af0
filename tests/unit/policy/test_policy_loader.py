"""Loading profiles: the packaged five load, and a broken profile is refused naming its file and rule."""

import json

import pytest

from policy import ProfileError, load_profiles

HEADER = """
id = "testville"
name_zh = "测试市"
name_en = "Testville"
version = "1.0"
effective_date = 2023-01-12
source_seed = "000_87ffbf2a7ff4b79d.txt"
notice_title = "测试通知"
notice_issuer = "测试局"
notice_date = "2023-01-12"
"""

SCOPE = """
[[rules]]
id = "S0"
kind = "scope"
clause = "000 一"
quote = "城区用水用气报装"
utilities = ["water"]
"""

FREE = """
[[rules]]
id = "S4"
kind = "free_installation"
clause = "000 二(四)"
quote = "外线管道长度 200 米以内的供水接入项目一律免费安装"
when = [{ fact = "utility", op = "==", value = "water" }]

[[rules.branches]]
when = [{ fact = "outside_length_m", op = "<=", value = 200, wording = "200 米以内" }]
free = true

[[rules.branches]]
free = false
"""

DEADLINE = """
[[rules]]
id = "S1"
kind = "deadline"
clause = "000 二(三)"
quote = "办理时限压缩为即办"
step = "connection"
anchor = "applied_at"
duration = { value = 2, unit = "working_days" }
"""

APPROVAL = """
[[rules]]
id = "S7"
kind = "approval_path"
clause = "000 二(五)"
quote = "提前开展施工报批"
path = "filing"
"""

VALID = HEADER + SCOPE + FREE + DEADLINE + APPROVAL


def write(tmp_path, text, name="testville"):
    (tmp_path / f"{name}.toml").write_text(text, encoding="utf-8")
    return tmp_path


def test_the_five_packaged_profiles_load(profiles):
    assert set(profiles) == {"suizhou", "jingmen", "wuhu", "xinzheng", "sanya"}
    assert {p.source_seed[:3] for p in profiles.values()} == {"000", "001", "002", "003", "004"}


def test_a_valid_profile_loads_from_a_directory(tmp_path):
    profile = load_profiles(write(tmp_path, VALID))["testville"]
    assert [rule.id for rule in profile.rules] == ["S0", "S4", "S1", "S7"]


@pytest.mark.parametrize(("old", "new", "message", "rule"), [
    pytest.param('fact = "outside_length_m"', 'fact = "outside_len"', "unknown fact 'outside_len'", "S4",
                 id="unknown fact"),
    pytest.param('fact = "outside_length_m"', 'fact = "applied_at"', "cannot be read by a condition", "S4",
                 id="an event in a condition"),
    pytest.param('clause = "000 二(四)"\n', "", "missing clause", "S4", id="missing clause"),
    pytest.param('clause = "000 二(四)"', 'clause = "004 二(四)"', "must cite this profile's seed", "S4",
                 id="clause of another seed"),
    pytest.param('quote = "外线管道长度', 'quote_text = "外线管道长度', "missing quote", "S4", id="missing quote"),
    pytest.param("value = 200,", 'value = "200",', "must be a number", "S4", id="threshold as a string"),
    pytest.param("value = 200,", "value = true,", "must be a number", "S4", id="threshold as a boolean"),
    pytest.param("value = 200,", "value = -200,", "≥ 0", "S4", id="negative threshold"),
    pytest.param("value = 200,", "value = nan,", "finite", "S4", id="NaN threshold"),
    pytest.param('fact = "outside_length_m", op = "<=", value = 200,',
                 'fact = "meter_dn", op = "<=", value = 45,', "standard DN", "S4", id="DN45 threshold"),
    pytest.param('op = "<=", value = 200', 'op = "<", value = 200', "means <=, not <", "S4",
                 id="operator contradicting the seed's wording"),
    pytest.param('op = "<=", value = 200', 'op = "~=", value = 200', "operator '~='", "S4",
                 id="unknown operator"),
    pytest.param('value = "water"', 'value = "steam"', "no value 'steam'", "S4", id="unknown choice"),
    pytest.param('kind = "free_installation"', 'kind = "discount"', "unknown rule kind 'discount'", "S4",
                 id="unknown rule kind"),
    pytest.param('id = "S4"', 'id = "S4"\ncolour = "red"', "unknown keys for a free_installation rule: colour",
                 "S4", id="unknown key"),
    pytest.param("free = false\n", "free = false\n\n[[rules.branches]]\nfree = true\n", "never be reached",
                 "S4", id="branch after an unconditional one"),
    pytest.param("free = false\n", 'free = "no"\n', "free must be true or false", "S4", id="bad outcome"),
    pytest.param('anchor = "applied_at"', 'anchor = "paid_at"', "anchor 'paid_at'", "S1", id="unknown anchor"),
    pytest.param('unit = "working_days"', 'unit = "fortnights"', "duration unit 'fortnights'", "S1",
                 id="unknown duration unit"),
    pytest.param("value = 2, unit", "value = 0, unit", "greater than 0", "S1", id="zero working days"),
    pytest.param('step = "connection"', 'step = "applied_at"', "not an event's name", "S1",
                 id="step named like an event"),
    pytest.param('path = "filing"', 'path = "fast_track"', "approval path 'fast_track'", "S7",
                 id="unknown approval path"),
    pytest.param('utilities = ["water"]', 'utilities = ["electricity"]', "no value 'electricity'", "S0",
                 id="scope naming an unknown utility"),
    pytest.param('id = "S1"', 'id = "s-1"', "needs an id", "s-1", id="malformed rule id"),
])
def test_a_broken_rule_is_refused_naming_file_and_rule(tmp_path, old, new, message, rule):
    assert old in VALID
    with pytest.raises(ProfileError) as caught:
        load_profiles(write(tmp_path, VALID.replace(old, new, 1)))
    error = caught.value
    assert (error.file, error.rule) == ("testville.toml", rule)
    assert message in error.message
    assert str(error).startswith(f"testville.toml: rule {rule}: ")


def test_a_second_rule_with_the_same_id_and_kind_is_refused(tmp_path):
    with pytest.raises(ProfileError, match="rule S4: a second free_installation rule") as caught:
        load_profiles(write(tmp_path, VALID + FREE))
    assert caught.value.file == "testville.toml"


@pytest.mark.parametrize(("text", "name", "message"), [
    pytest.param(HEADER + FREE, "testville", "exactly one scope rule, found 0", id="no scope rule"),
    pytest.param(HEADER + SCOPE + SCOPE.replace("S0", "S9"), "testville", "exactly one scope rule, found 2",
                 id="two scope rules"),
    pytest.param(VALID, "othertown", "must match the file name", id="id is not the file name"),
    pytest.param(VALID.replace("effective_date = 2023-01-12", 'effective_date = "2023-01-12"'), "testville",
                 "effective_date must be a TOML date", id="effective date as a string"),
    pytest.param(VALID.replace('notice_date = "2023-01-12"', 'notice_date = "Jan 2023"'), "testville",
                 "notice_date", id="notice date not ISO"),
    pytest.param(VALID.replace("000_87ffbf2a7ff4b79d.txt", "suizhou.txt"), "testville", "source_seed",
                 id="source seed not a seed file"),
    pytest.param(VALID.replace('name_en = "Testville"\n', ""), "testville", "name_en", id="missing name"),
    pytest.param(VALID.replace('version = "1.0"', 'version = "1.0"\nregion = 1'), "testville",
                 "unknown keys: region", id="unknown profile key"),
    pytest.param(VALID.replace("[[rules]]", "[[rules]", 1), "testville", "not valid TOML", id="broken TOML"),
])
def test_a_broken_profile_is_refused_naming_the_file(tmp_path, text, name, message):
    with pytest.raises(ProfileError) as caught:
        load_profiles(write(tmp_path, text, name))
    assert caught.value.file == f"{name}.toml"
    assert message in caught.value.message


def test_summary_lists_what_get_policies_shows(profiles):
    summary = profiles["sanya"].summary()
    assert summary == {
        "id": "sanya", "name_zh": "三亚市", "name_en": "Sanya", "utilities": ["water"],
        "business_types": ["new"],
        "customer_classes": ["enterprise", "small_commercial", "residential", "scattered_household"],
        "version": "1.0", "effective_date": "2023-01-01", "source_seed": "004_e73b0a062898c73b.txt",
        "notice_title": "进一步优化获得用水服务实施方案", "notice_issuer": "三亚市供水企业及相关部门",
        "notice_date": "2023",
    }


def test_to_dict_carries_every_rule_with_what_it_reads(profiles):
    for profile in profiles.values():
        as_dict = profile.to_dict()
        json.dumps(as_dict, ensure_ascii=False)
        assert [rule["id"] for rule in as_dict["rules"]] == [rule.id for rule in profile.rules]
        assert all(rule["clause"].startswith(profile.source_seed[:3]) and rule["quote"]
                   for rule in as_dict["rules"])
    s4 = next(rule for rule in profiles["suizhou"].to_dict()["rules"] if rule["id"] == "S4")
    assert s4["reads"] == ["business_type", "customer_class", "meter_dn", "outside_length_m", "utility"]
    assert s4["branches"][0]["when"][1] == {"fact": "outside_length_m", "op": "<=", "value": "200",
                                            "wording": "外线管道长度 200 米以内"}
