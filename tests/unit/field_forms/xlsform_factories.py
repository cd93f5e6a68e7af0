"""XLSForms written with openpyxl, as a form author's spreadsheet program writes them."""
from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook

ZH, EN = "label::中文 (zh)", "label::English (en)"
SETTINGS = [["form_title", "form_title_en", "form_id", "version"], ["回访", "Visit", "return_visit", "1"]]


def xlsform(survey: list[list], choices: list[list] | None = None, settings: list[list] | None = None) -> bytes:
    """An .xlsx with the three sheets; each argument's first row is the header."""
    workbook = Workbook()
    sheets = (("survey", survey), ("choices", choices or [["list_name", "name", ZH, EN]]),
              ("settings", settings or SETTINGS))
    for index, (name, rows) in enumerate(sheets):
        sheet = workbook.active if index == 0 else workbook.create_sheet(name)
        sheet.title = name
        for row in rows:
            sheet.append(row)
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


# The built-in return visit form (field_forms/builtin/return_visit.json) as a form author would write it.
RETURN_VISIT_SURVEY = [
    ["type", "name", ZH, EN, "hint::中文 (zh)", "hint::English (en)", "required", "relevant"],
    ["dateTime", "visited_at", "回访时间", "Visited at", None, None, "yes"],
    ["select_one visit_methods", "method", "回访方式", "Method", None, None, "yes"],
    ["select_one customer_classes", "customer_class", "用户类别", "Customer class", None, None, "yes"],
    ["select_one genders", "owner_gender", "企业所有者性别", "Gender of the enterprise's owner",
     "分性别登记投诉信息及回访情况", "Complaints and return visits are recorded by gender", None,
     "${customer_class} = 'non_residential'"],
    ["select_one satisfaction", "satisfaction", "服务满意度", "Satisfaction", "安装过程、用水用气情况",
     "Installation and the supply since", "yes"],
    ["text", "dissatisfaction_reason", "不满意原因", "Reason for dissatisfaction", None, None, "yes",
     "${satisfaction} = 'dissatisfied'"],
    ["note", "close_feedback", "不满意的反馈须建立台账，3个工作日内逐条销号解决。",
     "Log the feedback; close every item within 3 working days.", None, None, None,
     "${satisfaction} = 'dissatisfied'"],
    ["text", "customer_needs", "用户需求", "Customer's needs"],
    ["text", "visited_by", "回访人", "Visited by", None, None, "yes"],
    ["text", "notes", "备注", "Notes"],
]
RETURN_VISIT_CHOICES = [
    ["list_name", "name", ZH, EN],
    ["visit_methods", "phone", "电话回访", "Phone call"],
    ["visit_methods", "on_site", "上门回访", "On-site visit"],
    ["customer_classes", "residential", "民用户", "Residential"],
    ["customer_classes", "non_residential", "非居民用户", "Non-residential"],
    ["satisfaction", "satisfied", "满意", "Satisfied"],
    ["satisfaction", "dissatisfied", "不满意", "Dissatisfied"],
    ["genders", "female", "女", "Female"],
    ["genders", "male", "男", "Male"],
    ["genders", "not_disclosed", "未告知", "Not disclosed"],
]
RETURN_VISIT_SETTINGS = [["form_title", "form_title_en", "form_id", "version"],
                         ["客户回访记录", "Customer return visit", "return_visit", "1"]]

# A water survey: a group, a repeat of pipe segments in Tapline's own types, a total and checks across them.
SURVEY_SURVEY = [
    ["type", "name", ZH, EN, "unit::中文 (zh)", "unit::English (en)", "required", "relevant", "constraint",
     "constraint_message::中文 (zh)", "constraint_message::English (en)", "calculation", "tapline_type",
     "min_count", "max_count", "default"],
    ["select_multiple utilities", "utilities", "报装内容", "Utilities", None, None, "yes"],
    ["begin group", "water", "供水", "Water", None, None, None, "selected(${utilities}, 'water')"],
    ["integer", "meter_dn", "水表口径", "Meter DN", None, None, "yes", None, None, None, None, None, "pipe_dn"],
    ["decimal", "demand", "用水量", "Demand", "吨/日", "t/d", None, None, ". > 0", "用水量应大于0",
     "Demand must be positive", None, None, None, None, "10"],
    ["begin repeat", "segments", "管段", "Segments", None, None, None, None, None, None, None, None, None, 1, 20],
    ["integer", "pipe_dn", "管径", "Pipe DN", None, None, "yes", None, ". >= ${meter_dn}", "管径不应小于水表口径",
     "A pipe should not be smaller than the meter", None, "pipe_dn"],
    ["decimal", "length_m", "长度", "Length", None, None, "yes", None, None, None, None, None, "length"],
    ["end repeat"],
    ["decimal", "total_m", "合计长度", "Total length", "米", "m", None, None, None, None, None, "sum(${length_m})"],
    ["end group"],
    ["image", "site_photo", "现场照片", "Site photo"],
]
SURVEY_CHOICES = [["list_name", "name", ZH, EN], ["utilities", "water", "供水", "Water"],
                  ["utilities", "gas", "供气", "Gas"]]
SURVEY_SETTINGS = [["form_title", "form_title_en", "form_id", "version"], ["踏勘", "Survey", "water_survey", "2"]]
