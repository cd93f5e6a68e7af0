"""POST /api/v1/geo/measure: the contract of DESIGN "Measure", through HTTP against PostGIS."""
import pytest
from pyproj import Geod

from tests.factories import make_measure_request, square_ring

GRS80 = Geod(ellps="GRS80")


def test_measure_returns_geodesic_lengths_that_add_up(api):
    body = make_measure_request()
    response = api.post("/api/v1/geo/measure", as_="crew", json=body)
    assert response.status_code == 200, response.json
    result = response.json
    (x0, y0), (x1, y1) = body["route"]["coordinates"]
    assert result["total_length_m"] == pytest.approx(GRS80.inv(x0, y0, x1, y1)[2], abs=0.01)
    assert result["inside_length_m"] + result["outside_length_m"] == pytest.approx(result["total_length_m"], abs=1e-3)
    boundary_x = 113.3712 + 0.0005
    assert result["outside_length_m"] == pytest.approx(GRS80.inv(x0, y0, boundary_x, y0)[2], abs=0.01)
    assert result["outside_route"]["type"] == "MultiLineString"
    assert result["crossings"] == []


def test_gauss_kruger_input_is_measured_in_metres(api):
    from pyproj import Transformer

    to_gk = Transformer.from_crs("EPSG:4490", "EPSG:4547", always_xy=True)
    body = make_measure_request()
    for rings in ([body["route"]["coordinates"]], body["red_line"]["coordinates"]):
        for ring in rings:
            ring[:] = [list(to_gk.transform(x, y)) for x, y in ring]
    body["crs"] = "EPSG:4547"
    projected = api.post("/api/v1/geo/measure", json=body).json
    geographic = api.post("/api/v1/geo/measure", json=make_measure_request()).json
    assert projected["outside_length_m"] == pytest.approx(geographic["outside_length_m"], abs=0.01)


@pytest.mark.parametrize("change,field,code", [
    ({"route": {"type": "Polygon", "coordinates": [square_ring(113.37, 31.69)]}}, "route", "wrong_geometry_type"),
    ({"crs": "EPSG:3857"}, "crs", None),
    ({"red_line": {"type": "Polygon", "coordinates": [[[113.37, 31.69], [113.38, 31.69], [113.37, 31.70]]]}},
     "red_line", None),
])
def test_bad_input_is_422_naming_the_field(api, change, field, code):
    response = api.post("/api/v1/geo/measure", json=make_measure_request(**change))
    assert response.status_code == 422
    assert response.json["field"].startswith(field)
    if code:
        assert response.json["code"] == code


def test_self_intersecting_red_line_names_the_crossing(api):
    bowtie = [[113.370, 31.690], [113.372, 31.692], [113.372, 31.690], [113.370, 31.692], [113.370, 31.690]]
    response = api.post("/api/v1/geo/measure", json=make_measure_request(
        red_line={"type": "Polygon", "coordinates": [bowtie]}))
    assert response.status_code == 422
    assert response.json["code"] == "self_intersection"
    assert response.json["field"].startswith("red_line")
    assert "113.371" in response.json["message"]


def test_swapped_coordinates_are_flagged(api):
    body = make_measure_request()
    body["route"]["coordinates"] = [[y, x] for x, y in body["route"]["coordinates"]]
    response = api.post("/api/v1/geo/measure", json=body)
    assert response.status_code == 422
    assert response.json["code"] == "coordinates_swapped"
    assert "swapped?" in response.json["message"]


def test_vertex_limit_is_explicit(app, api):
    limit = app.config["MAX_VERTICES"]
    line = [[113.36 + i * 1e-6, 31.69] for i in range(limit + 1)]
    response = api.post("/api/v1/geo/measure", json=make_measure_request(route={"type": "LineString",
                                                                              "coordinates": line}))
    assert response.status_code == 422
    assert response.json["code"] == "too_many_vertices"
    assert response.json["details"]["limit"] == limit


def test_unknown_field_is_422(api):
    response = api.post("/api/v1/geo/measure", json=make_measure_request(colour="red"))
    assert response.status_code == 422
    assert response.json["field"] == "colour"


def test_crossing_of_an_imported_river_is_reported(api, other_tenant):
    river = {"type": "Feature", "properties": {"layer": "river", "name": "㵐水"},
             "geometry": {"type": "LineString", "coordinates": [[113.3730, 31.680], [113.3730, 31.700]]}}
    imported = api.post("/api/v1/constraint-layers/import", json={"features": [river]})
    assert imported.status_code == 201
    assert imported.json == {"imported": 1, "replaced": 0}
    crossed = api.post("/api/v1/geo/measure", as_="crew", json=make_measure_request()).json
    assert crossed["crossings"] == [{"layer": "river", "name": "㵐水"}]
    elsewhere = api.post("/api/v1/geo/measure", token=other_tenant.tokens["crew"], json=make_measure_request()).json
    assert elsewhere["crossings"] == []


def test_constraint_import_is_all_or_nothing(api):
    good = {"type": "Feature", "properties": {"layer": "railway", "name": "汉丹铁路"},
            "geometry": {"type": "LineString", "coordinates": [[113.36, 31.68], [113.38, 31.70]]}}
    bad = {"type": "Feature", "properties": {"layer": "volcano", "name": "x"}, "geometry": good["geometry"]}
    response = api.post("/api/v1/constraint-layers/import", json={"features": [good, bad]})
    assert response.status_code == 422
    assert response.json["field"] == "features[1].properties.layer"
    assert api.get("/api/v1/constraint-layers").json == []


def test_only_admins_import_constraints(api):
    assert api.post("/api/v1/constraint-layers/import", as_="dispatcher", json={"features": []}).status_code == 403
