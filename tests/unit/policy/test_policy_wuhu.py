"""Wuhu (seed 002): each rule walked on both sides of its conditions, answers read from the notice."""

import pytest

from tests.unit.policy.policy_factories import at, deadline, due


@pytest.mark.parametrize("utility", ["water", "gas"])
def test_w0_water_and_gas_are_covered(decide, utility):
    """002 二 獲得用水, 三 獲得用氣."""
    assert decide("wuhu", utility=utility, customer_class="residential").applicable is True


@pytest.mark.parametrize(("utility", "free"), [
    pytest.param("water", True, id="002 二(一)4 不得向用戶收取計量裝置及紅線外的接入費用 → free"),
    pytest.param("gas", None, id="002 三 sets no such rule for gas → says nothing"),
])
def test_w4_no_charge_for_the_meter_or_outside_the_red_line(decide, utility, free):
    assert decide("wuhu", utility=utility).free_installation is free


@pytest.mark.parametrize(("overrides", "path"), [
    pytest.param({}, "commitment_filing", id="002 二(二)4 營商客戶 road/green permits → 承諾備案"),
    pytest.param({"customer_class": "small_commercial"}, "commitment_filing", id="002 二(二)4 small business too"),
    pytest.param({"outside_length_m": "0"}, None, id="002 二(二)4 no outer works → no permits"),
    pytest.param({"outside_length_m": "0.01"}, "commitment_filing", id="002 二(二)4 1 cm of outer works → filing"),
    pytest.param({"tree_felling": True}, None, id="002 二(二)4 不包括砍伐、遷移城市樹木 → no path named"),
    pytest.param({"traffic_safety_impact": True}, None, id="002 二(二)4 不包括影響交通安全的項目 → no path named"),
    pytest.param({"customer_class": "residential"}, None, id="002 二(二)4 營商客戶 only: residential → silent"),
    pytest.param({"utility": "gas"}, None, id="002 二(二)4 裝接水 only: gas → silent"),
])
def test_w5_municipal_permits_filed_on_commitment(decide, overrides, path):
    decision = decide("wuhu", **overrides)
    assert decision.approval_path == path
    assert decision.missing_facts == ()


def test_w5_whether_trees_or_traffic_are_touched_is_never_guessed(decide):
    decision = decide("wuhu", tree_felling=None, traffic_safety_impact=None)
    assert decision.approval_path is None
    assert decision.missing_facts == ("traffic_safety_impact", "tree_felling")


def test_w5_one_exclusion_settles_it_without_the_other(decide):
    decision = decide("wuhu", tree_felling=True, traffic_safety_impact=None)
    assert (decision.approval_path, decision.missing_facts) == (None, ())


@pytest.mark.parametrize(("overrides", "materials", "deferred"), [
    pytest.param({"utility": "gas"}, 0, True, id="002 三(一)1 新裝非居 gas → 零材料, credit code 容缺"),
    pytest.param({"utility": "gas", "customer_class": "small_commercial"}, 0, True, id="002 三(一)1 small business"),
    pytest.param({"utility": "gas", "customer_class": "residential"}, None, False,
                 id="002 三(一)1 非居 only: residential → says nothing"),
    pytest.param({"utility": "gas", "business_type": "expansion"}, None, False,
                 id="002 三(一)1 新裝 only: expansion → says nothing"),
    pytest.param({"utility": "water"}, None, False, id="002 三(一)1 is about gas: water → says nothing"),
])
def test_w3_new_non_residential_gas_needs_no_materials(decide, overrides, materials, deferred):
    decision = decide("wuhu", **overrides)
    assert decision.materials == materials
    assert (decision.deferred_materials is not None) is deferred
    if deferred:
        assert decision.deferred_materials.to_json() == {
            "mechanism": "tolerance", "due_before": None,
            "items": [{"zh": "統一社會信用代碼", "en": "unified social credit code", "optional": False}]}


@pytest.mark.parametrize(("surveyed", "expected"), [
    pytest.param("2026-09-30 10:00", "2026-10-08T17:30:00+08:00", id="002 二(二)3 一個工作日內 over National Day"),
    pytest.param("2026-09-18 10:00", "2026-09-20T17:30:00+08:00", id="002 二(二)3 onto the make-up Sunday"),
])
def test_w1_survey_data_uploaded_within_one_working_day(decide, surveyed, expected):
    assert due(decide("wuhu", surveyed_at=at(surveyed)), "survey_upload") == expected


def test_w2_construction_starts_the_next_day(decide):
    """002 二(二)5 接到任務單的次日進場施工: by the end of the next calendar day."""
    decision = decide("wuhu", work_order_at=at("2026-09-30 16:00"))
    assert due(decision, "construction_start") == "2026-10-02T00:00:00+08:00"


def test_w2_system_entry_on_connection_day(decide):
    """002 二(二)5 通水當天必須完成系統錄入: by 24:00 of that day."""
    decision = decide("wuhu", connected_at=at("2026-10-01 21:00"))
    assert due(decision, "system_entry") == "2026-10-02T00:00:00+08:00"


def test_w2_post_connection_documents(decide):
    """002 二(二)5 通水后應提交的材料 …; 市政聯合審批回執 only 如有."""
    documents = decide("wuhu").post_connection_documents.to_json()
    assert [d["zh"] for d in documents] == ["客戶預約報裝信息", "受理通知單", "施工圖", "領料單", "控價單",
                                            "市政聯合審批回執", "開工報告", "客戶驗收確認單"]
    assert [d["zh"] for d in documents if d["optional"]] == ["市政聯合審批回執"]


def test_w1_w2_are_water_steps(decide):
    decision = decide("wuhu", utility="gas", surveyed_at=at("2026-09-30 10:00"))
    assert decision.deadlines == ()
    assert decision.post_connection_documents is None
    assert deadline(decide("wuhu"), "survey_upload").due is None


@pytest.mark.parametrize(("overrides", "visits"), [
    pytest.param({}, {"percent": 100, "period": None, "feedback_within": None}, id="002 二(一)3 回訪率達100%"),
    pytest.param({"utility": "gas"}, {"percent": 100, "period": "month", "feedback_within": None},
                 id="002 四7 已完工營商工單 按月 熱線回訪"),
    pytest.param({"utility": "gas", "customer_class": "residential"}, None, id="002 四7 營商 only: resident gas"),
])
def test_w6_w7_return_visits(decide, overrides, visits):
    decision = decide("wuhu", **overrides)
    assert (decision.return_visits.to_json() if decision.return_visits else None) == visits


def test_wuhu_sets_no_step_count(decide):
    """002 二(一)1 runs "101" and "201" side by side without saying which applies when."""
    decision = decide("wuhu")
    assert decision.steps is None
    assert decision.missing_facts == ()
