"""The PDF site drawing, read back by poppler: pdftotext finds lengths, DN and clauses; pdftoppm renders it."""
import re
import subprocess

from tests.factories import geotagged_jpeg, make_survey, measure_stored, move, put_survey, task_in, upload

EXPORTS = "/api/v1/exports"


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_the_site_drawing_prints_measured_lengths_dn_and_clauses(api, tmp_path):
    task_id = task_in(api, "on_site")
    photo = upload(api, geotagged_jpeg(113.3716, 31.6907))
    for utility in ("water", "gas"):
        assert put_survey(api, task_id, utility, make_survey(photos=[photo])).status_code == 200
    assert move(api, task_id, "submitted", as_="crew").status_code == 200
    assert move(api, task_id, "approved", as_="engineer").status_code == 200
    response = api.get(f"{EXPORTS}/tasks/{task_id}/pdf", as_="engineer")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    path = tmp_path / "site.pdf"
    path.write_bytes(response.get_data())
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.M) and "1190.55 x 841.89 pts (A3)" in info  # landscape
    text = pdf_text(path)
    truth = measure_stored(api, task_id, "water")
    for length in (truth["outside_length_m"], truth["inside_length_m"], truth["total_length_m"]):
        assert f"{length:.3f}" in text
    assert f"L={truth['outside_length_m']:.3f}m" in text and "给水外线 DN50" in text
    assert "S4 000 二(四)" in text  # the free-installation clause the determination rests on
    task = api.get(f"/api/v1/tasks/{task_id}", as_="engineer").json
    assert task["number"] in text and "crew_a" in text and "engineer 测试" in text
    assert "比例 1:" in text
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-singlefile", str(path), str(tmp_path / "page")], check=True)
    assert (tmp_path / "page.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_another_tenants_or_crews_drawing_is_404(api, app, other_tenant):
    from tests.factories import ApiClient
    task_id = task_in(api, "approved")
    assert ApiClient(app.test_client(), other_tenant).get(f"{EXPORTS}/tasks/{task_id}/pdf").status_code == 404
    assert api.get(f"{EXPORTS}/tasks/{task_id}/pdf", as_="crew_b").status_code == 404
    assert api.get(f"{EXPORTS}/tasks/{task_id}/pdf", as_="crew").status_code == 200
