"""What push stores for a batch of survey edits is what REST stores for the same values."""
from tests.factories import EVIDENCE, make_survey, mutation, push, put_survey, task_in, task_path, upload

#: Every kind of survey column: geometries of each type, integers, decimals, booleans, text, arrays, JSON.
EVERY_FIELD = {**make_survey(), "green_areas": [
    {"type": "Polygon", "coordinates": [[[113.3705, 31.6898], [113.3709, 31.6898], [113.3709, 31.6901],
                                         [113.3705, 31.6898]]]}],
    "road_occupation_area_m2": "12.50", "outside_length_accuracy_m": "3", "green_area_accuracy_m2": "0.75",
    "tree_felling": True, "traffic_safety_impact": False, "sketches": list(EVIDENCE)[:1], "notes": "阀门井\t在人行道下"}
NOT_VALUES = {"id", "task_id", "version", "updated_at", "updated_by", "submitted_at"}


def water(api, task_id) -> dict:
    detail = api.get(task_path(task_id), as_="engineer").json
    return next(s for s in detail["surveys"] if s["utility"] == "water")


def values(survey: dict) -> dict:
    return {name: value for name, value in survey.items() if name not in NOT_VALUES}


def test_a_pushed_survey_reads_as_the_same_values_put_over_rest(api):
    by_rest, by_push = task_in(api, "on_site"), task_in(api, "on_site")
    assert put_survey(api, by_rest, "water", EVERY_FIELD).status_code == 200
    for content in EVIDENCE.values():
        upload(api, content)
    before = water(api, by_push)
    fields = {name: value for name, value in EVERY_FIELD.items() if name != "crs"}
    (receipt,) = push(api, mutation("survey", before["id"], base_version=before["version"], **fields))
    assert receipt["result"] == "applied"
    after = water(api, by_push)
    assert values(after) == values(water(api, by_rest))
    assert after["version"] == before["version"] + 1 and receipt["version"] == after["version"]


def test_surveys_changing_different_fields_in_one_push_each_keep_their_own(api):
    tasks = [task_in(api, "on_site") for _ in range(3)]
    surveys = [water(api, task) for task in tasks]
    edits = [{"notes": "甲", "meter_dn": 32}, {"notes": "乙"}, {"tree_felling": True, "road_occupation_area_m2": "1.05"}]
    mutations = [mutation("survey", s["id"], base_version=s["version"], **edit) for s, edit in zip(surveys, edits, strict=True)]
    # the first survey again, from its new version: two edits of one survey in one push
    mutations.append(mutation("survey", surveys[0]["id"], base_version=surveys[0]["version"] + 1,
                              route=make_survey()["route"]))
    assert [r["result"] for r in push(api, *mutations)] == ["applied"] * 4
    stored = [water(api, task) for task in tasks]
    for before, after, edit in zip(surveys, stored, edits, strict=True):
        assert {name: after[name] for name in edit} == edit
        untouched = set(values(before)) - set(edit) - {"route"}
        assert {n: after[n] for n in untouched} == {n: before[n] for n in untouched}
    assert stored[0]["version"] == surveys[0]["version"] + 2 and stored[0]["route"]["type"] == "MultiLineString"
    assert [s["version"] for s in stored[1:]] == [s["version"] + 1 for s in surveys[1:]]


def test_an_edit_pushed_before_a_submission_is_stored_before_the_submission_versions_it(api):
    task_id = task_in(api, "on_site")
    before = water(api, task_id)
    task = api.get(task_path(task_id), as_="crew").json
    route = {"type": "LineString", "coordinates": [[113.3747, 31.6905], [113.3714, 31.6905]]}
    receipts = push(api, mutation("survey", before["id"], base_version=before["version"], route=route, notes="提交前"),
                    mutation("survey_task", task_id, "transition", base_version=task["version"], to="submitted"))
    assert [r["result"] for r in receipts] == ["applied", "applied"]
    after = water(api, task_id)
    assert after["notes"] == "提交前"
    assert after["route"]["coordinates"] == [route["coordinates"]]
    assert after["version"] == before["version"] + 2 and after["submitted_at"] is not None
    determinations = api.get(f"{task_path(task_id)}/determinations", as_="engineer").json
    assert [d["survey_version"] for d in determinations if d["utility"] == "water"] == [after["version"]]
