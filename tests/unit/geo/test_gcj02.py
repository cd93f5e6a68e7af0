"""GCJ-02: the forward formula against published points, and the inverse to better than 0.5 m."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from geo.gcj02 import gcj02_to_wgs84, wgs84_to_gcj02

# (WGS84 lon, lat, GCJ-02 lon, lat) from the eviltransform test suite (googollee/eviltransform).
PUBLISHED = [
    pytest.param(121.5272106, 31.1774276, 121.531541859215, 31.17530398364597, id="shanghai"),
    pytest.param(113.912316, 22.543847, 113.9171764808363, 22.540796131694766, id="shenzhen"),
    pytest.param(116.377817, 39.911954, 116.38404722455657, 39.91334545536069, id="beijing"),
    # wandergis/coordtransform README: wgs84togcj02(116.404, 39.915)
    pytest.param(116.404, 39.915, 116.41024449916938, 39.91640428150164, id="tiananmen"),
]

china_lon = st.floats(73.5, 135.0)
china_lat = st.floats(18.0, 53.5)


@pytest.mark.parametrize(("wgs_lon", "wgs_lat", "gcj_lon", "gcj_lat"), PUBLISHED)
def test_forward_matches_published_points(wgs_lon, wgs_lat, gcj_lon, gcj_lat):
    lon, lat = wgs84_to_gcj02(wgs_lon, wgs_lat)
    assert lon == pytest.approx(gcj_lon, abs=1e-9)
    assert lat == pytest.approx(gcj_lat, abs=1e-9)


@pytest.mark.parametrize(("wgs_lon", "wgs_lat", "gcj_lon", "gcj_lat"), PUBLISHED)
def test_inverse_recovers_published_wgs84_within_half_a_metre(wgs_lon, wgs_lat, gcj_lon, gcj_lat, geodesic):
    lon, lat = gcj02_to_wgs84(gcj_lon, gcj_lat)
    assert geodesic([float(lon), float(lat)], [wgs_lon, wgs_lat]) < 0.5
    # in fact to the 0.1 mm the published digits carry
    assert geodesic([float(lon), float(lat)], [wgs_lon, wgs_lat]) < 1e-4


@given(china_lon, china_lat)
def test_forward_of_inverse_is_identity(lon, lat):
    wgs = gcj02_to_wgs84(lon, lat)
    back_lon, back_lat = wgs84_to_gcj02(*wgs)
    assert abs(back_lon - lon) < 1e-7 and abs(back_lat - lat) < 1e-7


@given(china_lon, china_lat)
def test_inverse_of_forward_is_identity(lon, lat):
    back_lon, back_lat = gcj02_to_wgs84(*wgs84_to_gcj02(lon, lat))
    assert abs(back_lon - lon) < 1e-7 and abs(back_lat - lat) < 1e-7


def test_offset_is_hundreds_of_metres_in_china(geodesic):
    lon, lat = wgs84_to_gcj02(113.37, 31.69)
    assert 100 < geodesic([113.37, 31.69], [float(lon), float(lat)]) < 1000


def test_outside_the_offset_box_both_directions_are_identity():
    lon = np.array([139.69, -0.13])  # Tokyo, London
    lat = np.array([35.69, 51.51])
    assert np.array_equal(np.stack(wgs84_to_gcj02(lon, lat)), np.stack([lon, lat]))
    assert np.array_equal(np.stack(gcj02_to_wgs84(lon, lat)), np.stack([lon, lat]))


def test_vectorised_over_arrays_point_by_point_equal():
    lon = np.array([113.37, 112.20, 118.38, 113.74, 109.51])
    lat = np.array([31.69, 31.03, 31.33, 34.39, 18.25])
    arrays = np.stack(gcj02_to_wgs84(lon, lat))
    one_by_one = np.array([gcj02_to_wgs84(x, y) for x, y in zip(lon, lat, strict=True)]).T
    assert np.allclose(arrays, one_by_one, atol=1e-12, rtol=0)
