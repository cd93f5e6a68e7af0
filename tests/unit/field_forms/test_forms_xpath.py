"""XLSForm expressions to JsonLogic and back: the supported subset both ways, and precise refusals."""
import pytest

from field_forms.xpath import Reference, XPathError, to_jsonlogic, to_xpath

REFS = {
    "utilities": Reference("utilities", "select_multiple", None),
    "customer_class": Reference("customer_class", "select_one", None),
    "demand": Reference("water.demand", "decimal", None),
    "meter_dn": Reference("water.meter_dn", "pipe_dn", None),
    "segments": Reference("water.segments", "repeat", None),
    "pipe_dn": Reference("water.segments.pipe_dn", "pipe_dn", "water.segments"),
    "length_m": Reference("water.segments.length_m", "length", "water.segments"),
    "credit_code": Reference("credit_code", "text", None),
    "water": Reference("water", "group", None),
}
TOP = Reference("water.total_m", "decimal", None)
IN_REPEAT = Reference("water.segments.pipe_dn", "pipe_dn", "water.segments")

CASES = [
    ("${customer_class} = 'non_residential'", TOP, {"==": [{"var": "customer_class"}, "non_residential"]}),
    ("selected(${utilities}, 'water')", TOP, {"in": ["water", {"var": "utilities"}]}),
    (". > 0", TOP, {">": [{"var": "water.total_m"}, 0]}),
    (". >= ${meter_dn}", IN_REPEAT, {">=": [{"var": "water.segments.$.pipe_dn"}, {"var": "water.meter_dn"}]}),
    ("${length_m} * 2 + 1", IN_REPEAT, {"+": [{"*": [{"var": "water.segments.$.length_m"}, 2]}, 1]}),
    ("sum(${length_m})", TOP, {"reduce": [{"var": "water.segments"},
                                          {"+": [{"var": "accumulator"}, {"var": "current.length_m"}]}, 0]}),
    ("count(${segments}) >= 1", TOP, {">=": [{"var": "water.segments.length"}, 1]}),
    ("count-selected(${utilities}) = 2", TOP, {"==": [{"var": "utilities.length"}, 2]}),
    ("string-length(${credit_code}) = 18", TOP, {"==": [{"var": "credit_code.length"}, 18]}),
    ("${demand} = ''", TOP, {"!!": [{"missing": ["water.demand"]}]}),
    ("'' != ${demand}", TOP, {"!": [{"missing": ["water.demand"]}]}),
    ("${demand} > 1 and ${demand} <= 10.5 or not(${demand} = 3)", TOP,
     {"or": [{"and": [{">": [{"var": "water.demand"}, 1]}, {"<=": [{"var": "water.demand"}, 10.5]}]},
             {"!": [{"==": [{"var": "water.demand"}, 3]}]}]}),
    ("${demand} > 1 and ${demand} < 5 and ${demand} != 2", TOP,
     {"and": [{">": [{"var": "water.demand"}, 1]}, {"<": [{"var": "water.demand"}, 5]},
              {"!=": [{"var": "water.demand"}, 2]}]}),
    ("if(${demand} > 10, 'big', \"it's small\")", TOP,
     {"if": [{">": [{"var": "water.demand"}, 10]}, "big", "it's small"]}),
    ("concat(${credit_code}, '-x')", TOP, {"cat": [{"var": "credit_code"}, "-x"]}),
    ("max(${demand}, 1) div 2 mod 3", TOP, {"%": [{"/": [{"max": [{"var": "water.demand"}, 1]}, 2]}, 3]}),
    ("-${demand} - (1 - 2)", TOP, {"-": [{"-": [{"var": "water.demand"}]}, {"-": [1, 2]}]}),
    ("true() or false()", TOP, {"or": [True, False]}),
]


@pytest.mark.parametrize(("xpath", "own", "logic"), CASES, ids=[case[0] for case in CASES])
def test_an_xlsform_expression_becomes_jsonlogic(xpath, own, logic):
    assert to_jsonlogic(xpath, refs=REFS, own=own) == logic


def _name_of(key):
    return key.rsplit(".", 1)[-1]


def _type_of(key):
    return next((ref.type for ref in REFS.values() if ref.key == key), None)


@pytest.mark.parametrize(("xpath", "own", "logic"), CASES, ids=[case[0] for case in CASES])
def test_jsonlogic_goes_back_to_an_expression_that_reads_the_same(xpath, own, logic):
    written = to_xpath(logic, name_of=_name_of, own_key=own.key, type_of=_type_of)
    assert to_jsonlogic(written, refs=REFS, own=own) == logic


@pytest.mark.parametrize(("xpath", "own", "message", "position"), [
    ("today() > ${demand}", TOP, "today() has no equivalent", 0),
    ("${nope} > 1", TOP, "${nope} names no question", 0),
    ("${pipe_dn} > 100", TOP, "inside repeat water.segments", 0),
    ("sum(${demand})", TOP, "sum() adds up a question inside a repeat", 4),
    ("${water} = 1", TOP, "is a group", 0),
    ("/data/demand > 1", TOP, "cannot read", 0),
    ("../demand > 1", TOP, "cannot read", 0),
    ("${demand} >", TOP, "ends too early", 11),
    ("${demand} > 1)", TOP, "unexpected ')'", 13),
    ("selected(${utilities}, ${demand})", TOP, "choice name in quotes", 23),
    ("regex(${credit_code}, '[0-9]+')", TOP, "regex() has no equivalent", 0),
    ("count(${demand})", TOP, "entries of a repeat", 6),
    ("if(${demand} > 1, 2)", TOP, "if() takes 3 arguments", 0),
    ("demand > 1", TOP, "refer to a question as ${name}", 0),
    ("", TOP, "empty", 0),
])
def test_what_the_form_language_cannot_say_is_refused_with_where(xpath, own, message, position):
    with pytest.raises(XPathError) as caught:
        to_jsonlogic(xpath, refs=REFS, own=own)
    assert message in caught.value.message
    assert caught.value.position == position


@pytest.mark.parametrize("logic", [
    {"var": ["water.demand", 0]}, {"log": 1}, {"merge": [[1], [2]]}, {"var": "meter_position.coordinates.0"},
    {"some": [{"var": "water.segments"}, {">": [{"var": "pipe_dn"}, 300]}]},
])
def test_jsonlogic_without_an_xlsform_form_is_refused(logic):
    with pytest.raises(XPathError):
        to_xpath(logic, name_of=_name_of, own_key="x", type_of=_type_of)
