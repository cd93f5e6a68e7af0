"""The site's Gauss-Krüger zone for CAD drawings, checked against PROJ's own zone definitions."""
import pyproj
import pytest
from shapely import LineString, Point

from geo import GeometryError
from geo.projection import site_zone_epsg, site_zone_of, to_zone


@pytest.mark.parametrize("longitude,epsg", [
    (113.37, 4547),   # Suizhou: CM 114°E
    (109.51, 4546),   # Sanya: CM 111°E (109.5 is the edge; 109.51 lies east of it)
    (109.49, 4545),   # just west of the edge: CM 108°E
    (118.38, 4548),   # Wuhu: CM 117°E
    (75.0, 4534),
    (135.0, 4554),
])
def test_the_zone_is_the_one_whose_central_meridian_is_nearest(longitude, epsg):
    assert site_zone_epsg(longitude) == epsg
    central_meridian = pyproj.CRS.from_epsg(epsg).coordinate_operation.params[1].value
    assert abs(longitude - central_meridian) <= 1.5


def test_a_longitude_outside_chinas_zones_is_refused():
    with pytest.raises(GeometryError) as raised:
        site_zone_epsg(10.0)
    assert raised.value.code == "outside_gauss_kruger_zones"


def test_projection_agrees_with_proj_and_keeps_x_as_easting():
    line = LineString([(113.3737, 31.6905), (113.3714, 31.6910)])
    epsg = site_zone_of(line, Point(113.37, 31.69))
    projected = to_zone(line, epsg)
    truth = pyproj.Transformer.from_crs("EPSG:4490", f"EPSG:{epsg}", always_xy=True)
    for (x, y), (lon, lat) in zip(projected.coords, line.coords, strict=True):
        assert (x, y) == pytest.approx(truth.transform(lon, lat), abs=1e-6)
    assert 400_000 < projected.coords[0][0] < 600_000  # no zone number in front of the easting
