"""Profile versions, pure: which one is in force, a tenant's override of some rules, the diff, JSON documents."""

from datetime import date

import pytest

from policy import ProfileError, evaluate
from policy.diff import diff_profiles
from policy.documents import from_json, shipped_document, to_json
from policy.loader import read_profile
from policy.versions import apply_overrides, in_force, read_override
from tests.unit.policy.policy_factories import at, deadline, make_facts

LONGER_Y1 = {"id": "Y1", "kind": "deadline", "clause": "004 三(一)", "quote": "2个工作日",
             "step": "connection", "anchor": "applied_at",
             "duration": {"value": 3, "unit": "working_days", "wording": "3个工作日"}}


def sanya_with(rules, *, version="1.1", effective=date(2027, 1, 1)):
    return read_override(shipped_document("sanya"), rules, version=version, effective_date=effective,
                         source="override")[0]


@pytest.mark.parametrize(("on", "expected"), [
    pytest.param(date(2022, 6, 1), "v1", id="before every version: the earliest"),
    pytest.param(date(2023, 1, 1), "v1", id="on the first date"),
    pytest.param(date(2024, 6, 30), "v1", id="the day before the next"),
    pytest.param(date(2024, 7, 1), "v3", id="same date twice: the later made wins"),
    pytest.param(date(2025, 12, 31), "v3", id="until the next"),
    pytest.param(date(2026, 1, 1), "v4", id="the last"),
])
def test_the_version_in_force_is_the_latest_started(on, expected):
    versions = [("v1", date(2023, 1, 1)), ("v2", date(2024, 7, 1)), ("v3", date(2024, 7, 1)),
                ("v4", date(2026, 1, 1))]
    assert in_force(versions, on, lambda version: version[1])[0] == expected


def test_a_version_made_later_with_an_earlier_date_still_decides_from_its_date():
    versions = [("v1", date(2023, 1, 1)), ("v2", date(2026, 1, 1)), ("v3", date(2025, 1, 1))]
    assert [in_force(versions, day, lambda v: v[1])[0] for day in (date(2025, 6, 1), date(2026, 6, 1))] == ["v3", "v2"]


def test_an_override_replaces_only_its_rule(profiles):
    overridden = sanya_with([LONGER_Y1])
    shipped = profiles["sanya"]
    assert (overridden.version, overridden.effective_date) == ("1.1", date(2027, 1, 1))
    assert [(r.id, r.kind) for r in overridden.rules] == [(r.id, r.kind) for r in shipped.rules]
    changed = [r.id for r, s in zip(overridden.rules, shipped.rules, strict=True) if r != s]
    assert changed == ["Y1"]


def test_an_override_changes_the_decision_it_names(profiles, calendar):
    facts = make_facts("sanya", applied_at=at("2027-03-01 10:00"))
    before = evaluate(profiles["sanya"], facts, calendar)
    after = evaluate(sanya_with([LONGER_Y1]), facts, calendar)
    assert deadline(before, "connection").due.isoformat() == "2027-03-03T17:30:00+08:00"
    assert deadline(after, "connection").due.isoformat() == "2027-03-04T17:30:00+08:00"
    assert after.to_dict()["version"] == "1.1"


@pytest.mark.parametrize(("rules", "field", "message"), [
    pytest.param([{**LONGER_Y1, "id": "Y9"}], "rules[0]", "no deadline rule Y9 for step connection",
                 id="a rule the base lacks"),
    pytest.param([{**LONGER_Y1, "step": "survey"}], "rules[0]", "no deadline rule Y1 for step survey",
                 id="a step the base lacks"),
    pytest.param([LONGER_Y1, LONGER_Y1], "rules[1]", "overridden twice", id="the same rule twice"),
    pytest.param(["Y1"], "rules[0]", "must be an object", id="not an object"),
])
def test_an_override_that_replaces_nothing_is_refused(rules, field, message):
    with pytest.raises(ProfileError) as caught:
        sanya_with(rules)
    assert caught.value.field == field
    assert message in caught.value.message


def test_an_overridden_rule_is_checked_like_a_shipped_one():
    broken = {**LONGER_Y1, "duration": {"value": 0, "unit": "working_days"}}
    with pytest.raises(ProfileError) as caught:
        sanya_with([broken])
    error = caught.value
    assert (error.rule, error.field) == ("Y1", "rules[0]")
    assert "greater than 0" in error.message


@pytest.mark.parametrize(("change", "field"), [
    pytest.param({"effective_date": "2027-02-30"}, "effective_date", id="impossible date"),
    pytest.param({"effective_date": 20270101}, "effective_date", id="a number"),
    pytest.param({"id": "haikou"}, "id", id="another profile's id"),
    pytest.param({"notice_date": "Jan 2027"}, "notice_date", id="notice date not ISO"),
    pytest.param({"colour": "red"}, "colour", id="unknown header key"),
])
def test_a_json_document_names_the_key_at_fault(change, field):
    document = {**to_json(shipped_document("sanya")), **change}
    with pytest.raises(ProfileError) as caught:
        read_profile(from_json(document, source="document"), source="document", expected_id="sanya")
    assert caught.value.field == field


def test_a_rule_error_names_the_rule_and_its_path():
    document = to_json(shipped_document("sanya"))
    document["rules"][3]["clause"] = "000 三(一)"
    with pytest.raises(ProfileError) as caught:
        read_profile(from_json(document, source="document"), source="document", expected_id="sanya")
    assert (caught.value.rule, caught.value.field) == ("Y1", "rules[3].clause")


@pytest.mark.parametrize("profile_id", ["suizhou", "jingmen", "wuhu", "xinzheng", "sanya"])
def test_a_document_survives_json_unchanged(profiles, profile_id):
    document = to_json(shipped_document(profile_id))
    assert document["effective_date"] == profiles[profile_id].effective_date.isoformat()
    reread = read_profile(from_json(document, source="db"), source="db", expected_id=profile_id)
    assert reread == profiles[profile_id]


def test_the_diff_of_identical_versions_is_empty(profiles):
    diff = diff_profiles(profiles["sanya"], profiles["sanya"])
    assert (diff["header"], diff["rules"]) == ([], [])


def test_the_diff_names_each_changed_clause(profiles):
    raw = apply_overrides(shipped_document("sanya"), [LONGER_Y1], version="2.0", effective_date=date(2027, 1, 1),
                          source="override")
    raw["rules"] = [rule for rule in raw["rules"] if rule["id"] != "Y3"]
    raw["rules"].append({"id": "Y5", "kind": "return_visits", "clause": "004 四(三)", "quote": "回访",
                         "percent": 100})
    diff = diff_profiles(profiles["sanya"], read_profile(raw, source="new", expected_id="sanya"))
    assert (diff["from"], diff["to"]) == ("1.0", "2.0")
    assert diff["header"] == [{"key": "effective_date", "before": "2023-01-01", "after": "2027-01-01"}]
    changes = {(entry["rule"], entry["kind"], entry["change"]): entry for entry in diff["rules"]}
    assert set(changes) == {("Y1", "deadline", "changed"), ("Y3", "crossing_exclusion", "removed"),
                            ("Y5", "return_visits", "added")}
    changed = changes[("Y1", "deadline", "changed")]
    assert (changed["step"], changed["clause"], changed["changed_keys"]) == ("connection", "004 三(一)",
                                                                           ["branches", "quote"])
    assert changed["after"]["branches"][0]["outcome"]["duration"]["value"] == "3"
    assert changes[("Y3", "crossing_exclusion", "removed")]["after"] is None
