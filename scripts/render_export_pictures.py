"""Render the pictures docs/exports.md and the README show, with the real writers on a sample Suizhou site.

    .venv/bin/python scripts/render_export_pictures.py    # writes docs/img/site-drawing.png, site-dxf.png

No database: the sheet is built here and measured by geo, as the export service builds it from a task.
"""
import io
import json
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

import ezdxf
from ezdxf.addons.drawing import matplotlib as dxf_matplotlib
from PIL import Image, ImageDraw

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench/ is not installed

import policy  # noqa: E402
from bench import bench_exports  # noqa: E402
from server.exports.drawing import write_site_drawing  # noqa: E402
from server.exports.dxf import TEXT_STYLE, write_dxf  # noqa: E402
from server.exports.sheets import TaskSheet  # noqa: E402
from server.services.policies import get_profile  # noqa: E402

DOCS = Path(__file__).resolve().parents[1] / "docs" / "img"


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
    """bench's sample site at its first place, with a decision per utility, two photos and a signature."""
    sheet = bench_exports.sample_sheet(0)
    surveys = []
    for survey in sheet.surveys:
        facts = policy.parse_facts({"utility": survey.utility, "business_type": "new", "customer_class": "enterprise",
                                    "meter_dn": 40, "pipe_dn": 50,
                                    "outside_length_m": survey.measurement.outside_length_m,
                                    "channel": "online", "applied_at": "2026-11-25T10:00:00+08:00"})
        decision = policy.evaluate(get_profile("suizhou"), facts, policy.WorkingCalendar()).to_dict()
        surveys.append(replace(survey, decision=_json(decision), photos=tuple(images)[:2],
                               signature=tuple(images)[-1]))
    return replace(sheet, application_number="BZ2026112500042", applicant_unit="随州市曾都区新能源科技有限公司",
                   surveys=tuple(surveys))


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
