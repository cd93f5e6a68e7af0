"""A form version written as an XLSForm (.xlsx: survey, choices, settings) that ``read_xlsform`` reads back.

Tapline's own types travel in the ``tapline_type`` column (``pipe_dn`` on an integer row, ``length`` on a
decimal one), units in ``unit::…`` columns and repeat counts in ``min_count``/``max_count``: ODK tools ignore
columns they do not know. An expression with no XLSForm form is refused with its place, never dropped.
"""
from __future__ import annotations

from collections.abc import Iterator
from io import BytesIO
from typing import Any

from openpyxl import Workbook

from field_forms.codes import FormCode, ProblemCode
from field_forms.errors import Problem, _ProblemList, problem
from field_forms.xpath import XPathError, to_xpath

LANGUAGES = (("zh", "中文 (zh)"), ("en", "English (en)"))
LABELLED = ("label", "hint", "constraint_message", "unit")
SURVEY_HEADER = ["type", "name", *(f"{a}::{name}" for a in LABELLED for _, name in LANGUAGES), "required",
                 "relevant", "constraint", "calculation", "default", "read_only", "appearance", "tapline_type",
                 "min_count", "max_count"]
CHOICES_HEADER = ["list_name", "name", *(f"label::{name}" for _, name in LANGUAGES)]
SETTINGS_HEADER = ["form_title", "form_title_en", "form_id", "version"]
#: The form language's type → (XLSForm type, appearance, tapline_type).
TYPES = {"text": ("text", None, None), "integer": ("integer", None, None), "decimal": ("decimal", None, None),
         "date": ("date", None, None), "datetime": ("dateTime", None, None), "geopoint": ("geopoint", None, None),
         "geotrace": ("geotrace", None, None), "geoshape": ("geoshape", None, None), "note": ("note", None, None),
         "photo": ("image", None, None), "sketch": ("image", "draw", None),
         "signature": ("image", "signature", None), "pipe_dn": ("integer", None, "pipe_dn"),
         "length": ("decimal", None, "length")}
EXPRESSIONS = (("relevant", "relevant"), ("constraint", "constraint"), ("calculate", "calculation"))


class XLSFormUnsupported(_ProblemList):
    """The version uses what XLSForm cannot say; ``errors`` names each place in the definition."""

    code = FormCode.XLSFORM_EXPORT_UNSUPPORTED
    summary = "the form cannot be written as an XLSForm"


def write_xlsform(raw: dict[str, Any]) -> bytes:
    """The .xlsx of a (valid) definition; raises XLSFormUnsupported listing every expression it cannot write."""
    keys = dict(_walk(raw["questions"], "", "questions"))
    names: dict[str, list[str]] = {}
    for key in keys:
        names.setdefault(key.rsplit(".", 1)[-1], []).append(key)

    def name_of(key: str) -> str:
        name = key.rsplit(".", 1)[-1]
        if len(names.get(name, [])) > 1:
            raise XPathError(f"{name!r} names {len(names[name])} questions; an XLSForm reference needs one")
        return name

    problems: list[Problem] = []
    survey = [SURVEY_HEADER]
    for location, key, question, closing in _rows(raw["questions"], "", "questions"):
        if closing:
            survey.append([f"end {question['type']}"])
            continue
        cells = _cells(question)
        for attribute, column in EXPRESSIONS:
            if attribute in question:
                try:
                    cells[column] = to_xpath(question[attribute], name_of=name_of, own_key=key,
                                             type_of=lambda k: keys[k]["type"] if k in keys else None)
                except XPathError as error:
                    problems.append(problem(f"{location}.{attribute}", ProblemCode.UNSUPPORTED_EXPRESSION,
                                            error.message))
        survey.append([cells.get(column) for column in SURVEY_HEADER])
    if problems:
        raise XLSFormUnsupported(problems)
    choices = [CHOICES_HEADER] + [[list_name, choice["name"], *(choice["label"][code] for code, _ in LANGUAGES)]
                                  for list_name, entries in raw.get("choice_lists", {}).items() for choice in entries]
    settings = [SETTINGS_HEADER, [raw["title"]["zh"], raw["title"]["en"], raw["form_id"], str(raw["version"])]]
    workbook = Workbook()
    for sheet, rows in zip(("survey", "choices", "settings"), (survey, choices, settings), strict=True):
        worksheet = workbook.active if sheet == "survey" else workbook.create_sheet(sheet)
        worksheet.title = sheet
        for row in rows:
            worksheet.append(row)
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def _cells(question: dict[str, Any]) -> dict[str, Any]:
    qtype = question["type"]
    if qtype in ("group", "repeat"):
        cells: dict[str, Any] = {"type": f"begin {qtype}"}
    elif qtype in ("select_one", "select_multiple"):
        cells = {"type": f"{qtype} {question['choices']}"}
    else:
        xlsform_type, appearance, narrowed = TYPES[qtype]
        cells = {"type": xlsform_type, "appearance": appearance, "tapline_type": narrowed}
    cells["name"] = question["name"]
    for attribute in LABELLED:
        for code, name in LANGUAGES:
            if attribute in question:
                cells[f"{attribute}::{name}"] = question[attribute][code]
    for flag in ("required", "read_only"):
        if question.get(flag):
            cells[flag] = "yes"
    if "default" in question:
        default = question["default"]
        cells["default"] = " ".join(default) if isinstance(default, list) else str(default)
    for count in ("min_count", "max_count"):
        if count in question:
            cells[count] = question[count]
    return cells


def _walk(questions: list[dict], prefix: str, path: str) -> Iterator[tuple[str, dict]]:
    for question in questions:
        key = f"{prefix}.{question['name']}" if prefix else question["name"]
        yield key, question
        yield from _walk(question.get("children", []), key, path)


def _rows(questions: list[dict], prefix: str, path: str) -> Iterator[tuple[str, str, dict, bool]]:
    """Each question with its location and key in sheet order; a container's closing row after its children."""
    for index, question in enumerate(questions):
        location = f"{path}[{index}]"
        key = f"{prefix}.{question['name']}" if prefix else question["name"]
        yield location, key, question, False
        if question["type"] in ("group", "repeat"):
            yield from _rows(question.get("children", []), key, f"{location}.children")
            yield location, key, question, True
