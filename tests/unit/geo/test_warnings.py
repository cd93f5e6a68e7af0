"""Warnings: reported with the measurement, never stopping it."""

import pytest

from geo import measure, parse_measure_request


def codes(body):
    return [warning.code for warning in measure(parse_measure_request(body)).warnings]


def test_a_clean_request_has_no_warnings(site):
    main = site.line((-40.0, -50.0), (-40.0, 50.0))
    assert codes(site.request(main=main)) == []


def test_duplicate_consecutive_vertices(suizhou):
    route = suizhou.line((-40.0, 0.0), (-10.0, 0.0), (-10.0, 0.0), (-10.0, 0.0), (20.0, 0.0))
    [warning] = measure(parse_measure_request(suizhou.request(route=route))).warnings
    assert warning.code == "duplicate_vertex"
    assert warning.field == "route.coordinates[2]"
    assert "2 duplicate consecutive vertices" in warning.message


def test_duplicate_vertices_warn_once_per_geometry(suizhou):
    ring = suizhou.rectangle(0.0, -20.0, 40.0, 20.0)["coordinates"][0]
    red_line = {"type": "Polygon", "coordinates": [[ring[0], ring[1], ring[1], ring[2], ring[2], ring[3], ring[4]]]}
    assert codes(suizhou.request(red_line=red_line)) == ["duplicate_vertex"]


def test_duplicates_do_not_hide_a_route_of_real_length(suizhou):
    route = suizhou.line((-40.0, 0.0), (-40.0, 0.0), (20.0, 0.0))
    assert measure(parse_measure_request(suizhou.request(route=route))).total_length_m == pytest.approx(60.0, abs=1e-3)


def test_points_outside_china(suizhou):
    # Tokyo: in range, not swapped, not China: a wrong crs or a test point left in
    ring = [[139.69, 35.69], [139.70, 35.69], [139.70, 35.70], [139.69, 35.69]]
    red_line = {"type": "Polygon", "coordinates": [ring]}
    route = {"type": "LineString", "coordinates": [[139.68, 35.69], [139.695, 35.692]]}
    warnings = measure(parse_measure_request(suizhou.request(route=route, red_line=red_line))).warnings
    assert [w.code for w in warnings] == ["outside_china", "outside_china"]
    assert warnings[0].field == "route.coordinates[0]"
    assert "2 positions outside mainland China" in warnings[0].message


def test_route_that_does_not_start_on_the_main(suizhou):
    main = suizhou.line((-43.0, -50.0), (-43.0, 50.0))  # 3 m west of the route's start
    assert codes(suizhou.request(main=main)) == ["route_not_on_main"]
    [warning] = measure(parse_measure_request(suizhou.request(main=main))).warnings
    assert "3.00 m from the main" in warning.message


def test_route_within_two_metres_of_the_main_is_on_it(suizhou):
    main = suizhou.line((-41.9, -50.0), (-41.9, 50.0))
    assert codes(suizhou.request(main=main)) == []


def test_no_main_no_main_warning(suizhou):
    assert codes(suizhou.request()) == []


def test_route_short_of_the_red_line(suizhou):
    route = suizhou.line((-40.0, 0.0), (-2.5, 0.0))
    assert codes(suizhou.request(route=route)) == ["route_short_of_red_line"]
    [warning] = measure(parse_measure_request(suizhou.request(route=route))).warnings
    assert "2.50 m short" in warning.message


def test_route_within_two_metres_of_the_red_line_reaches_it(suizhou):
    assert codes(suizhou.request(route=suizhou.line((-40.0, 0.0), (-1.5, 0.0)))) == []


def test_warnings_come_in_request_order_then_placement(suizhou):
    route = suizhou.line((-40.0, 0.0), (-40.0, 0.0), (-10.0, 0.0))
    main = suizhou.line((-50.0, -50.0), (-50.0, 50.0))
    assert codes(suizhou.request(route=route, main=main)) == [
        "duplicate_vertex", "route_short_of_red_line", "route_not_on_main"]


def test_warning_dict_shape(suizhou):
    [warning] = measure(parse_measure_request(suizhou.request(route=suizhou.line((-40.0, 0.0), (-5.0, 0.0))))).warnings
    assert warning.to_dict() == {"code": "route_short_of_red_line", "message": warning.message, "field": "route"}
