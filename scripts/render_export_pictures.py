"""Render the pictures docs/exports.md and the README show, with the real writers on a sample Suizhou site.

    .venv/bin/python scripts/render_export_pictures.py    # writes docs/img/site-drawing.png, site-dxf.png

No database: the sheet is built here and measured by geo, as the export service builds it from a task.
"""
import io
import json
import subprocess
import tempfile
import uuid
from datetime import UTC, datetime
from pathlib import Path

import ezdxf
from ezdxf.addons.drawing import matplotlib as dxf_matplotlib
from PIL import Image, ImageDraw
from shapely import LineString, MultiLineString, MultiPolygon, Point, Polygon

import geo
import policy
from server.exports.drawing import write_site_drawing
from server.exports.dxf import TEXT_STYLE, write_dxf
from server.exports.sheets import SurveySheet, TaskSheet
from server.services.policies import get_profile

DOCS = Path(__file__).resolve().parents[1] / "docs" / "img"
LON, LAT = 113.3712, 31.6905


def sample_image(colour: tuple[int, int, int], caption: str, size=(480, 360)) -> bytes:
    image = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, size[1] - 90, size[0] - 20, size[1] - 20), fill=(120, 120, 120))
    draw.text((30, 30), caption, fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def signature() -> bytes:
    image = Image.new("RGB", (480, 140), "white")
    ImageDraw.Draw(image).line([(30, 100), (90, 40), (140, 110), (200, 50), (260, 100), (330, 60), (440, 90)],
                               fill="black", width=5)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def sample_sheet(images: dict[str, bytes]) -> TaskSheet:
    d = 0.0005
    red_line = MultiPolygon([Polygon([(LON - d, LAT - d), (LON + d, LAT - d), (LON + d, LAT + d), (LON - d, LAT + d)])])
    main = LineString([(LON + 0.0016, LAT - 0.003), (LON + 0.0016, LAT + 0.003)])
    green = MultiPolygon([Polygon([(LON + 0.0008, LAT - 0.0003), (LON + 0.0013, LAT - 0.0003),
                                   (LON + 0.0013, LAT + 0.00005), (LON + 0.0008, LAT + 0.00005)])])
    photos = tuple(images)[:2]
    surveys = []
    for utility, offset in (("water", 0.00012), ("gas", -0.00012)):
        route = MultiLineString([[(LON + 0.0016, LAT + offset), (LON + 0.0009, LAT + offset),
                                  (LON + 0.0002, LAT + offset)]])
        measured = geo.measure(geo.MeasureRequest(crs="EPSG:4490", route=route, red_line=red_line,
                                                  green_areas=tuple(green.geoms), main=main))
        facts = policy.parse_facts({"utility": utility, "business_type": "new", "customer_class": "enterprise",
                                    "meter_dn": 40, "pipe_dn": 50, "outside_length_m": measured.outside_length_m,
                                    "channel": "online", "applied_at": "2026-11-25T10:00:00+08:00"})
        decision = policy.evaluate(get_profile("suizhou"), facts, policy.WorkingCalendar()).to_dict()
        surveys.append(SurveySheet(uuid.uuid4(), utility, red_line, route, main, green,
                                   Point(LON + 0.0002, LAT + offset), 40,
                                   [{"dn": 50, "material": "PE100", "tape_length_m": None}], measured,
                                   _json(decision), datetime(2026, 11, 25, 2, 42, tzinfo=UTC), photos=photos,
                                   signature=tuple(images)[-1]))
    return TaskSheet(uuid.uuid4(), uuid.uuid4(), "BZ2026112500042", "随州市曾都区新能源科技有限公司",
                     "随州市曾都区交通大道88号", "approved", "suizhou", "踏勘一组", "王工程师",
                     datetime(2026, 11, 25, 2, 42, tzinfo=UTC), tuple(surveys))


def _json(value):
    """The decision as the database keeps it (JSON types)."""
    return json.loads(json.dumps(value, default=str))


def main() -> None:
    images = {"photo-1": sample_image((70, 110, 60), "site photo 1"),
              "photo-2": sample_image((90, 90, 120), "site photo 2"), "signature": signature()}
    sheet = sample_sheet(images)
    with tempfile.TemporaryDirectory() as scratch:
        pdf = Path(scratch) / "site.pdf"
        pdf.write_bytes(write_site_drawing(sheet, images))
        subprocess.run(["pdftoppm", "-r", "80", "-png", "-singlefile", str(pdf), str(DOCS / "site-drawing")],
                       check=True)
    doc = ezdxf.read(io.StringIO(write_dxf(sheet).decode("utf-8")))
    # A CAD viewer substitutes a font it lacks; here Noto Sans CJK stands in for SimSun.
    doc.styles.get(TEXT_STYLE).dxf.font = "NotoSansCJK-Regular.ttc"
    dxf_matplotlib.qsave(doc.modelspace(), str(DOCS / "site-dxf.png"), bg="#FFFFFF", dpi=150)
    print(f"wrote {DOCS / 'site-drawing.png'} and {DOCS / 'site-dxf.png'}")


if __name__ == "__main__":
    main()
