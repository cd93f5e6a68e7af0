"""evaluate() across profiles: the Decision contract, explanations, near-threshold flags, calendars."""

import dataclasses
import json
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policy import FACT_NAMES, WorkingCalendar, YearOverride, evaluate
from tests.unit.policy.policy_factories import BASELINES, at, deadline, explained, make_facts

DECISION_KEYS = {"profile", "version", "applicable", "reasons", "free_installation", "approval_path", "steps",
                 "materials", "deferred_materials", "deadlines", "post_connection_documents", "return_visits",
                 "missing_facts", "near_threshold", "explanation"}

EVERY_EVENT = {name: at("2026-09-30 10:00") for name in
               ("pushed_at", "applied_at", "surveyed_at", "agreement_at", "work_order_at", "completed_at",
                "connected_at")}


@pytest.mark.parametrize("profile_id", sorted(BASELINES))
def test_decision_to_dict_is_json_ready(decide, profile_id):
    decision = decide(profile_id, outside_length_accuracy_m="500", **EVERY_EVENT)
    as_dict = decision.to_dict()
    assert set(as_dict) == DECISION_KEYS
    assert (as_dict["profile"], as_dict["version"], as_dict["applicable"]) == (profile_id, "1.0", True)
    json.loads(json.dumps(as_dict, ensure_ascii=False))
    for entry in as_dict["deadlines"]:
        assert entry["due"].endswith("+08:00") and entry["calendar"] == "official"


@pytest.mark.parametrize("profile_id", sorted(BASELINES))
def test_every_rule_consulted_is_explained_with_its_clause(decide, profiles, profile_id):
    decision = decide(profile_id)
    seed = profiles[profile_id].source_seed[:3]
    for entry in decision.to_dict()["explanation"]:
        assert entry["clause"].startswith(f"{seed} ") and entry["quote"]
        assert entry["status"] in {"decided", "silent", "undetermined"}
        assert set(entry) == {"rule", "kind", "clause", "quote", "inputs", "checks", "status", "result",
                              "missing"}


def test_a_case_outside_the_profile_explains_only_its_scope(decide):
    decision = decide("sanya", utility="gas")
    assert [(e.rule, e.kind) for e in decision.explanation] == [("Y0", "scope"), ("Y3", "crossing_exclusion")]


def test_a_silent_rule_says_so(decide):
    (entry,) = explained(decide("suizhou", utility="gas"), "S4", "free_installation")
    assert (entry.status, entry.result) == ("silent", None)
    assert entry.to_dict()["checks"][0]["tests"][0] == {
        "fact": "utility", "op": "==", "threshold": "water", "wording": "供水接入", "value": "gas", "holds": False}


def test_an_undetermined_rule_names_what_it_needs(decide):
    (entry,) = explained(decide("sanya", green_area_m2=None), "Y2", "approval_path")
    assert (entry.status, entry.missing) == ("undetermined", ("green_area_m2",))
    assert entry.inputs["green_area_m2"] is None


@pytest.mark.parametrize(("length", "accuracy", "flagged"), [
    pytest.param("198.4", "3", True, id="198.4 ± 3 against 200: margin 1.6"),
    pytest.param("197.00", "3", True, id="margin equal to the accuracy is within it"),
    pytest.param("196.99", "3", False, id="margin 3.01 is beyond ± 3"),
    pytest.param("201.5", "2", True, id="above the threshold too"),
    pytest.param("198.4", None, False, id="no stated accuracy, no flag"),
])
def test_near_threshold(decide, length, accuracy, flagged):
    decision = decide("suizhou", meter_dn=40, outside_length_m=length, outside_length_accuracy_m=accuracy)
    assert bool(decision.near_threshold) is flagged


def test_near_threshold_names_every_rule_sharing_the_threshold(decide):
    decision = decide("sanya", outside_length_m="199", outside_length_accuracy_m="2")
    assert [(n.fact, n.threshold, n.rules) for n in decision.near_threshold] == [
        ("outside_length_m", 200, ("Y2",))]


def test_deadlines_in_an_unpublished_year_are_estimated(decide):
    decision = decide("sanya", applied_at=at("2026-12-30 10:00"))
    connection = deadline(decision, "connection")
    assert (connection.due.isoformat(), connection.calendar.value) == ("2027-01-04T17:30:00+08:00", "estimated")


def test_the_tenants_override_reaches_the_decision(profiles):
    calendar = WorkingCalendar({2026: YearOverride(holidays=set(), workdays=set())})
    decision = evaluate(profiles["sanya"], make_facts("sanya", applied_at=at("2026-09-30 10:00")), calendar)
    connection = deadline(decision, "connection")
    assert (connection.due.isoformat(), connection.calendar.value) == ("2026-10-02T17:30:00+08:00", "override")


def test_profiles_read_only_documented_facts(profiles):
    for profile in profiles.values():
        for rule in profile.to_dict()["rules"]:
            assert set(rule["reads"]) <= set(FACT_NAMES), (profile.id, rule["id"])


@settings(max_examples=300, deadline=None)
@given(length=st.decimals(min_value=0, max_value=400, places=4))
def test_s4_compares_the_length_rounded_half_up_to_the_centimetre(decide, length):
    decision = decide("suizhou", meter_dn=40, outside_length_m=str(length))
    assert decision.free_installation is (length.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) <= 200)


_OPTIONAL = st.sampled_from(sorted({name for facts in BASELINES.values() for name in facts}))


@settings(max_examples=200, deadline=None)
@given(profile_id=st.sampled_from(sorted(BASELINES)), dropped=st.sets(_OPTIONAL))
def test_any_missing_facts_give_nulls_and_names_never_guesses(profiles, calendar, profile_id, dropped):
    facts = make_facts(profile_id, **{name: None for name in dropped})
    complete = evaluate(profiles[profile_id], make_facts(profile_id), calendar)
    partial = evaluate(profiles[profile_id], facts, calendar)
    assert set(partial.missing_facts) <= dropped
    for field in ("applicable", "free_installation", "approval_path", "steps", "materials"):
        value = getattr(partial, field)
        assert value is None or value == getattr(complete, field), field
    json.dumps(partial.to_dict(), ensure_ascii=False)


def test_evaluate_is_pure(decide):
    assert decide("sanya", applied_at=at("2026-09-30 10:00")) == decide("sanya", applied_at=at("2026-09-30 10:00"))


def test_the_date_of_an_override_year_is_checked_against_its_key():
    with pytest.raises(ValueError):
        WorkingCalendar({2026: YearOverride(workdays={date(2025, 12, 31)})})


def test_the_decision_is_a_frozen_value_with_times_until_it_is_written(decide):
    decision = decide("sanya", applied_at=at("2026-09-30 10:00"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        decision.steps = 3
    connection = deadline(decision, "connection")
    assert isinstance(connection.due, datetime) and connection.due.utcoffset() == timedelta(hours=8)
    written = next(d for d in decision.to_dict()["deadlines"] if d["step"] == "connection")
    assert written["due"] == connection.due.isoformat()
    assert written["duration"] == connection.duration.to_dict()
