"""Static checks of JsonLogic expressions on publish: operations, arity and the paths they read."""
import pytest
from json_logic.builtins import BUILTINS

from field_forms.expressions import ARITY, ITEM_OPERATIONS


@pytest.fixture
def survey(make_question, make_group, make_repeat):
    """A small survey to write expressions against, and a question to put them on."""
    def with_expression(attribute: str, expression, *, inside_repeat: bool = False):
        probe = make_question("integer", "probe", **{attribute: expression})
        segments = [make_question("pipe_dn", "pipe_dn"), make_question("length", "length_m"),
                    make_question("select_one", "colour")]
        if inside_repeat:
            segments.append(probe)
        questions = [
            make_question("text", "address"),
            make_question("note", "intro"),
            make_question("select_multiple", "colours"),
            make_question("geopoint", "meter_position"),
            make_group("water", make_question("pipe_dn", "meter_dn"), make_repeat("segments", *segments)),
        ]
        if not inside_repeat:
            questions.append(probe)
        return questions
    return with_expression


@pytest.fixture
def expression_errors(survey, make_definition, definition_errors):
    def errors(expression, *, attribute="relevant", inside_repeat=False):
        return definition_errors(make_definition(*survey(attribute, expression, inside_repeat=inside_repeat)))
    return errors


@pytest.fixture
def accepts(survey, make_form):
    def parse(expression, *, attribute="relevant", inside_repeat=False):
        return make_form(*survey(attribute, expression, inside_repeat=inside_repeat))
    return parse


def test_every_allowed_operation_is_one_the_server_evaluates():
    assert set(ARITY) - ITEM_OPERATIONS - {"if", "?:", "and", "or"} <= set(BUILTINS)


def test_an_unknown_operator_is_named_with_where_it_is(expression_errors):
    [error] = expression_errors({"and": [True, {"regex": [{"var": "address"}, "^荆门"]}]})

    assert (error["field"], error["code"]) == ("questions[5].relevant", "unknown_operator")
    assert error["details"] == {"at": "/and/1/regex", "operator": "regex"}


def test_log_is_refused_because_it_prints_on_the_server(expression_errors):
    [error] = expression_errors({"log": {"var": "address"}})

    assert error["code"] == "unknown_operator"
    assert "log" in error["message"]


@pytest.mark.parametrize("expression, operator, count", [
    ({"==": [1]}, "==", 1),
    ({"?:": [True, 1]}, "?:", 2),
    ({">": [3, 2, 1]}, ">", 3),
    ({"!": [True, False]}, "!", 2),
    ({"/": [1]}, "/", 1),
    ({"var": ["address", "", "extra"]}, "var", 3),
    ({"map": [{"var": "colours"}]}, "map", 1),
])
def test_a_wrong_number_of_arguments_is_refused(expression_errors, expression, operator, count):
    [error] = expression_errors(expression)

    assert error["code"] == "wrong_arity"
    assert error["details"]["operator"] == operator and error["details"]["count"] == count


@pytest.mark.parametrize("expression", [
    {"<": [1, {"var": "water.meter_dn"}, 100]},
    {"!": {"var": "address"}},
    {"if": [{"var": "address"}, 1, 2]},
    {"in": ["red", {"var": "colours"}]},
    {"missing": ["address", "water.meter_dn"]},
    {"missing": [["address"]]},
    {"missing_some": [1, ["address", "water.meter_dn"]]},
    {"==": [{"var": "address.length"}, 18]},
    {">": [{"var": "colours.length"}, 0]},
    {">": [{"var": "meter_position.coordinates.0"}, 112]},
    {">": [{"var": "water.segments.length"}, 0]},
    {">=": [{"var": "water.segments.0.pipe_dn"}, {"var": "water.meter_dn"}]},
    {"some": [{"var": "water.segments"}, {">": [{"var": "pipe_dn"}, 300]}]},
    {"reduce": [{"var": "water.segments"}, {"+": [{"var": "accumulator"}, {"var": "current.length_m"}]}, 0]},
    {"filter": [{"var": "colours"}, {"==": [{"var": ""}, "red"]}]},
    {"var": ["address", "未填"]},
    True,
])
def test_valid_expressions_are_accepted(accepts, expression):
    accepts(expression)


def test_an_operation_has_exactly_one_key(expression_errors):
    [error] = expression_errors({"==": [1, 1], "!=": [1, 2]})

    assert error["code"] == "invalid_expression"


@pytest.mark.parametrize("path", ["adress", "water.meter", "water.segments.0.dn", "gas.meter_dn"])
def test_a_path_to_no_question_is_refused(expression_errors, path):
    [error] = expression_errors({"var": path})

    assert error["code"] == "unknown_reference"
    assert error["details"]["path"] == path


@pytest.mark.parametrize("path, words", [
    ("intro", "note"),
    ("water.segments.pipe_dn", "repeat"),
    ("water.segments.$.pipe_dn", "current entry"),
    ("water.meter_dn.length", "no 'length'"),
])
def test_a_path_that_misuses_a_question_is_refused(expression_errors, path, words):
    [error] = expression_errors({"var": path})

    assert error["code"] == "invalid_reference"
    assert words in error["message"]


def test_dollar_names_the_current_entry_inside_its_repeat(accepts):
    form = accepts({">=": [{"var": "water.segments.$.pipe_dn"}, {"var": "water.meter_dn"}]},
                   attribute="calculate", inside_repeat=True)

    assert form.question("water.segments.probe").repeat == "water.segments"


def test_a_path_must_be_literal(expression_errors):
    [error] = expression_errors({"var": {"cat": ["water.", "meter_dn"]}})

    assert error["code"] == "invalid_reference"
    assert "literal" in error["message"]


def test_an_empty_path_reads_everything_and_is_refused_outside_items(expression_errors):
    [error] = expression_errors({"!!": {"var": ""}})

    assert error["code"] == "invalid_reference"


def test_paths_inside_an_item_operation_over_a_repeat_name_its_questions(expression_errors):
    [error] = expression_errors({"some": [{"var": "water.segments"}, {">": [{"var": "diameter"}, 300]}]})

    assert (error["code"], error["details"]["path"]) == ("unknown_reference", "diameter")
    assert error["details"]["at"] == "/some/1/>/0/var"


def test_reduce_reads_current_and_accumulator_only(expression_errors, codes_at):
    errors = expression_errors(
        {"reduce": [{"var": "water.segments"}, {"+": [{"var": "total"}, {"var": "current.lenght_m"}]}, 0]})

    assert [e["code"] for e in errors] == ["invalid_reference", "unknown_reference"]


def test_paths_in_missing_are_checked(expression_errors):
    errors = expression_errors({"missing_some": [1, ["address", "adress"]]})

    assert [(e["code"], e["details"]["path"]) for e in errors] == [("unknown_reference", "adress")]


def test_constraints_calculations_and_relevance_are_all_checked(expression_errors):
    for attribute in ("relevant", "calculate", "constraint"):
        [error] = expression_errors({"var": "nowhere"}, attribute=attribute)
        assert error["field"] == f"questions[5].{attribute}"
