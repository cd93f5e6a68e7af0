"""XLSForm (.xlsx: survey, choices, settings) into Tapline's form language, read with pyxform.

pyxform reads the workbook and checks it as ODK tools would; this module then converts the rows it read.
Every construct the form language has no equivalent for is reported with its sheet, row and column and
why, all at once, and nothing is returned: an import is whole or refused (docs/forms.md, XLSForm).
"""
from __future__ import annotations

import dataclasses
import re
from decimal import Decimal, InvalidOperation
from io import BytesIO
from typing import Any

from pyxform.errors import PyXFormError
from pyxform.xls2json_backends import get_xlsform
from pyxform.xls2xform import convert

from domain_errors import Code
from field_forms.codes import FormCode, ProblemCode
from field_forms.definition import parse_definition
from field_forms.errors import DefinitionError, Problem, _ProblemList, problem
from field_forms.xpath import Reference, XPathError, to_jsonlogic

#: XLSForm type → the form language's, for the types that map one to one.
TYPES = {"text": "text", "integer": "integer", "decimal": "decimal", "date": "date", "datetime": "datetime",
         "geopoint": "geopoint", "geotrace": "geotrace", "geoshape": "geoshape", "note": "note"}
#: ``image`` by its appearance.
IMAGES = {None: "photo", "draw": "sketch", "signature": "signature"}
#: Tapline's own column: a type XLSForm lacks, written on the XLSForm type it narrows.
TAPLINE_TYPES = {"pipe_dn": "integer", "length": "decimal"}
LABELLED = ("label", "hint", "constraint_message", "unit")
EXPRESSIONS = {"relevant": "relevant", "constraint": "constraint", "calculation": "calculate"}
SURVEY_COLUMNS = frozenset({"type", "name", "required", "read_only", "default", "appearance", "tapline_type",
                            "min_count", "max_count", *EXPRESSIONS})
CHOICE_COLUMNS = frozenset({"list_name", "name"})
SETTINGS_COLUMNS = frozenset({"form_title", "form_title_en", "form_id", "version", "default_language"})
YES, NO = frozenset({"yes", "true", "true()"}), frozenset({"no", "false", "false()"})
_LANGUAGE = re.compile(r"^(?P<attr>[a-z_]+)::.*\((?P<code>[A-Za-z-]+)\)\s*$")
_PYXFORM_ROW = re.compile(r"^\[row : (\d+)\]\s*")
_PYXFORM_SHEET = re.compile(r"the '(\w+)' sheet")


class XLSFormInvalid(_ProblemList):
    """The workbook cannot become a form version; ``errors`` lists every problem with sheet, row and column."""

    code = FormCode.XLSFORM_INVALID
    summary = "the XLSForm cannot be imported"


def at(sheet: str, row: int | None, column: str | None, code: Code, message: str, **details: Any) -> Problem:
    """A problem at a cell: ``field`` reads ``survey!B7``-like as ``survey[7].constraint``."""
    where = sheet + (f"[{row}]" if row else "") + (f".{column}" if column else "")
    return problem(where, code, message, sheet=sheet, row=row, column=column, **details)


def read_xlsform(content: bytes, *, form_id: str, version: int, max_rows: int) -> dict[str, Any]:
    """The definition the workbook describes, checked by ``parse_definition``; raises XLSFormInvalid.

    ``version`` is used when the settings sheet gives none; ``form_id`` is what its form_id must be.
    """
    try:
        workbook = get_xlsform(BytesIO(content), file_type=".xlsx")
    except PyXFormError as error:
        raise XLSFormInvalid([at("workbook", None, None, ProblemCode.UNREADABLE_WORKBOOK,
                                 f"not an .xlsx XLSForm: {error}")]) from None
    rows = len(workbook.survey) + len(workbook.choices)
    if rows > max_rows:
        raise XLSFormInvalid([at("workbook", None, None, ProblemCode.TOO_MANY_ROWS,
                                 f"{rows} rows in survey and choices; at most {max_rows}", limit=max_rows)])
    try:
        convert(xlsform=dataclasses.asdict(workbook), warnings=[])
    except PyXFormError as error:
        raise XLSFormInvalid([_pyxform_problem(str(error))]) from None
    return _Converter(workbook, form_id, version).definition()


def _pyxform_problem(message: str) -> Problem:
    row = _PYXFORM_ROW.match(message)
    sheet = _PYXFORM_SHEET.search(message)
    return at(sheet.group(1) if sheet else "survey", int(row.group(1)) if row else None, None,
              ProblemCode.XLSFORM_ERROR, _PYXFORM_ROW.sub("", message).strip())


class _Converter:
    def __init__(self, workbook: Any, form_id: str, version: int) -> None:
        self.workbook = workbook
        self.form_id = form_id
        self.version = version
        self.problems: list[Problem] = []
        self.references: dict[str, Reference] = {}
        self.pending: list[tuple[dict, str, str, int, str, Reference]] = []
        self.locations: dict[str, tuple[str, int]] = {}

    def fail(self, sheet: str, row: int | None, column: str | None, code: Code, message: str, **details) -> None:
        self.problems.append(at(sheet, row, column, code, message, **details))

    def definition(self) -> dict[str, Any]:
        title, form_id, version = self.settings()
        choice_lists = self.choices()
        questions = self.survey()
        for spec, attribute, expression, row, column, own in self.pending:
            try:
                spec[attribute] = to_jsonlogic(expression, refs=self.references, own=own)
            except XPathError as error:
                self.fail("survey", row, column, ProblemCode.UNSUPPORTED_EXPRESSION, error.message,
                          expression=expression, position=error.position)
        if self.problems:
            raise XLSFormInvalid(self.problems)
        raw = {"form_id": form_id, "version": version, "title": title, "choice_lists": choice_lists,
               "questions": questions}
        try:
            parse_definition(raw)
        except DefinitionError as error:
            raise XLSFormInvalid([self.locate(item) for item in error.errors]) from None
        return raw

    def locate(self, item: Problem) -> Problem:
        """A problem the definition check found, placed back on the row it came from."""
        field = item["field"] or ""
        best = max((path for path in self.locations if field == path or field.startswith(path + ".")
                    or field.startswith(path + "[")), key=len, default=None)
        if best is None:
            return at("survey", None, None, item["code"], f"{field}: {item['message']}", **item["details"])
        sheet, row = self.locations[best]
        rest = field[len(best):].lstrip(".")
        column = {"calculate": "calculation"}.get(rest, rest) or None
        return at(sheet, row, column, item["code"], item["message"], **item["details"])

    # --- settings and choices -------------------------------------------------------------------------

    def settings(self) -> tuple[dict, str, int]:
        rows = self.workbook.settings or [{}]
        values = rows[0]
        for column in values:
            if column not in SETTINGS_COLUMNS:
                self.fail("settings", 2, column, ProblemCode.UNSUPPORTED_SETTING, f"Tapline has no setting {column!r}")
        title = {"zh": values.get("form_title"), "en": values.get("form_title_en")}
        for language, column in (("zh", "form_title"), ("en", "form_title_en")):
            if not title[language]:
                self.fail("settings", 2, column, ProblemCode.MISSING_LABEL,
                          f"the form needs a title in {language}: {column} on the settings sheet")
        form_id = values.get("form_id") or self.form_id
        if form_id != self.form_id:
            self.fail("settings", 2, "form_id", FormCode.FORM_ID_MISMATCH,
                      f"form_id {form_id!r} is not {self.form_id!r}, the form in the URL")
        version = self.version
        if values.get("version") is not None:
            if not re.fullmatch(r"[1-9]\d{0,8}", values["version"]):
                self.fail("settings", 2, "version", ProblemCode.INVALID_VERSION,
                          "version must be a whole number ≥ 1 (Tapline numbers versions 1, 2, 3 …)")
            else:
                version = int(values["version"])
        return title, form_id, version

    def choices(self) -> dict[str, list[dict]]:
        lists: dict[str, list[dict]] = {}
        for index, row in enumerate(self.workbook.choices):
            number = index + 2
            if not row:
                continue
            labels = self.labels("choices", number, row)
            for column in row:
                if column not in CHOICE_COLUMNS and _language(column) is None:
                    self.fail("choices", number, column, ProblemCode.UNSUPPORTED_COLUMN,
                              f"Tapline choices have a name and a label only, not {column!r}")
            entries = lists.setdefault(row.get("list_name", ""), [])
            self.locations[f"choice_lists.{row.get('list_name')}[{len(entries)}]"] = ("choices", number)
            entries.append({"name": row.get("name", ""), "label": labels.get("label")})
        return lists

    # --- survey ---------------------------------------------------------------------------------------

    def survey(self) -> list[dict]:
        top: list[dict] = []
        # Each open container: its children, its key, the repeat it makes (or inherits), its JSON path.
        stack: list[tuple[list[dict], str, str | None, str]] = [(top, "", None, "questions")]
        for index, row in enumerate(self.workbook.survey):
            number = index + 2
            if not row:
                continue
            kind = _kind(row.get("type", ""))
            children, prefix, repeat, path = stack[-1]
            if kind in ("end group", "end repeat"):
                stack.pop()
                continue
            spec = self.question(number, row, kind)
            if spec is None:
                continue
            name = spec["name"]
            key = f"{prefix}.{name}" if prefix else name
            location = f"{path}[{len(children)}]"
            self.locations[location] = ("survey", number)
            children.append(spec)
            if spec["type"] in ("group", "repeat"):
                spec["children"] = []
                inner = key if spec["type"] == "repeat" else repeat
                stack.append((spec["children"], key, inner, f"{location}.children"))
            self.references[name] = Reference(key, spec["type"], repeat)
            own = Reference(key, spec["type"], repeat)
            for column, attribute in EXPRESSIONS.items():
                if row.get(column):
                    self.pending.append((spec, attribute, row[column], number, column, own))
        return top

    def question(self, number: int, row: dict, kind: str) -> dict | None:
        """The question a row declares (expressions filled in later), or None when its type is refused."""
        for column in row:
            if column not in SURVEY_COLUMNS and _language(column) is None:
                self.fail("survey", number, column, ProblemCode.UNSUPPORTED_COLUMN,
                          f"Tapline has no {column!r}: the form would lose what it says")
        qtype = self.question_type(number, row, kind)
        if qtype is None:
            return None
        spec: dict[str, Any] = {"type": qtype, "name": row.get("name", "")}
        if qtype in ("select_one", "select_multiple"):
            spec["choices"] = kind.split()[1]
        spec |= self.labels("survey", number, row, unit=qtype in ("integer", "decimal"))
        for column in ("required", "read_only"):
            if row.get(column) is not None:
                flag = self.flag(number, row, column)
                if flag:
                    spec[column] = True
        if row.get("default") is not None:
            default = self.default(number, row["default"], qtype)
            if default is not None:
                spec["default"] = default
        for column in ("min_count", "max_count"):
            if row.get(column) is not None:
                if qtype != "repeat" or not row[column].isdigit():
                    self.fail("survey", number, column, ProblemCode.INVALID_COUNT,
                              f"{column} is a whole number on a begin repeat row")
                else:
                    spec[column] = int(row[column])
        return spec

    def question_type(self, number: int, row: dict, kind: str) -> str | None:
        appearance, narrowed = row.get("appearance"), row.get("tapline_type")
        words = kind.split()
        if kind in ("begin group", "begin repeat"):
            qtype = kind.split()[1]
        elif words and words[0] in ("select_one", "select_multiple") and len(words) == 2:
            qtype = words[0]
        elif kind == "image":
            qtype = IMAGES.get(appearance)
            if qtype is None:
                self.fail("survey", number, "appearance", ProblemCode.UNSUPPORTED_APPEARANCE,
                          f"an image with appearance {appearance!r}: Tapline has photos, sketches (draw) and "
                          "signatures (signature)")
                return None
            appearance = None
        elif kind in TYPES:
            qtype = TYPES[kind]
        else:
            why = ("a hidden calculation: give the row a type (integer, decimal, text) and its calculation"
                   if kind == "calculate" else f"the form language has no {row.get('type')!r} question")
            self.fail("survey", number, "type", ProblemCode.UNSUPPORTED_TYPE, why)
            return None
        if appearance:
            self.fail("survey", number, "appearance", ProblemCode.UNSUPPORTED_APPEARANCE,
                      f"Tapline forms carry no appearance ({appearance!r}): tablets render each type one way")
        if narrowed is not None:
            if TAPLINE_TYPES.get(narrowed) != qtype:
                self.fail("survey", number, "tapline_type", ProblemCode.INVALID_TAPLINE_TYPE,
                          f"tapline_type {narrowed!r} narrows "
                          + (f"an {TAPLINE_TYPES[narrowed]} row" if narrowed in TAPLINE_TYPES
                             else f"nothing: one of {', '.join(TAPLINE_TYPES)}"))
                return None
            qtype = narrowed
        return qtype

    def labels(self, sheet: str, number: int, row: dict, *, unit: bool = False) -> dict[str, Any]:
        """``label``, ``hint``, ``constraint_message`` and ``unit`` as {zh, en} from ``label::中文 (zh)`` columns."""
        found: dict[str, dict[str, str]] = {}
        for column, value in row.items():
            language = _language(column)
            if language is None:
                continue
            attribute, code = language
            if attribute not in LABELLED or (sheet == "choices" and attribute != "label"):
                self.fail(sheet, number, column, ProblemCode.UNSUPPORTED_COLUMN,
                          f"Tapline has no translated {attribute!r}")
            elif code is None:
                self.fail(sheet, number, column, ProblemCode.UNTRANSLATED_LABEL,
                          f"{attribute} needs zh and en columns, such as {attribute}::中文 (zh) and "
                          f"{attribute}::English (en)")
            elif attribute == "unit" and not unit:
                self.fail(sheet, number, column, ProblemCode.UNSUPPORTED_COLUMN,
                          "a unit belongs on integer and decimal rows")
            else:
                found.setdefault(attribute, {})[code] = value
        for attribute, texts in found.items():
            for code in ("zh", "en"):
                if not texts.get(code):
                    self.fail(sheet, number, f"{attribute}::({code})", ProblemCode.MISSING_LABEL,
                              f"{attribute} has no {code} text")
        return {attribute: {code: texts.get(code, "") for code in ("zh", "en")} for attribute, texts in found.items()}

    def flag(self, number: int, row: dict, column: str) -> bool:
        value = row[column].strip().lower()
        if value in YES:
            return True
        if value not in NO:
            self.fail("survey", number, column, ProblemCode.UNSUPPORTED_EXPRESSION,
                      f"{column} is yes or no in Tapline, not an expression ({row[column]!r})")
        return False

    def default(self, number: int, text: str, qtype: str) -> Any:
        if "${" in text or "(" in text:
            self.fail("survey", number, "default", ProblemCode.UNSUPPORTED_DEFAULT,
                      "a default computed from other answers: use a calculation")
            return None
        if qtype in ("integer", "pipe_dn", "decimal", "length"):
            try:
                value = Decimal(text)
            except InvalidOperation:
                self.fail("survey", number, "default", ProblemCode.INVALID_DEFAULT, f"{text!r} is not a number")
                return None
            if qtype in ("integer", "pipe_dn"):
                return int(value) if value == value.to_integral_value() else text
            return int(value) if value == value.to_integral_value() and "." not in text else float(value)
        if qtype == "select_multiple":
            return text.split()
        if qtype in ("text", "select_one", "date", "datetime"):
            return text
        self.fail("survey", number, "default", ProblemCode.UNSUPPORTED_DEFAULT, f"a {qtype} question takes no default")
        return None


def _kind(text: str) -> str:
    """A row's type with its keyword in lower case (``dateTime`` → ``datetime``, ``begin_group`` → ``begin
    group``) and a choice list's name as written."""
    words = text.split()
    if not words:
        return ""
    head = words[0].lower()
    if head in ("begin_group", "begin_repeat", "end_group", "end_repeat"):
        return " ".join([*head.split("_"), *words[1:]])
    return " ".join([head, *(word.lower() if head in ("begin", "end") else word for word in words[1:])])


def _language(column: str) -> tuple[str, str | None] | None:
    """``label::中文 (zh)`` → ("label", "zh"); a bare ``label`` → ("label", None); other columns → None."""
    if column in LABELLED:
        return column, None
    found = _LANGUAGE.match(column)
    if not found:
        return None
    code = found.group("code").lower()
    return found.group("attr"), ("zh" if code.startswith("zh") else "en" if code.startswith("en") else None)
