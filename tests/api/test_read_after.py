"""Read-your-writes headers on a server without replicas: validated, and never needed (the e2e replica tests
show them at work)."""


def test_a_malformed_min_lsn_is_rejected_naming_the_header(api):
    response = api.get("/api/v1/sync/pull", as_="crew", headers={"Tapline-Min-Lsn": "yesterday"})
    assert response.status_code == 422
    assert (response.json["code"], response.json["field"]) == ("validation_error", "headers.Tapline-Min-Lsn")


def test_without_replicas_a_write_names_no_position_and_a_read_after_one_is_served(api):
    pushed = api.post("/api/v1/sync/push", as_="crew", json={"mutations": []})
    assert pushed.status_code == 200 and "Tapline-Write-Lsn" not in pushed.headers
    served = api.get("/api/v1/sync/pull", as_="crew", headers={"Tapline-Min-Lsn": "FFFFFFFF/FFFFFFFF"})
    assert served.status_code == 200 and served.json["changes"]
