"""What people read for a clock's step: `water.connection` is 用水·通水."""

UTILITY_NAMES = {"water": "用水", "gas": "用气"}
STEP_NAMES = {
    "acceptance": "受理",
    "handover_to_account_manager": "项目信息推送客户经理",
    "contact_applicant": "客户经理联系申请人",
    "survey_upload": "踏勘资料上传",
    "survey_and_design": "踏勘与设计",
    "fee_agreement": "费用协议",
    "construction_handover": "施工安排",
    "outer_works_approval": "外线审批",
    "construction_start": "开工",
    "construction": "施工",
    "connection_after_completion": "竣工后通气",
    "system_entry": "系统录入",
    "return_visit_follow_up": "回访整改销号",
}
CONNECTION_NAMES = {"water": "通水", "gas": "通气"}


def step_name(step: str) -> str:
    """`water.connection` → 用水·通水; an unknown step keeps its code, so nothing is ever unnamed."""
    utility, _, name = step.partition(".")
    label = CONNECTION_NAMES.get(utility, "通水/通气") if name == "connection" else STEP_NAMES.get(name, name)
    return f"{UTILITY_NAMES.get(utility, utility)}·{label}"
