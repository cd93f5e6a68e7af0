"""Jingmen (seed 001): each rule walked on both sides of its thresholds, answers read from the notice."""

import pytest

from tests.unit.policy.policy_factories import at, deadline, due


@pytest.mark.parametrize(("customer_class", "applicable"), [
    pytest.param("enterprise", True, id="001 二 适用于…企业用户 → applies"),
    pytest.param("small_commercial", False, id="001 二 企业用户 only (other 非居民 later): small commercial → not"),
    pytest.param("residential", False, id="001 二 企业用户 only: residential → not"),
    pytest.param("scattered_household", False, id="001 二 企业用户 only: scattered household → not"),
])
def test_j0_scope_is_enterprises(decide, customer_class, applicable):
    decision = decide("jingmen", customer_class=customer_class)
    assert decision.applicable is applicable
    if not applicable:
        (reason,) = decision.reasons
        assert (reason.rule, reason.clause) == ("J0", "001 二")
        assert customer_class in reason.message
        assert (decision.steps, decision.approval_path, decision.deadlines) == (None, None, ())


@pytest.mark.parametrize(("utility", "business_type"), [("water", "temporary"), ("gas", "expansion")])
def test_j0_both_utilities_and_every_business_type(decide, utility, business_type):
    """001 二 水、气接入业务; 附件 新开户 / 扩容 / 临时用水."""
    assert decide("jingmen", utility=utility, business_type=business_type).applicable is True


def test_j0_without_the_customer_class_applicability_is_open(decide):
    decision = decide("jingmen", customer_class=None)
    assert decision.applicable is None
    assert decision.missing_facts == ("customer_class",)
    assert decision.steps == 1, "what does not depend on the class is still decided"


def test_j5_one_step_zero_materials(decide):
    """001 一 1个环节（通水、通气）; 全面实行“0材料”."""
    decision = decide("jingmen")
    assert (decision.steps, decision.materials) == (1, 0)


@pytest.mark.parametrize(("outside_length_m", "path"), [
    pytest.param("0", None, id="001 四(一)2 no outer works → no approval"),
    pytest.param("0.004", None, id="001 四(一)2 0.004 m rounds to 0.00 → no outer works"),
    pytest.param("0.01", "filing", id="001 四(一)2 0.01 m of outer works → 容缺审批（报备）"),
    pytest.param("300", "filing", id="001 四(一)2 300米以内 at 300 m → filing"),
    pytest.param("300.004", "filing", id="001 四(一)2 300.004 m rounds to 300.00 → filing"),
    pytest.param("300.005", "escalate", id="001 四(一)2 300.005 m rounds to 300.01: 超过300米 → escalate"),
    pytest.param("300.01", "escalate", id="001 四(一)2 超过300米 → 提请市住建局协调"),
    pytest.param("1500", "escalate", id="001 四(一)2 1.5 km → escalate"),
])
def test_j2_approval_path_by_outer_length(decide, outside_length_m, path):
    decision = decide("jingmen", outside_length_m=outside_length_m)
    assert decision.approval_path == path
    assert decision.missing_facts == ()


def test_j2_without_the_length_no_path_is_guessed(decide):
    decision = decide("jingmen", outside_length_m=None)
    assert decision.approval_path is None
    assert decision.missing_facts == ("outside_length_m",)


def test_j2_near_300_m_is_flagged(decide):
    decision = decide("jingmen", outside_length_m="301.5", outside_length_accuracy_m="2")
    assert decision.approval_path == "escalate"
    assert [(n.threshold, n.margin) for n in decision.near_threshold] == [(300, 1.5)]


def test_j1_construction_to_connection_within_one_day(decide):
    """001 三(四)4 施工、竣工验收、通水通气压缩为1天时间: a calendar day, holidays included."""
    decision = decide("jingmen", applied_at=at("2026-09-30 16:00"))
    assert due(decision, "connection") == "2026-10-02T00:00:00+08:00"
    assert deadline(decision, "connection").calendar.value == "official"


def test_j4_connection_within_one_working_day_of_completion(decide):
    """001 一 施工完工后1个工作日内完成接入: over National Day 2026."""
    decision = decide("jingmen", completed_at=at("2026-09-30 16:00"))
    assert due(decision, "connection_after_completion") == "2026-10-08T17:30:00+08:00"


def test_j4_due_is_null_until_completion(decide):
    assert due(decide("jingmen"), "connection_after_completion") is None


def test_jingmen_says_nothing_of_free_installation(decide):
    assert decide("jingmen").free_installation is None
