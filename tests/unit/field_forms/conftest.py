"""Factories for field_forms tests: definitions built from a few arguments, and filled built-in forms."""
from __future__ import annotations

import hashlib

import pytest

from field_forms import (
    DefinitionError,
    FormDefinition,
    SubmissionInvalid,
    builtin_forms,
    parse_definition,
    validate_submission,
)

COLOURS = [{"name": n, "label": {"zh": zh, "en": n}} for n, zh in (("red", "红"), ("green", "绿"), ("blue", "蓝"))]


def _label(text: str) -> dict:
    return {"zh": f"{text}（中文）", "en": text}


def _question(type_: str, name: str, **attributes) -> dict:
    raw = {"type": type_, "name": name, "label": _label(name.replace("_", " ").capitalize())}
    if type_ == "decimal":
        raw["unit"] = _label("unit")
    if type_ in ("select_one", "select_multiple"):
        raw["choices"] = "colours"
    if "constraint" in attributes:
        raw["constraint_message"] = {"zh": "不符合要求", "en": f"{name} is out of range"}
    raw.update(attributes)
    return raw


def _container(type_: str):
    def make(name: str, *children: dict, **attributes) -> dict:
        return {"type": type_, "name": name, "label": _label(name), "children": list(children), **attributes}
    return make


def _definition(*questions: dict, form_id: str = "test_form", version: int = 1,
                choice_lists: dict | None = None) -> dict:
    return {
        "form_id": form_id,
        "version": version,
        "title": _label("Test form"),
        "choice_lists": {"colours": COLOURS} if choice_lists is None else choice_lists,
        "questions": list(questions),
    }


@pytest.fixture
def make_question():
    """``make_question("decimal", "flow")``: a question with a label and what its type cannot go without
    (a unit, the ``colours`` choice list, a constraint message)."""
    return _question


@pytest.fixture
def make_group():
    """``make_group("water", *children, relevant=…)``."""
    return _container("group")


@pytest.fixture
def make_repeat():
    """``make_repeat("segments", *children, min_count=1)``."""
    return _container("repeat")


@pytest.fixture
def make_definition():
    """``make_definition(*questions, form_id=…, version=…, choice_lists=…)``: a raw definition."""
    return _definition


@pytest.fixture
def make_form():
    """``make_form(*questions, **options)``: a parsed FormDefinition."""
    return lambda *questions, **options: parse_definition(_definition(*questions, **options))


@pytest.fixture
def definition_errors():
    """The problems parse_definition reports for a raw definition (failing the test if it accepts it)."""
    def errors(raw: dict) -> list[dict]:
        with pytest.raises(DefinitionError) as raised:
            parse_definition(raw)
        return raised.value.errors
    return errors


@pytest.fixture
def submission_errors():
    """The problems validate_submission reports (failing the test if it accepts the answers)."""
    def errors(form: FormDefinition, answers: dict) -> list[dict]:
        with pytest.raises(SubmissionInvalid) as raised:
            validate_submission(form, answers)
        return raised.value.errors
    return errors


@pytest.fixture
def codes_at():
    """``{(field, code)}`` of a list of problems, to compare them without their messages."""
    return lambda errors: {(e["field"], e["code"]) for e in errors}


def sha(seed: str) -> str:
    """A blob reference, as a tablet computes it from a file's bytes."""
    return hashlib.sha256(seed.encode()).hexdigest()


@pytest.fixture(name="sha")
def sha_fixture():
    """``sha("photo.jpg")``: a realistic blob reference."""
    return sha


# Built-in forms, filled as a crew would fill them.

@pytest.fixture
def builtin():
    """Parsed built-in forms by id."""
    return {raw["form_id"]: parse_definition(raw) for raw in builtin_forms()}


@pytest.fixture
def filled_demand() -> dict:
    """An enterprise in Duodao district, Jingmen, asking for water and gas at once (一表申请)."""
    return {
        "applicant_unit": "荆门市恒达精密机械有限公司",
        "credit_code": "91420800MA4F2K3X7L",
        "address": "荆门市掇刀区荆南大道88号高新区标准化厂房7栋",
        "requested_connection_at": "2024-06-18T09:00:00+08:00",
        "contact_name": "李卫东",
        "contact_phone": "13907241234",
        "project_code": "2404-420804-04-01-517362",
        "utilities": ["water", "gas"],
        "water": {"business_type": "new", "daily_demand_t": 35.5},
        "gas": {"pressure_kpa": 10, "load_m3h": 60},
    }


JINGMEN_RED_LINE = {
    "type": "Polygon",
    "coordinates": [[
        [112.20510, 30.98930], [112.20630, 30.98930], [112.20630, 30.99020],
        [112.20510, 30.99020], [112.20510, 30.98930],
    ]],
}


@pytest.fixture
def filled_joint_survey() -> dict:
    """A water-only joint survey at the same site: two tape-measured segments, three photos."""
    return {
        "surveyed_at": "2024-06-12T10:20:00+08:00",
        "site_address": "荆门市掇刀区荆南大道88号",
        "crew_members": "张建国、王晓梅（水务集团）；刘强（公用事业服务中心）",
        "utilities": ["water"],
        "red_line": JINGMEN_RED_LINE,
        "water": {
            "meter_dn": 40,
            "meter_count": 1,
            "meter_position": {"type": "Point", "coordinates": [112.20522, 30.98941]},
            "route": {
                "type": "LineString",
                "coordinates": [[112.20450, 30.98912], [112.20510, 30.98912], [112.20522, 30.98941]],
            },
            "segments": [
                {"pipe_dn": 50, "material": "pe", "length_m": 57.3},
                {"pipe_dn": 40, "material": "steel_plastic_composite", "length_m": 34.65},
            ],
            "total_length_m": 57.3 + 34.65,  # as json-logic-js adds them on the tablet
        },
        "outer_works": {"green_area_m2": 12.5, "road_area_m2": 48},
        "photos": [
            {"photo": sha("市政接口.jpg"), "caption": "荆南大道市政供水管DN300接口处"},
            {"photo": sha("红线东南角.jpg"), "caption": "红线东南角"},
            {"photo": sha("水表井位置.jpg")},
        ],
        "sketch": sha("现场草图.png"),
        "applicant_signature": sha("李卫东签字.png"),
        "notes": "绿化带需临时占用约12.5平方米，已告知申请人承诺备案。",
    }


@pytest.fixture
def filled_acceptance() -> dict:
    """Wuhu: water on the day after the work order, documents photographed for the system."""
    return {
        "connected_at": "2024-07-03T16:40:00+08:00",
        "construction_started_on": "2024-07-03",
        "meter": {"meter_no": "WH2024070315", "meter_dn": 50, "initial_reading_m3": 0.35},
        "documents": {
            "appointment_record": sha("预约报装信息.jpg"),
            "acceptance_notice": sha("受理通知单.jpg"),
            "construction_drawing": sha("施工图.pdf"),
            "material_requisition": sha("领料单.jpg"),
            "cost_control_sheet": sha("控价单.jpg"),
            "municipal_approval": "yes",
            "municipal_approval_receipt": sha("市政联合审批回执.pdf"),
            "start_report": sha("开工报告.jpg"),
            "customer_acceptance": sha("客户验收确认单.jpg"),
        },
        "other_documents": [{"title": "管道试压记录", "file": sha("试压记录.jpg")}],
        "inspector": "陈志远",
        "notes": "芜湖市鸠江区电子产业园B区，挖掘道路审批由营商专班网上代办，当天取得回执。",
    }


@pytest.fixture
def filled_return_visit() -> dict:
    """Xinzheng: a non-residential customer, called back and dissatisfied."""
    return {
        "visited_at": "2024-08-05T15:10:00+08:00",
        "method": "phone",
        "customer_class": "non_residential",
        "owner_gender": "female",
        "satisfaction": "dissatisfied",
        "dissatisfaction_reason": "通气后燃气表箱未恢复绿化，施工垃圾未清运",
        "customer_needs": "希望一周内恢复门前绿化",
        "visited_by": "赵敏（市场开发部）",
    }
