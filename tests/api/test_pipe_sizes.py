"""DN from a measured diameter through HTTP: the tables, the pure lookup, and the determination beside the DN."""
import pytest

from tests.factories import make_survey, move, put_survey, task_in, task_path


def test_the_pipe_tables_are_served_with_their_sources(api):
    tables = {t["material"]: t for t in api.get("/api/v1/geo/pipe-tables", as_="crew").json}
    assert tables["welded_steel"]["standard"] == "GB/T 3091-2015"
    assert tables["pe"]["sizes"][0] == {"dn": 15, "de": 20, "outside_diameter_mm": "20.0",
                                       "tolerance": {"min_mm": "20.00", "max_mm": "20.30"}}


@pytest.mark.parametrize(("body", "dn", "agrees"), [
    ({"material": "PE100", "circumference_mm": 346, "declared_dn": 100}, 100, True),
    ({"material": "镀锌钢管", "outside_diameter_mm": "60.6", "declared_dn": 40}, 50, False),
    ({"material": "球墨铸铁管", "outside_diameter_mm": 118}, 100, None),
])
def test_a_measurement_proposes_a_dn_and_checks_the_declared_one(api, body, dn, agrees):
    response = api.post("/api/v1/geo/pipe-size", as_="crew", json=body)
    assert response.status_code == 200, response.json
    assert (response.json["status"], response.json["proposed"]["dn"], response.json["agrees"]) == ("match", dn,
                                                                                                   agrees)


@pytest.mark.parametrize(("body", "code", "field"), [
    ({"material": "铜管", "outside_diameter_mm": 22}, "unknown_material", "material"),
    ({"material": "PE"}, "measurement_required", "outside_diameter_mm"),
    ({"material": "PE", "circumference_mm": "34 cm"}, "invalid_value", "circumference_mm"),
    ({"material": "PE", "outside_diameter_mm": 110, "colour": "black"}, "validation_error", "colour"),
])
def test_a_bad_measurement_is_a_422_naming_the_field(api, body, code, field):
    response = api.post("/api/v1/geo/pipe-size", as_="crew", json=body)
    assert (response.status_code, response.json["code"], response.json["field"]) == (422, code, field)


def test_the_determination_keeps_the_declared_dn_and_shows_the_measured_one_beside_it(api):
    task_id = task_in(api, "on_site")
    segments = [{"dn": 50, "material": "PE100", "tape_length_m": "60", "circumference_mm": "346"},
                {"dn": 50, "material": "PE100", "tape_length_m": "58", "outside_diameter_mm": "63.2"}]
    for utility in ("water", "gas"):
        assert put_survey(api, task_id, utility, make_survey(segments=segments)).status_code == 200
    assert move(api, task_id, "submitted", as_="crew").status_code == 200
    water = next(d for d in api.get(f"{task_path(task_id)}/determinations", as_="engineer").json
                 if d["utility"] == "water")
    assert water["inputs"]["pipe_dn"] == 50
    checked = water["measurement"]["pipe_sizes"]
    assert [(c["segment"], c["declared_dn"], c["flag"], c["proposal"]["proposed"]["dn"]) for c in checked] == [
        (0, 50, "dn_disagrees", 100), (1, 50, None, 50)]
    assert checked[0]["proposal"]["measured_outside_diameter_mm"] == "110.14"


def test_a_segment_measured_twice_is_refused(api):
    task_id = task_in(api, "on_site")
    segments = [{"dn": 50, "material": "PE100", "outside_diameter_mm": "63", "circumference_mm": "198"}]
    response = put_survey(api, task_id, "water", make_survey(segments=segments))
    assert (response.status_code, response.json["field"]) == (422, "segments[0].circumference_mm")
