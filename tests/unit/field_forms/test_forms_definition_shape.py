"""The shape of a definition, checked against definition.schema.json on publish."""
import json
from importlib import resources

import pytest
from jsonschema import Draft202012Validator

from field_forms import DEFINITION_SCHEMA, DefinitionError, builtin_forms, parse_definition


def test_a_minimal_definition_parses(make_form, make_question):
    form = make_form(make_question("text", "site_address"), form_id="survey", version=3)

    assert (form.form_id, form.version) == ("survey", 3)
    assert form.title["en"] == "Test form"


def test_the_schema_is_draft_2020_12_and_the_file_that_ships():
    Draft202012Validator.check_schema(DEFINITION_SCHEMA)
    shipped = json.loads(resources.files("field_forms").joinpath("definition.schema.json").read_text("utf-8"))
    assert DEFINITION_SCHEMA == shipped
    assert DEFINITION_SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("raw", builtin_forms(), ids=lambda raw: raw["form_id"])
def test_the_builtin_forms_follow_the_schema(raw):
    assert list(Draft202012Validator(DEFINITION_SCHEMA).iter_errors(raw)) == []


def test_an_unknown_question_type_is_named(make_definition, definition_errors):
    errors = definition_errors(make_definition({"type": "barcode", "name": "meter_barcode", "label": {"zh": "条码", "en": "Barcode"}}))

    assert [(e["field"], e["code"]) for e in errors] == [("questions[0].type", "unknown_question_type")]
    assert "'barcode'" in errors[0]["message"]
    assert "pipe_dn" in errors[0]["details"]["known"]


@pytest.mark.parametrize("question, field", [
    ({"type": "text", "name": "address"}, "questions[0].label"),
    ({"type": "text", "name": "address", "label": {"zh": "地址"}}, "questions[0].label.en"),
    ({"type": "decimal", "name": "flow", "label": {"zh": "流量", "en": "Flow"}}, "questions[0].unit"),
    ({"type": "select_one", "name": "material", "label": {"zh": "管材", "en": "Material"}}, "questions[0].choices"),
    ({"type": "group", "name": "water", "label": {"zh": "供水", "en": "Water"}}, "questions[0].children"),
    ({"type": "integer", "name": "count", "label": {"zh": "数量", "en": "Count"}, "constraint": {">": [{"var": "count"}, 0]}},
     "questions[0].constraint_message"),
    ({"type": "integer", "name": "count", "label": {"zh": "数量", "en": "Count"},
      "constraint_message": {"zh": "须大于0", "en": "Above 0"}}, "questions[0].constraint"),
])
def test_a_missing_attribute_is_named(make_definition, definition_errors, codes_at, question, field):
    assert codes_at(definition_errors(make_definition(question))) == {(field, "missing_attribute")}


@pytest.mark.parametrize("question, field", [
    ({"type": "text", "name": "address", "label": {"zh": "地址", "en": "Address"}, "requird": True}, "questions[0].requird"),
    ({"type": "text", "name": "address", "label": {"zh": "地址", "en": "Address"}, "unit": {"zh": "米", "en": "m"}},
     "questions[0].unit"),
    ({"type": "length", "name": "length_m", "label": {"zh": "长度", "en": "Length"}, "choices": "colours"},
     "questions[0].choices"),
    ({"type": "note", "name": "intro", "label": {"zh": "说明", "en": "Intro"}, "required": True}, "questions[0].required"),
    ({"type": "group", "name": "water", "label": {"zh": "供水", "en": "Water"}, "calculate": 1,
      "children": [{"type": "note", "name": "intro", "label": {"zh": "说明", "en": "Intro"}}]}, "questions[0].calculate"),
])
def test_an_attribute_the_type_does_not_have_is_named(make_definition, definition_errors, codes_at, question, field):
    errors = definition_errors(make_definition(question))

    assert codes_at(errors) == {(field, "unknown_attribute")}
    assert question["type"] in errors[0]["message"]


def test_an_integer_may_carry_a_unit(make_form, make_question):
    make_form(make_question("integer", "meter_count", unit={"zh": "块", "en": "meters"}))


@pytest.mark.parametrize("change, field", [
    ({"form_id": "Joint Survey"}, "form_id"),
    ({"version": 0}, "version"),
    ({"questions": []}, "questions"),
    ({"title": "踏勘"}, "title"),
])
def test_form_attributes_are_checked(make_definition, make_question, definition_errors, codes_at, change, field):
    raw = {**make_definition(make_question("text", "address")), **change}

    assert codes_at(definition_errors(raw)) == {(field, "schema_violation")}


def test_names_are_lowercase_identifiers(make_definition, make_question, definition_errors, codes_at):
    raw = make_definition(make_question("text", "Meter-DN"))

    assert codes_at(definition_errors(raw)) == {("questions[0].name", "schema_violation")}


def test_a_null_default_is_refused(make_definition, make_question, definition_errors, codes_at):
    raw = make_definition(make_question("text", "address", default=None))

    assert codes_at(definition_errors(raw)) == {("questions[0].default", "schema_violation")}


def test_every_shape_problem_is_reported_at_once(make_definition, definition_errors, codes_at):
    raw = make_definition(
        {"type": "barcode", "name": "a", "label": {"zh": "a", "en": "a"}},
        {"type": "decimal", "name": "b", "label": {"zh": "b", "en": "b"}},
        {"type": "text", "name": "c", "label": {"zh": "c"}, "colour": "red"},
    )
    raw["extra"] = True

    assert codes_at(definition_errors(raw)) == {
        ("questions[0].type", "unknown_question_type"),
        ("questions[1].unit", "missing_attribute"),
        ("questions[2].label.en", "missing_attribute"),
        ("questions[2].colour", "unknown_attribute"),
        ("extra", "unknown_attribute"),
    }


def test_definition_error_has_the_api_error_fields(make_definition, make_question):
    with pytest.raises(DefinitionError) as raised:
        parse_definition(make_definition(make_question("decimal", "flow", unit=None)))

    error = raised.value
    assert (error.code, error.status, error.field) == ("form_definition_invalid", 422, None)
    assert error.details == {"errors": error.errors}
    assert set(error.errors[0]) == {"field", "code", "message", "details"}
    assert "1 problem" in error.message


def test_a_definition_that_is_not_an_object_is_refused():
    with pytest.raises(DefinitionError) as raised:
        parse_definition(["not", "a", "form"])

    assert raised.value.errors[0]["code"] == "schema_violation"
