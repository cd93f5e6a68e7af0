"""Scale choice of the printed site drawing: the largest standard scale that fits the frame."""
import pytest

from geo.scale import choose_scale, scale_bar_m

A3_FRAME_MM = (250.0, 220.0)


@pytest.mark.parametrize("width_m,height_m,expected", [
    (100.0, 80.0, 500),        # a parcel and its connection
    (125.0, 110.0, 500),       # exactly the frame at 1:500
    (125.1, 50.0, 1000),
    (240.0, 200.0, 1000),
    (400.0, 300.0, 2000),
    (2000.0, 500.0, 10000),    # past 1:2000 the next scales of the series
    (3000.0, 100.0, None),
])
def test_the_largest_standard_scale_that_fits(width_m, height_m, expected):
    assert choose_scale(width_m, height_m, *A3_FRAME_MM) == expected


@pytest.mark.parametrize("denominator,bar_m", [(500, 20.0), (1000, 50.0), (2000, 100.0), (5000, 200.0)])
def test_the_scale_bar_is_a_round_length_that_fits(denominator, bar_m):
    assert scale_bar_m(denominator) == bar_m
    assert bar_m * 1000 / denominator <= 60.0
