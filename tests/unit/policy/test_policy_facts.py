"""parse_facts: what a request may send, how it is read, and the 422 for everything else."""

import json
from datetime import datetime
from decimal import Decimal

import pytest

from policy import FACT_NAMES, FactError, parse_facts
from policy.facts import Crossing
from tests.unit.policy.policy_factories import raw_facts


@pytest.mark.parametrize(("name", "sent", "read"), [
    pytest.param("outside_length_m", 200, Decimal("200"), id="int"),
    pytest.param("outside_length_m", 200.005, Decimal("200.005"), id="float read as the decimal written"),
    pytest.param("outside_length_m", "200.005", Decimal("200.005"), id="decimal string"),
    pytest.param("green_area_m2", "0", Decimal("0"), id="zero area"),
    pytest.param("meter_dn", 40, 40, id="DN as int"),
    pytest.param("pipe_dn", "300", 300, id="DN as string"),
    pytest.param("pipe_dn", 300.0, 300, id="DN as integral float"),
    pytest.param("conditions_met", False, False, id="boolean"),
    pytest.param("channel", "platform", "platform", id="choice"),
    pytest.param("crossings", [{"layer": "river", "name": "三亚河"}, {"layer": "railway"}],
                 (Crossing("river", "三亚河"), Crossing("railway", None)), id="crossings as measure returns them"),
])
def test_values_are_read_as_written(name, sent, read):
    assert parse_facts({name: sent})[name] == read


def test_measured_values_keep_full_precision():
    # Only the policy rounds, and only when it compares (DESIGN).
    assert parse_facts({"outside_length_m": "198.4049"})["outside_length_m"] == Decimal("198.4049")


@pytest.mark.parametrize("sent", ["2026-09-30T16:00:00+08:00", "2026-09-30T08:00:00Z",
                                  "2026-09-30T08:00:00+00:00"])
def test_instants_are_read_in_shanghai(sent):
    read = parse_facts({"applied_at": sent})["applied_at"]
    assert read.isoformat() == "2026-09-30T16:00:00+08:00"


def test_none_is_the_same_as_not_sent():
    assert "pipe_dn" not in parse_facts({"pipe_dn": None, "utility": "gas"})


@pytest.mark.parametrize(("raw", "code", "field"), [
    pytest.param({"outside_length": 10}, "unknown_fact", "outside_length", id="unknown fact name"),
    pytest.param({"utility": "electricity"}, "invalid_value", "utility", id="choice outside the list"),
    pytest.param({"utility": 1}, "invalid_type", "utility", id="choice not a string"),
    pytest.param({"outside_length_m": True}, "invalid_type", "outside_length_m", id="bool is not a number"),
    pytest.param({"outside_length_m": "NaN"}, "invalid_type", "outside_length_m", id="NaN string"),
    pytest.param({"outside_length_m": float("nan")}, "invalid_value", "outside_length_m", id="NaN float"),
    pytest.param({"outside_length_m": float("inf")}, "invalid_value", "outside_length_m", id="Infinity"),
    pytest.param({"outside_length_m": "Infinity"}, "invalid_type", "outside_length_m", id="Infinity string"),
    pytest.param({"outside_length_m": "1e3"}, "invalid_type", "outside_length_m", id="exponent in a string"),
    pytest.param({"outside_length_m": "12 m"}, "invalid_type", "outside_length_m", id="unit in the string"),
    pytest.param({"outside_length_m": -0.01}, "invalid_value", "outside_length_m", id="negative length"),
    pytest.param({"green_area_m2": [1]}, "invalid_type", "green_area_m2", id="list for an area"),
    pytest.param({"meter_dn": 45}, "invalid_value", "meter_dn", id="DN45 is not a standard size"),
    pytest.param({"meter_dn": 40.5}, "invalid_value", "meter_dn", id="fractional DN"),
    pytest.param({"meter_dn": False}, "invalid_type", "meter_dn", id="bool DN"),
    pytest.param({"pre_service": "true"}, "invalid_type", "pre_service", id="string for a boolean"),
    pytest.param({"conditions_met": 1}, "invalid_type", "conditions_met", id="1 for a boolean"),
    pytest.param({"applied_at": "2026-09-30T16:00:00"}, "invalid_value", "applied_at", id="naive time"),
    pytest.param({"applied_at": "30/09/2026"}, "invalid_value", "applied_at", id="not ISO 8601"),
    pytest.param({"applied_at": 1790000000}, "invalid_type", "applied_at", id="epoch number"),
    pytest.param({"crossings": "river"}, "invalid_type", "crossings", id="crossings not a list"),
    pytest.param({"crossings": ["river"]}, "invalid_type", "crossings[0]", id="crossing as a bare name"),
    pytest.param({"crossings": [{"name": "三亚河"}]}, "invalid_value", "crossings[0].layer",
                 id="crossing without layer"),
    pytest.param({"crossings": [{"layer": "river", "km": 1}]}, "invalid_value", "crossings[0]",
                 id="crossing with unknown key"),
    pytest.param({"crossings": [{"layer": "river", "name": 7}]}, "invalid_type", "crossings[0].name",
                 id="crossing name not a string"),
])
def test_bad_facts_are_a_422_naming_the_fact(raw, code, field):
    with pytest.raises(FactError) as caught:
        parse_facts(raw)
    error = caught.value
    assert (error.code, error.field, error.status) == (code, field, 422)
    assert error.message and field.split("[")[0] in error.message
    json.dumps(error.to_dict())


def test_unknown_fact_lists_the_facts_a_client_may_send():
    with pytest.raises(FactError) as caught:
        parse_facts({"colour": "blue"})
    assert caught.value.details["allowed"] == sorted(FACT_NAMES)


def test_facts_must_be_an_object():
    with pytest.raises(FactError) as caught:
        parse_facts(["utility", "water"])
    assert (caught.value.code, caught.value.field) == ("invalid_type", None)


def test_an_aware_datetime_object_is_accepted_from_python_callers():
    sent = datetime.fromisoformat("2026-09-30T08:00:00+00:00")
    assert parse_facts({"completed_at": sent})["completed_at"].isoformat() == "2026-09-30T16:00:00+08:00"


def test_facts_serialise_to_json():
    facts = parse_facts(raw_facts("sanya", crossings=[{"layer": "road", "name": "迎宾路"}],
                                  applied_at="2026-09-30T16:00:00+08:00"))
    as_json = facts.to_dict()
    assert as_json["outside_length_m"] == "50"
    assert as_json["crossings"] == [{"layer": "road", "name": "迎宾路"}]
    json.dumps(as_json)


def test_every_fact_is_documented():
    assert all(isinstance(text, str) and text for text in FACT_NAMES.values())
    assert {"utility", "business_type", "customer_class", "meter_dn", "pipe_dn", "outside_length_m",
            "green_area_m2", "outside_length_accuracy_m", "green_area_accuracy_m2", "crossings", "channel",
            "conditions_met", "pre_service", "applied_at", "surveyed_at", "agreement_at", "work_order_at",
            "completed_at", "connected_at"} <= set(FACT_NAMES)


def test_facts_keep_what_they_were_given_beside_what_they_mean():
    """A determination stores its facts as they came: a float stays a float, a time keeps its offset."""
    facts = parse_facts({"outside_length_m": 198.4, "applied_at": "2026-09-30T02:00:00+00:00", "pipe_dn": None})
    assert dict(facts.given) == {"outside_length_m": 198.4, "applied_at": "2026-09-30T02:00:00+00:00"}
    assert facts["outside_length_m"] == Decimal("198.4")
    assert facts["applied_at"].isoformat() == "2026-09-30T10:00:00+08:00"
    with pytest.raises(TypeError):
        facts.given["utility"] = "water"
