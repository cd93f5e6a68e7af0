"""Sanya (seed 004): each rule walked on both sides of its thresholds, answers read from the notice."""

import pytest

from tests.unit.policy.policy_factories import at, deadline, due, explained


@pytest.mark.parametrize(("utility", "business_type", "applicable"), [
    pytest.param("water", "new", True, id="004 二 适用于全市新装用水 → applies"),
    pytest.param("water", "expansion", False, id="004 二 新装 only: expansion → not"),
    pytest.param("water", "temporary", False, id="004 二 新装 only: temporary → not"),
    pytest.param("gas", "new", False, id="004 二 用水 only: gas → not"),
])
def test_y0_new_water_only(decide, utility, business_type, applicable):
    decision = decide("sanya", utility=utility, business_type=business_type)
    assert decision.applicable is applicable
    assert all((r.rule, r.clause) == ("Y0", "004 二") for r in decision.reasons)


@pytest.mark.parametrize(("layer", "name"), [
    pytest.param("expressway", "G98 环岛高速", id="004 二 高快速路: expressway"),
    pytest.param("urban_expressway", "迎宾快速路", id="004 二 高快速路: urban expressway"),
    pytest.param("railway", "海南环岛高铁", id="004 二 轨道: railway"),
    pytest.param("urban_rail", "三亚有轨电车", id="004 二 轨道 incl. urban rail"),
    pytest.param("river", "三亚河", id="004 二 河道: river"),
])
def test_y3_complex_crossings_are_excluded(decide, layer, name):
    decision = decide("sanya", crossings=[{"layer": "road", "name": "迎宾路"}, {"layer": layer, "name": name}])
    assert decision.applicable is False
    (reason,) = decision.reasons
    assert (reason.rule, reason.clause) == ("Y3", "004 二")
    assert layer in reason.message and name in reason.message


@pytest.mark.parametrize("crossings", [
    pytest.param([], id="004 二 crossing nothing → applies"),
    pytest.param([{"layer": "road", "name": "迎宾路"}], id="004 二 an ordinary road is not 高快速路 → applies"),
])
def test_y3_other_crossings_keep_the_profile(decide, crossings):
    assert decide("sanya", crossings=crossings).applicable is True


def test_y3_unknown_crossings_leave_applicability_open(decide):
    decision = decide("sanya", crossings=None)
    assert decision.applicable is None
    assert decision.missing_facts == ("crossings",)
    assert decision.steps == 1, "the rest is still decided for the engineer"


def test_y3_scope_failure_settles_it_without_crossings(decide):
    decision = decide("sanya", utility="gas", crossings=None)
    assert (decision.applicable, decision.missing_facts) == (False, ())


def test_y3_exclusion_and_scope_both_give_reasons(decide):
    decision = decide("sanya", business_type="expansion", crossings=[{"layer": "river", "name": "三亚河"}])
    assert [r.rule for r in decision.reasons] == ["Y0", "Y3"]


@pytest.mark.parametrize(("channel", "conditions_met", "steps", "materials"), [
    pytest.param("online", True, 1, 0, id="004 三(一) 政务服务网 + 具备接水条件 → 1 环节 0 材料"),
    pytest.param("online", False, 2, 1, id="004 三(一) online without 接水条件 → 2 环节 1 材料"),
    pytest.param("counter", True, 2, 1, id="004 三(一) counter → 2 环节 1 材料"),
    pytest.param("platform", True, 2, 1, id="004 三(一) platform push is not an online application → 2/1"),
])
def test_y1_steps_and_materials(decide, channel, conditions_met, steps, materials):
    decision = decide("sanya", channel=channel, conditions_met=conditions_met)
    assert (decision.steps, decision.materials) == (steps, materials)


@pytest.mark.parametrize(("overrides", "missing"), [
    pytest.param({"conditions_met": None}, ("conditions_met",), id="online, conditions unknown"),
    pytest.param({"channel": None}, ("channel",), id="channel unknown"),
])
def test_y1_missing_facts_leave_steps_open(decide, overrides, missing):
    decision = decide("sanya", **overrides)
    assert (decision.steps, decision.materials) == (None, None)
    assert decision.missing_facts == missing


def test_y1_a_counter_application_is_settled_without_the_conditions(decide):
    decision = decide("sanya", channel="counter", conditions_met=None)
    assert (decision.steps, decision.materials, decision.missing_facts) == (2, 1, ())


@pytest.mark.parametrize(("applied", "expected"), [
    pytest.param("2026-09-30 10:00", "2026-10-09T17:30:00+08:00", id="004 三(一) 2个工作日 over National Day"),
    pytest.param("2026-10-08 10:00", "2026-10-10T17:30:00+08:00", id="004 三(一) 2个工作日 onto make-up Saturday"),
])
def test_y1_two_working_days(decide, applied, expected):
    assert due(decide("sanya", applied_at=at(applied)), "connection") == expected


@pytest.mark.parametrize(("applied", "expected"), [
    pytest.param("2026-09-30 10:00", "2026-09-30T15:00:00+08:00", id="004 四(一)1 0.5 个工作日 from 10:00"),
    pytest.param("2026-09-30 16:00", "2026-10-08T11:00:00+08:00", id="004 四(一)1 0.5 个工作日 across the holiday"),
])
def test_y4_pre_service_half_a_working_day(decide, applied, expected):
    decision = decide("sanya", pre_service=True, channel="counter", applied_at=at(applied))
    assert decision.steps == 1
    assert due(decision, "connection") == expected
    assert deadline(decision, "connection").rule == "Y4"
    assert explained(decision, "Y1", "steps") == [], "Y4 decided: Y1 was not consulted"


def test_y4_unknown_pre_service_leaves_the_connection_deadline_open(decide):
    decision = decide("sanya", pre_service=None, applied_at=at("2026-09-30 10:00"))
    assert decision.steps == 1, "Y4 and Y1 agree on one step for an online application meeting conditions"
    assert deadline(decision, "connection") is None
    assert decision.missing_facts == ("pre_service",)


@pytest.mark.parametrize(("overrides", "path"), [
    pytest.param({"pipe_dn": 300, "outside_length_m": "200", "green_area_m2": "200"}, "notify_commit",
                 id="004 四(二)2 管径不大于DN300、长度不长于200米、绿化不大于200平方米 at the boundary → 告知承诺制"),
    pytest.param({"pipe_dn": 400}, "tolerant_parallel", id="004 四(二)2 管径大于 DN300 → 容缺受理+并联审批"),
    pytest.param({"outside_length_m": "200.004"}, "notify_commit", id="004 四(二)2 200.004 m rounds to 200.00"),
    pytest.param({"outside_length_m": "200.005"}, "tolerant_parallel",
                 id="004 四(二)2 200.005 m rounds to 200.01: 长于 200 米"),
    pytest.param({"outside_length_m": "200.01"}, "tolerant_parallel", id="004 四(二)2 管道长度长于 200 米"),
    pytest.param({"green_area_m2": "200.00"}, "notify_commit", id="004 四(二)2 绿化 200.00 m² 不大于 200"),
    pytest.param({"green_area_m2": "200.01"}, "tolerant_parallel", id="004 四(二)2 绿化大于 200 平方米"),
    pytest.param({"outside_length_m": "0"}, None, id="004 四(二)1 涉及有外线工程 only: none → no approval"),
    pytest.param({"outside_length_m": "0", "pipe_dn": 400}, None, id="004 四(二)1 no outer works, any DN"),
])
def test_y2_approval_path_by_thresholds(decide, overrides, path):
    decision = decide("sanya", **overrides)
    assert decision.approval_path == path
    assert decision.missing_facts == ()


@pytest.mark.parametrize(("path_overrides", "expected"), [
    pytest.param({}, "2026-10-08T17:30:00+08:00", id="004 四(二)2 告知承诺制 1 个工作日办结"),
    pytest.param({"pipe_dn": 400}, "2026-10-12T17:30:00+08:00", id="004 四(二)2 4 个工作日内 (Sat 10 Oct works)"),
])
def test_y2_approval_deadline_from_the_survey(decide, path_overrides, expected):
    decision = decide("sanya", surveyed_at=at("2026-09-30 10:00"), **path_overrides)
    assert due(decision, "outer_works_approval") == expected
    assert deadline(decision, "outer_works_approval").rule == "Y2"


def test_y2_no_outer_works_no_approval_deadline(decide):
    decision = decide("sanya", outside_length_m="0", surveyed_at=at("2026-09-30 10:00"))
    assert deadline(decision, "outer_works_approval") is None


@pytest.mark.parametrize(("overrides", "path", "missing"), [
    pytest.param({"green_area_m2": None}, None, ("green_area_m2",), id="green space unknown, the rest within"),
    pytest.param({"green_area_m2": None, "pipe_dn": 400}, "tolerant_parallel", (),
                 id="green space unknown but DN400 settles it"),
    pytest.param({"outside_length_m": None}, None, ("outside_length_m",), id="outer length unknown"),
])
def test_y2_missing_measurements_are_never_guessed(decide, overrides, path, missing):
    decision = decide("sanya", **overrides)
    assert (decision.approval_path, decision.missing_facts) == (path, missing)


def test_y2_green_area_near_its_threshold_is_flagged(decide):
    decision = decide("sanya", green_area_m2="199.5", green_area_accuracy_m2="1")
    assert decision.approval_path == "notify_commit"
    assert [n.to_dict() for n in decision.near_threshold] == [
        {"fact": "green_area_m2", "value": "199.50", "accuracy": "1.00", "threshold": "200", "margin": "0.50",
         "rules": ["Y2"]}]


def test_sanya_says_nothing_of_free_installation(decide):
    assert decide("sanya").free_installation is None
