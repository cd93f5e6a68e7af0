"""Form versions: each published version is immutable, and a submission is validated against the one it names."""
import dataclasses

import pytest

from field_forms import FormVersionConflict, check_publishable, parse_definition, validate_submission


@pytest.fixture
def v1_and_v2(make_definition, make_question, make_group):
    """v2 of the survey splits the address and asks for the meter size, which v1 did not."""
    v1 = make_definition(make_question("text", "site_address", required=True),
                         make_question("text", "notes"), form_id="survey", version=1)
    v2 = make_definition(make_group("site", make_question("text", "district", required=True),
                                    make_question("text", "street", required=True)),
                         make_question("pipe_dn", "meter_dn", required=True),
                         make_question("text", "notes"), form_id="survey", version=2)
    return parse_definition(v1), parse_definition(v2)


def test_an_old_version_submission_is_accepted_after_a_new_version_is_published(v1_and_v2, submission_errors, codes_at):
    v1, v2 = v1_and_v2
    v1_answers = {"site_address": "荆门市掇刀区荆南大道88号", "notes": "离线填写，返回后同步"}

    assert check_publishable(v2, [v1]) is None
    assert validate_submission(v1, v1_answers) == v1_answers
    assert codes_at(submission_errors(v2, v1_answers)) == {
        ("site_address", "unknown_question"), ("site.district", "required"), ("site.street", "required"),
        ("meter_dn", "required")}


def test_a_new_version_submission_is_not_accepted_by_the_old_version(v1_and_v2, submission_errors, codes_at):
    v1, v2 = v1_and_v2
    v2_answers = {"site": {"district": "掇刀区", "street": "荆南大道88号"}, "meter_dn": 40}

    validate_submission(v2, v2_answers)
    assert ("site", "unknown_question") in codes_at(submission_errors(v1, v2_answers))


def test_the_first_version_is_1(make_form, make_question):
    assert check_publishable(make_form(make_question("text", "a")), []) is None
    with pytest.raises(FormVersionConflict) as raised:
        check_publishable(make_form(make_question("text", "a"), version=2), [])
    assert raised.value.details == {"form_id": "test_form", "version": 2, "latest_version": None}


def test_publishing_the_same_version_again_is_a_harmless_retry(make_definition, make_question):
    first = parse_definition(make_definition(make_question("text", "a")))
    again = parse_definition(make_definition(make_question("text", "a")))

    assert check_publishable(again, [first]) is first


def test_a_published_version_cannot_change(make_form, make_question):
    published = make_form(make_question("text", "a"))
    changed = make_form(make_question("text", "a", required=True))

    with pytest.raises(FormVersionConflict) as raised:
        check_publishable(changed, [published])
    error = raised.value
    assert (error.code, error.status, error.field) == ("form_version_conflict", 409, "version")
    assert error.details["latest_version"] == 1
    assert "v2" in error.message


def test_a_version_cannot_skip_ahead(make_form, make_question):
    v1 = make_form(make_question("text", "a"))

    with pytest.raises(FormVersionConflict):
        check_publishable(make_form(make_question("text", "b"), version=3), [v1])


def test_versions_of_another_form_are_a_caller_mistake(make_form, make_question):
    with pytest.raises(ValueError):
        check_publishable(make_form(make_question("text", "a")), [make_form(make_question("text", "a"), form_id="other")])


def test_a_form_definition_is_immutable(make_definition, make_question):
    raw = make_definition(make_question("text", "a"))
    form = parse_definition(raw)
    digest = form.digest

    raw["questions"][0]["required"] = True
    form.raw["questions"][0]["required"] = True
    with pytest.raises(dataclasses.FrozenInstanceError):
        form.version = 2  # type: ignore[misc]
    with pytest.raises(TypeError):
        form.question("a").spec["required"] = True  # type: ignore[index]

    assert "required" not in form.raw["questions"][0]
    assert form.digest == digest == parse_definition(make_definition(make_question("text", "a"))).digest


def test_the_digest_changes_with_the_content(make_form, make_question):
    assert make_form(make_question("text", "a")).digest != make_form(make_question("text", "b")).digest
