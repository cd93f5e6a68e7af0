"""DXF exports for CAD, read back by ezdxf: audit clean, named layers, coordinates against pyproj's projection."""
import io

import ezdxf
import pytest
from ezdxf import recover
from pyproj import Transformer

from tests.factories import make_survey, measure_stored, put_survey, square_ring, task_in

EXPORTS = "/api/v1/exports"
MM = 0.001


def read_dxf(response):
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "image/vnd.dxf"
    doc, auditor = recover.read(io.BytesIO(response.get_data()))
    return doc, auditor


def test_a_task_dxf_is_clean_layered_and_projected_to_the_sites_zone(api):
    task_id = task_in(api, "on_site")
    survey = make_survey(green_areas=[{"type": "Polygon", "coordinates": [square_ring(113.3722, 31.6912, 0.0001)]}])
    for utility in ("water", "gas"):
        assert put_survey(api, task_id, utility, survey).status_code == 200
    doc, auditor = read_dxf(api.get(f"{EXPORTS}/tasks/{task_id}/dxf", as_="crew"))
    assert not auditor.has_errors and not auditor.has_fixes
    assert not doc.audit().has_errors
    assert doc.units == ezdxf.units.M
    msp = doc.modelspace()
    by_layer = {name: msp.query(f'*[layer=="{name}"]') for name in ("红线", "外线管道", "内线管道", "市政管道", "绿地")}
    assert all(len(entities) for entities in by_layer.values()), {k: len(v) for k, v in by_layer.items()}
    to_zone = Transformer.from_crs("EPSG:4490", "EPSG:4547", always_xy=True)  # Suizhou, CM 114°E
    truth = measure_stored(api, task_id, "water", as_="crew")
    expected = [to_zone.transform(*p) for p in truth["outside_route"]["coordinates"][0]]
    outside = [e for e in by_layer["外线管道"] if e.dxftype() == "LWPOLYLINE"]
    drawn = [list(e.get_points("xy")) for e in outside]
    assert any(len(points) == len(expected) and all(
        got == pytest.approx(want, abs=MM) for got, want in zip(points, expected, strict=True)) for points in drawn)
    red_line = next(e for e in by_layer["红线"] if e.dxftype() == "LWPOLYLINE")
    ring = [to_zone.transform(*p) for p in square_ring(113.3712, 31.6905)][:-1]
    for got, want in zip(sorted(red_line.get_points("xy")), sorted(ring), strict=True):
        assert got == pytest.approx(want, abs=MM)


def test_pipes_carry_their_dn_and_the_measured_length_as_text(api):
    task_id = task_in(api, "approved")
    doc, _ = read_dxf(api.get(f"{EXPORTS}/tasks/{task_id}/dxf", as_="engineer"))
    texts = [e.dxf.text for e in doc.modelspace().query("TEXT")]
    truth = measure_stored(api, task_id, "water")
    outside = [t for t in texts if t.startswith("给水外线")]
    assert outside == [f"给水外线 DN50 L={truth['outside_length_m']:.3f}m"]
    inside = [t for t in texts if t.startswith("给水内线")]
    assert inside == [f"给水内线 DN50 L={truth['inside_length_m']:.3f}m"]
    assert any(t.startswith("燃气外线 DN50") for t in texts)
    title = {e.dxf.text for e in doc.modelspace().query('TEXT[layer=="图框"]')}
    number = api.get(f"/api/v1/tasks/{task_id}", as_="engineer").json["number"]
    assert {"申请编号", number, "踏勘组", "crew_a", "坐标系"} <= title
    assert "1:1000  单位: 米" in title  # a 280 m by 110 m site on A3
