"""Xinzheng Lantian Gas (seed 003): each rule walked on both sides, answers read from the notice."""

import pytest

from tests.unit.policy.policy_factories import at, deadline, due


@pytest.mark.parametrize(("utility", "applicable"), [
    pytest.param("gas", True, id="003 二 供气报装 → applies"),
    pytest.param("water", False, id="003 a gas company's notice: water → not applicable"),
])
def test_x0_gas_only(decide, utility, applicable):
    decision = decide("xinzheng", utility=utility)
    assert decision.applicable is applicable
    assert [r.rule for r in decision.reasons] == ([] if applicable else ["X0"])


@pytest.mark.parametrize("customer_class", ["residential", "enterprise", "scattered_household"])
def test_x4_101_one_step_zero_materials(decide, customer_class):
    """003 三(三)1 “1个环节、0资料受理、1日办结”."""
    decision = decide("xinzheng", customer_class=customer_class)
    assert (decision.steps, decision.materials) == (1, 0)


def test_x4_done_within_24_hours_of_the_application(decide):
    """003 三(三)1 用户提出申请的,24小时受理并办结 — clock hours, National Day or not."""
    decision = decide("xinzheng", applied_at=at("2026-09-30 16:00"))
    assert due(decision, "connection") == "2026-10-01T16:00:00+08:00"


def test_x5_materials_accepted_with_gaps_completed_later(decide):
    """003 三(四) 容缺机制，先行受理报装申请，相关材料可由申请人限期补齐."""
    assert decide("xinzheng").deferred_materials.to_json() == {
        "mechanism": "tolerance", "items": [], "due_before": None}


def test_x1_pre_service_chain_from_the_platform_push(decide):
    """003 三(二)1-3: 24 h to the account manager, 24 h to contact, then survey and design within 1 日."""
    decision = decide("xinzheng", pushed_at=at("2026-09-30 09:00"))
    assert due(decision, "handover_to_account_manager") == "2026-10-01T09:00:00+08:00"
    assert due(decision, "contact_applicant") == "2026-10-02T09:00:00+08:00"
    assert due(decision, "survey_and_design") == "2026-10-04T00:00:00+08:00"
    assert deadline(decision, "contact_applicant").anchor == "handover_to_account_manager"


@pytest.mark.parametrize(("conditions_met", "has_deadline", "missing"), [
    pytest.param(False, False, (), id="003 三(二)3 在燃气区域压力满足设计要求的情况下 only: pressure short → no limit"),
    pytest.param(None, False, ("conditions_met",), id="003 三(二)3 pressure not known → limit left open"),
])
def test_x2_survey_limit_needs_the_area_pressure(decide, conditions_met, has_deadline, missing):
    decision = decide("xinzheng", conditions_met=conditions_met, pushed_at=at("2026-09-30 09:00"))
    assert (deadline(decision, "survey_and_design") is not None) is has_deadline
    assert decision.missing_facts == missing
    assert due(decision, "contact_applicant") == "2026-10-02T09:00:00+08:00"


def test_x1_without_a_platform_push_the_chain_is_not_running(decide):
    decision = decide("xinzheng")
    assert [due(decision, step) for step in
            ("handover_to_account_manager", "contact_applicant", "survey_and_design")] == [None] * 3


def test_x1_a_chain_crossing_into_2027_is_estimated(decide):
    decision = decide("xinzheng", pushed_at=at("2026-12-30 12:00"))
    assert deadline(decision, "handover_to_account_manager").calendar.value == "official"
    assert due(decision, "survey_and_design") == "2027-01-03T00:00:00+08:00"
    assert deadline(decision, "survey_and_design").calendar.value == "estimated"


def test_x2_fee_agreement_within_one_working_day_of_the_survey(decide):
    """003 三(二)4 客户经理要在1个工作日内完成对接."""
    decision = decide("xinzheng", surveyed_at=at("2026-09-30 10:00"))
    assert due(decision, "fee_agreement") == "2026-10-08T17:30:00+08:00"


def test_x2_construction_handed_over_within_one_day_of_the_agreement(decide):
    """003 三(二)4 完成费用核定后,1日内联系工程部."""
    decision = decide("xinzheng", agreement_at=at("2026-09-30 10:00"))
    assert due(decision, "construction_handover") == "2026-10-02T00:00:00+08:00"


@pytest.mark.parametrize(("customer_class", "expected"), [
    pytest.param("scattered_household", "2026-10-02T00:00:00+08:00", id="003 三(二)5 零星户1日内完成施工"),
    pytest.param("small_commercial", "2026-10-03T00:00:00+08:00", id="003 三(二)5 小微商用户2日内完成施工"),
])
def test_x2_construction_time_by_customer_class(decide, customer_class, expected):
    decision = decide("xinzheng", customer_class=customer_class, work_order_at=at("2026-09-30 10:00"))
    assert due(decision, "construction") == expected


@pytest.mark.parametrize("customer_class", [
    pytest.param("residential", id="003 三(二)5 居民用户 按照合同约定时间 → no deadline here"),
    pytest.param("enterprise", id="003 三(二)5 非居民用户 按照合同约定时间 → no deadline here"),
])
def test_x2_contract_users_have_no_construction_deadline(decide, customer_class):
    decision = decide("xinzheng", customer_class=customer_class, work_order_at=at("2026-09-30 10:00"))
    assert deadline(decision, "construction") is None
    assert decision.missing_facts == ()


def test_x2_without_the_customer_class_the_construction_limit_is_open(decide):
    decision = decide("xinzheng", customer_class=None, work_order_at=at("2026-09-30 10:00"))
    assert deadline(decision, "construction") is None
    assert "customer_class" in decision.missing_facts


@pytest.mark.parametrize(("customer_class", "percent"), [
    pytest.param("residential", 10, id="003 三(六)1 民用户 每月不低于10%"),
    pytest.param("scattered_household", 10, id="003 三(六)1 零星户 are 民用户: 10%"),
    pytest.param("small_commercial", 100, id="003 三(六)1 非居民用户 每月100%"),
    pytest.param("enterprise", 100, id="003 三(六)1 enterprise 非居民: 100%"),
])
def test_x3_return_visit_quota(decide, customer_class, percent):
    visits = decide("xinzheng", customer_class=customer_class).return_visits.to_json()
    assert visits == {"percent": percent, "period": "month",
                      "feedback_within": {"value": "3", "unit": "working_days", "wording": "3个工作日内"}}


def test_xinzheng_says_nothing_of_free_installation_or_approvals(decide):
    decision = decide("xinzheng", outside_length_m="500")
    assert (decision.free_installation, decision.approval_path) == (None, None)
