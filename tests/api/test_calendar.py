"""GET/PUT /api/v1/calendar/{year}: the statutory calendar and a tenant's upload of a year."""


def test_2026_is_official_with_national_day_and_make_up_workdays(api):
    body = api.get("/api/v1/calendar/2026", as_="crew").json
    assert body["source"] == "official"
    assert {"2026-10-01", "2026-10-02", "2026-10-05", "2026-10-06", "2026-10-07"} <= set(body["holidays"])
    assert {"2026-09-20", "2026-10-10"} <= set(body["workdays"])


def test_a_year_without_official_data_is_estimated(api):
    assert api.get("/api/v1/calendar/2031").json["source"] == "estimated"


def test_admin_upload_replaces_the_year_then_delete_restores_it(api):
    upload = {"holidays": ["2031-01-01", "2031-10-01"], "workdays": ["2031-09-28"]}
    put = api.put("/api/v1/calendar/2031", json=upload)
    assert put.status_code == 200
    assert put.json == {"year": 2031, "source": "override", **upload}
    assert api.get("/api/v1/calendar/2031", as_="engineer").json["workdays"] == ["2031-09-28"]
    assert api.delete("/api/v1/calendar/2031").status_code == 204
    assert api.get("/api/v1/calendar/2031").json["source"] == "estimated"


def test_upload_is_tenant_scoped(api, other_tenant):
    api.put("/api/v1/calendar/2031", json={"holidays": ["2031-01-02"], "workdays": []})
    other = api.get("/api/v1/calendar/2031", token=other_tenant.tokens["admin"]).json
    assert other["source"] == "estimated"


def test_upload_rejects_dates_that_do_not_change_anything(api):
    response = api.put("/api/v1/calendar/2031", json={"holidays": ["2031-01-04"], "workdays": []})
    assert response.status_code == 422
    assert response.json["code"] == "date_not_changed_by_rule"
    assert response.json["field"] == "holidays[0]"


def test_upload_rejects_dates_of_another_year(api):
    response = api.put("/api/v1/calendar/2031", json={"holidays": [], "workdays": ["2030-09-28"]})
    assert response.status_code == 422
    assert response.json["field"] == "workdays[0]"


def test_only_admins_upload(api):
    assert api.put("/api/v1/calendar/2031", as_="dispatcher", json={"holidays": [], "workdays": []}).status_code == 403
