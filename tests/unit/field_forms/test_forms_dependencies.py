"""Calculations and relevance are ordered by what they read; a cycle is refused on publish."""


def test_a_cyclic_calculation_is_refused_with_its_cycle(make_definition, make_question, definition_errors):
    raw = make_definition(
        make_question("decimal", "a", calculate={"+": [{"var": "b"}, 1]}),
        make_question("decimal", "b", calculate={"*": [{"var": "a"}, 2]}),
    )

    [error] = definition_errors(raw)
    assert (error["field"], error["code"]) == ("questions[0].calculate", "dependency_cycle")
    assert error["details"]["cycle"] == ["a", "b", "a"]
    assert "a → b → a" in error["message"]


def test_a_calculation_reading_itself_is_a_cycle(make_definition, make_question, definition_errors):
    [error] = definition_errors(make_definition(make_question("integer", "a", calculate={"+": [{"var": "a"}, 1]})))

    assert error["details"]["cycle"] == ["a", "a"]


def test_a_longer_cycle_is_reported_once(make_definition, make_question, definition_errors):
    raw = make_definition(
        make_question("integer", "a", calculate={"var": "c"}),
        make_question("integer", "b", calculate={"var": "a"}),
        make_question("integer", "c", calculate={"var": "b"}),
        make_question("integer", "d", calculate={"var": "a"}),  # depends on the cycle, is not on it
    )

    [error] = definition_errors(raw)
    assert error["details"]["cycle"] == ["a", "c", "b", "a"]


def test_separate_cycles_are_each_reported(make_definition, make_question, definition_errors):
    raw = make_definition(
        make_question("integer", "a", calculate={"var": "b"}),
        make_question("integer", "b", calculate={"var": "a"}),
        make_question("integer", "x", calculate={"var": "y"}),
        make_question("integer", "y", calculate={"var": "x"}),
    )

    assert [e["details"]["cycle"] for e in definition_errors(raw)] == [["a", "b", "a"], ["x", "y", "x"]]


def test_relevance_can_form_a_cycle_too(make_definition, make_question, definition_errors):
    raw = make_definition(
        make_question("text", "a", relevant={"var": "b"}),
        make_question("text", "b", relevant={"var": "a"}),
    )

    [error] = definition_errors(raw)
    assert (error["field"], error["details"]["cycle"]) == ("questions[0].relevant", ["a", "b", "a"])


def test_a_group_cannot_be_relevant_on_its_own_answers(make_definition, make_group, make_question, definition_errors):
    raw = make_definition(make_group("water", make_question("text", "kind"), relevant={"var": "water.kind"}))

    [error] = definition_errors(raw)
    assert error["details"]["cycle"] == ["water", "water.kind", "water"]


def test_a_constraint_may_read_its_own_question(make_form, make_question):
    make_form(make_question("integer", "count", constraint={">": [{"var": "count"}, 0]}))


def test_calculations_are_ordered_after_what_they_read(make_form, make_question):
    form = make_form(
        make_question("decimal", "total", calculate={"+": [{"var": "subtotal"}, {"var": "fee"}]}),
        make_question("decimal", "subtotal", calculate={"*": [{"var": "price"}, 2]}),
        make_question("decimal", "price"),
        make_question("decimal", "fee"),
    )

    order = form.evaluation_order
    assert order.index("price") < order.index("subtotal") < order.index("total")
    assert order.index("fee") < order.index("total")


def test_a_total_over_a_repeat_comes_after_its_entries(make_form, make_question, make_repeat):
    form = make_form(
        make_question("length", "total_m",
                      calculate={"reduce": [{"var": "segments"}, {"+": [{"var": "accumulator"}, {"var": "current.length_m"}]}, 0]}),
        make_repeat("segments", make_question("length", "length_m"),
                    make_question("length", "share", calculate={"/": [{"var": "segments.$.length_m"}, {"var": "total_m"}]})),
    )

    order = form.evaluation_order
    assert order.index("segments.length_m") < order.index("total_m") < order.index("segments.share")
    assert order.index("segments") < order.index("segments.length_m")


def test_reading_whole_entries_depends_on_every_question_in_them(make_definition, make_question, make_repeat,
                                                                  definition_errors):
    raw = make_definition(make_repeat(
        "segments",
        make_question("length", "length_m"),
        make_question("integer", "filled", calculate={"if": [{"some": [{"var": "segments"}, {"!!": {"var": ""}}]}, 1, 0]}),
    ))

    [error] = definition_errors(raw)
    assert error["details"]["cycle"] == ["segments.filled", "segments.filled"]
