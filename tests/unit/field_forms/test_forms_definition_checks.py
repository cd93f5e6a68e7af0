"""What publishing checks beyond the shape: names, repeats, choice lists and defaults."""
import pytest


def test_sibling_names_must_differ(make_definition, make_question, definition_errors):
    raw = make_definition(make_question("text", "address"), make_question("text", "address"))

    [error] = definition_errors(raw)
    assert (error["field"], error["code"]) == ("questions[1].name", "duplicate_name")
    assert error["details"] == {"first": "questions[0]"}


def test_the_same_name_may_be_used_in_different_groups(make_form, make_group, make_question):
    form = make_form(
        make_group("water", make_question("pipe_dn", "meter_dn")),
        make_group("gas", make_question("pipe_dn", "meter_dn")),
    )

    assert form.question("water.meter_dn") is not form.question("gas.meter_dn")


def test_duplicate_names_inside_a_group_are_found(make_definition, make_group, make_question, definition_errors, codes_at):
    raw = make_definition(make_group("water", make_question("text", "a"), make_question("integer", "a")))

    assert codes_at(definition_errors(raw)) == {("questions[0].children[1].name", "duplicate_name")}


def test_repeats_do_not_nest(make_definition, make_repeat, make_question, definition_errors, codes_at):
    raw = make_definition(make_repeat("segments", make_repeat("fittings", make_question("text", "kind"))))

    assert codes_at(definition_errors(raw)) == {("questions[0].children[0]", "nested_repeat")}


def test_max_count_cannot_be_below_min_count(make_definition, make_repeat, make_question, definition_errors):
    raw = make_definition(make_repeat("segments", make_question("length", "length_m"), min_count=3, max_count=2))

    [error] = definition_errors(raw)
    assert (error["field"], error["code"]) == ("questions[0].max_count", "invalid_count_range")
    assert error["details"] == {"min_count": 3, "max_count": 2}


def test_a_missing_choice_list_is_named(make_definition, make_question, definition_errors):
    raw = make_definition(make_question("select_one", "material", choices="pipe_materials"))

    [error] = definition_errors(raw)
    assert (error["field"], error["code"]) == ("questions[0].choices", "unknown_choice_list")
    assert error["details"]["known"] == ["colours"]


def test_a_choice_appears_once_per_list(make_definition, make_question, definition_errors, codes_at):
    lists = {"colours": [{"name": "red", "label": {"zh": "红", "en": "Red"}},
                         {"name": "red", "label": {"zh": "赤", "en": "Crimson"}}]}
    raw = make_definition(make_question("select_one", "colour"), choice_lists=lists)

    assert codes_at(definition_errors(raw)) == {("choice_lists.colours[1].name", "duplicate_choice")}


@pytest.mark.parametrize("type_, default", [
    ("text", 12),
    ("integer", "1"),
    ("integer", 1.5),
    ("decimal", "12.5"),
    ("decimal", True),
    ("pipe_dn", 22),
    ("length", -0.5),
    ("select_one", "purple"),
    ("select_multiple", "red"),
    ("date", "2024-02-30"),
    ("datetime", "2024-06-01 09:00"),
    ("geopoint", [112.2, 31.0]),
    ("photo", "IMG_0001.jpg"),
])
def test_a_default_of_the_wrong_type_is_refused(make_definition, make_question, definition_errors, type_, default):
    [error] = definition_errors(make_definition(make_question(type_, "answer", default=default)))

    assert (error["field"], error["code"]) == ("questions[0].default", "invalid_default")
    assert type_ in error["message"]


@pytest.mark.parametrize("type_, default", [
    ("text", "荆门"), ("integer", 1), ("decimal", 0), ("pipe_dn", 25), ("length", 0), ("select_one", "red"),
    ("select_multiple", ["red", "blue"]), ("date", "2024-02-29"), ("datetime", "2024-06-01T09:00:00+08:00"),
    ("geopoint", {"type": "Point", "coordinates": [112.2, 31.0]}),
])
def test_a_default_of_the_right_type_is_kept(make_form, make_question, type_, default):
    form = make_form(make_question(type_, "answer", default=default))

    assert form.question("answer").default == default


def test_every_problem_is_reported_at_once(make_definition, make_question, make_group, definition_errors, codes_at):
    raw = make_definition(
        make_question("text", "address"),
        make_question("text", "address"),
        make_question("select_one", "material", choices="materials"),
        make_question("integer", "count", default="three"),
        make_group("water", make_question("text", "note"), relevant={"==": [{"var": "wter.kind"}, "new"]}),
        make_question("integer", "a", calculate={"+": [{"var": "b"}, 1]}),
        make_question("integer", "b", calculate={"+": [{"var": "a"}, 1]}),
        make_question("integer", "c", calculate={"plus": [1, 2]}),
    )

    assert codes_at(definition_errors(raw)) == {
        ("questions[1].name", "duplicate_name"),
        ("questions[2].choices", "unknown_choice_list"),
        ("questions[3].default", "invalid_default"),
        ("questions[4].relevant", "unknown_reference"),
        ("questions[5].calculate", "dependency_cycle"),
        ("questions[7].calculate", "unknown_operator"),
    }
