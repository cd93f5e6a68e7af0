"""Suizhou (seed 000): each rule walked on both sides of its thresholds, answers read from the notice."""

import pytest

from tests.unit.policy.policy_factories import at, due, explained

APPLIED = at("2026-09-30 16:00")


@pytest.mark.parametrize(("utility", "business_type", "customer_class"), [
    ("water", "new", "enterprise"), ("gas", "new", "residential"), ("water", "temporary", "scattered_household"),
    ("gas", "expansion", "small_commercial"),
])
def test_s0_every_water_and_gas_case_is_covered(decide, utility, business_type, customer_class):
    """000 一: 城区用水用气报装 — neither business type nor customer class is restricted."""
    decision = decide("suizhou", utility=utility, business_type=business_type, customer_class=customer_class)
    assert decision.applicable is True


@pytest.mark.parametrize("utility", ["water", "gas"])
def test_s1_one_step_zero_materials(decide, utility):
    """000 二(三) 1 个环节; 000 二(二) 申请材料做到 0 材料."""
    decision = decide("suizhou", utility=utility)
    assert (decision.steps, decision.materials) == (1, 0)


@pytest.mark.parametrize(("utility", "step"), [
    pytest.param("water", "connection", id="000 二(三) 报装即通水 … 即办"),
    pytest.param("gas", "acceptance", id="000 二(三) 供气 1 个环节（受理报装）… 即办"),
])
def test_s1_immediate_on_application(decide, utility, step):
    decision = decide("suizhou", utility=utility, applied_at=APPLIED)
    assert due(decision, step) == "2026-09-30T16:00:00+08:00"
    assert [d.step for d in decision.deadlines] == [step]


def test_s1_due_is_null_until_the_application(decide):
    decision = decide("suizhou")
    assert due(decision, "connection") is None
    assert decision.deadlines[0].anchor == "applied_at"


@pytest.mark.parametrize(("meter_dn", "outside_length_m", "free"), [
    pytest.param(40, "200", True, id="000 二(四) DN40 及以下 且 200 米以内 → free (both at the boundary)"),
    pytest.param(40, "200.00", True, id="000 二(四) exactly 200.00 m is within 200 米以内 → free"),
    pytest.param(40, "200.004", True, id="000 二(四) 200.004 m rounds to 200.00 → free"),
    pytest.param(40, "200.005", False, id="000 二(四) 200.005 m rounds to 200.01, beyond 200 米以内 → not free"),
    pytest.param(40, 200.01, False, id="000 二(四) 200.01 m beyond 200 米以内 → not free"),
    pytest.param(32, "0", True, id="000 二(四) DN32 with no outer pipe → free"),
    pytest.param(50, "10", False, id="000 二(四) DN50 is above DN40 及以下 → not free"),
    pytest.param(50, "250", False, id="000 二(四) DN50 and 250 m → not free"),
])
def test_s4_free_installation_thresholds(decide, meter_dn, outside_length_m, free):
    decision = decide("suizhou", meter_dn=meter_dn, outside_length_m=outside_length_m)
    assert decision.free_installation is free


@pytest.mark.parametrize(("overrides", "free"), [
    pytest.param({"business_type": "expansion"}, True, id="000 二(四) 企业扩容 → free"),
    pytest.param({"business_type": "temporary"}, None, id="000 二(四) names 新装、扩容 only: temporary → says nothing"),
    pytest.param({"customer_class": "residential"}, None, id="000 二(四) 对企业: residential → says nothing"),
    pytest.param({"utility": "gas"}, None, id="000 二(四) 供水接入: gas → says nothing"),
])
def test_s4_only_speaks_to_enterprise_new_or_expansion_water(decide, overrides, free):
    decision = decide("suizhou", **overrides)
    assert decision.free_installation is free
    assert decision.missing_facts == ()


@pytest.mark.parametrize(("overrides", "free", "missing"), [
    pytest.param({"meter_dn": None}, None, ("meter_dn",), id="meter missing, outer pipe within: undecided"),
    pytest.param({"meter_dn": None, "outside_length_m": "250"}, False, (),
                 id="meter missing but 250 m already fails 200 米以内"),
    pytest.param({"customer_class": None}, None, ("customer_class",), id="customer class missing: undecided"),
])
def test_s4_a_missing_fact_is_never_guessed(decide, overrides, free, missing):
    decision = decide("suizhou", **overrides)
    assert decision.free_installation is free
    assert decision.missing_facts == missing


def test_s4_near_the_200_m_threshold_is_flagged_but_decided(decide):
    """DESIGN: 198.4 m ± 3 m against 200 m is decided as usual and flagged for an engineer."""
    decision = decide("suizhou", meter_dn=40, outside_length_m="198.4", outside_length_accuracy_m=3)
    assert decision.free_installation is True
    near = decision.near_threshold[0].to_dict()
    assert near == {"fact": "outside_length_m", "value": "198.40", "accuracy": "3.00", "threshold": "200",
                    "margin": "1.60", "rules": ["S4"]}


def test_s4_explanation_shows_the_rounded_figures_compared(decide):
    decision = decide("suizhou", meter_dn=40, outside_length_m="200.005")
    (entry,) = explained(decision, "S4", "free_installation")
    as_dict = entry.to_dict()
    assert (as_dict["clause"], as_dict["status"], as_dict["result"]) == ("000 二(四)", "decided", False)
    assert as_dict["inputs"]["outside_length_m"] == "200.01"
    within = as_dict["checks"][1]["tests"][1]
    assert (within["threshold"], within["value"], within["holds"]) == ("200", "200.01", False)


def test_s5_missing_materials_accepted_on_commitment_before_connection(decide):
    """000 二(二) 实行告知承诺制 … 可在装表通水通气前提供或办理."""
    deferred = decide("suizhou").deferred_materials.to_json()
    assert deferred == {"mechanism": "commitment", "items": [], "due_before": "connected_at"}


def test_suizhou_decides_no_approval_path_and_no_visits(decide):
    decision = decide("suizhou")
    assert (decision.approval_path, decision.return_visits, decision.post_connection_documents) == (None,) * 3
