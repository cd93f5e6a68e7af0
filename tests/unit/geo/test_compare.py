"""Geometry conflicts described in metres: Hausdorff distance and moved vertices."""
import pytest
from pyproj import Geod

from geo import compare_geometries

GRS80 = Geod(ellps="GRS80")
ROUTE = [[113.3700, 31.6900], [113.3712, 31.6905], [113.3716, 31.6911]]


def test_one_moved_vertex_is_named_with_its_distance():
    moved = [list(p) for p in ROUTE]
    lon, lat, _ = GRS80.fwd(*ROUTE[1], 90, 3.0)  # 3 m east
    moved[1] = [lon, lat]
    diff = compare_geometries({"type": "LineString", "coordinates": ROUTE},
                              {"type": "LineString", "coordinates": moved})
    assert [v["index"] for v in diff["moved_vertices"]] == [1]
    assert diff["moved_vertices"][0]["distance_m"] == pytest.approx(3.0, abs=0.01)
    assert 0 < diff["hausdorff_m"] <= 3.0  # the moved vertex is nearer the old line than its old position


def test_identical_shapes_differ_by_nothing():
    diff = compare_geometries({"type": "LineString", "coordinates": ROUTE},
                              {"type": "LineString", "coordinates": ROUTE})
    assert diff["hausdorff_m"] == 0
    assert diff["moved_vertices"] == []


def test_different_vertex_counts_report_counts_and_distance():
    longer = [*ROUTE, [113.3720, 31.6915]]
    diff = compare_geometries({"type": "LineString", "coordinates": ROUTE},
                              {"type": "LineString", "coordinates": longer})
    assert (diff["server_vertices"], diff["device_vertices"]) == (3, 4)
    assert diff["moved_vertices"] == []
    assert diff["hausdorff_m"] == pytest.approx(GRS80.inv(*ROUTE[2], 113.3720, 31.6915)[2], rel=0.01)
