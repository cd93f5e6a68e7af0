"""Drawn against taped length: flagged only past both 1 m and 3 % of the taped length."""

import math

import pytest

from geo import GeometryError, reconcile_length


@pytest.mark.parametrize(("drawn_m", "taped_m", "flagged"), [
    (100.0, 100.0, False),
    (102.0, 100.0, False),   # 2 m but only 2 %
    (104.0, 100.0, True),    # 4 m and 4 %
    (96.0, 100.0, True),     # short as well as long
    (10.9, 10.0, False),     # 9 % but under a metre
    (11.5, 10.0, True),
    (201.0, 200.0, False),   # exactly 1 m is not past it
    (206.0, 200.0, False),   # exactly 3 % is not past it
    (206.5, 200.0, True),
    (1.5, 0.0, True),
    (0.5, 0.0, False),
])
def test_flagged_only_past_both_tolerances(drawn_m, taped_m, flagged):
    assert reconcile_length(drawn_m, taped_m)["flagged"] is flagged


def test_result_shape():
    assert reconcile_length(103.5, 100.0) == {
        "drawn_m": 103.5, "taped_m": 100.0, "difference_m": 3.5, "difference_ratio": 0.035, "flagged": True}
    assert reconcile_length(3.0, 0.0)["difference_ratio"] is None


def test_tolerances_are_adjustable():
    assert reconcile_length(100.6, 100.0, abs_tolerance_m=0.5, rel_tolerance=0.005)["flagged"] is True


@pytest.mark.parametrize(("drawn_m", "taped_m", "field"), [
    (-1.0, 10.0, "drawn_m"), (10.0, math.nan, "taped_m"), (math.inf, 10.0, "drawn_m"), (10.0, True, "taped_m"),
    ("10", 10.0, "drawn_m"),
])
def test_invalid_lengths(drawn_m, taped_m, field):
    with pytest.raises(GeometryError) as caught:
        reconcile_length(drawn_m, taped_m)
    assert (caught.value.code, caught.value.field) == ("invalid_length", field)
