"""Export writers on sample sites: `python -m bench.bench_exports [--tasks N]`.

No database: sites are built in memory and measured by geo, as the export service builds them. The
GeoPackage writer (every layer, attributes, batches appended) is compared with pyogrio writing the same
red lines alone in one call, its floor; the DXF and PDF are timed per task; the selection's peak memory
growth shows the batches keep it bounded.
"""
from __future__ import annotations

import argparse
import resource
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pyogrio.raw
import shapely
from shapely import LineString, MultiLineString, MultiPolygon, Point, Polygon

import geo
from bench.harness import report
from server.exports.drawing import write_site_drawing
from server.exports.dxf import write_dxf
from server.exports.geopackage import write_geopackage
from server.exports.layers import task_features
from server.exports.sheets import SurveySheet, TaskSheet

BATCH = 100


def sample_sheet(i: int) -> TaskSheet:
    """A Suizhou-like site, shifted per task: a 100 m parcel, a route from a main into it, a green verge."""
    lon, lat = 113.30 + (i % 100) * 0.002, 31.60 + (i // 100) * 0.002
    d = 0.0005
    red_line = MultiPolygon([Polygon([(lon - d, lat - d), (lon + d, lat - d), (lon + d, lat + d), (lon - d, lat + d)])])
    main = LineString([(lon + 0.0016, lat - 0.003), (lon + 0.0016, lat + 0.003)])
    green = MultiPolygon([Polygon([(lon + 0.0008, lat - 0.0003), (lon + 0.0013, lat - 0.0003),
                                   (lon + 0.0013, lat), (lon + 0.0008, lat)])])
    surveys = []
    for utility, offset in (("water", 0.0001), ("gas", -0.0001)):
        route = MultiLineString([[(lon + 0.0016, lat + offset), (lon + 0.0009, lat + offset),
                                  (lon + 0.0002, lat + offset)]])
        measured = geo.measure(geo.MeasureRequest(crs="EPSG:4490", route=route, red_line=red_line,
                                                  green_areas=tuple(green.geoms), main=main))
        surveys.append(SurveySheet(uuid.uuid4(), utility, red_line, route, main, green,
                                   Point(lon + 0.0002, lat + offset), 40,
                                   [{"dn": 50, "material": "PE100", "tape_length_m": None}], measured, None,
                                   datetime(2026, 11, 25, 2, 42, tzinfo=UTC)))
    return TaskSheet(uuid.uuid4(), uuid.uuid4(), f"BZ{i:013d}", "随州市某公司", "随州市曾都区交通大道88号",
                     "approved", "suizhou", "踏勘一组", "王工程师", datetime(2026, 11, 25, 2, 42, tzinfo=UTC),
                     tuple(surveys))


def _timed(call) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=2000)
    tasks = parser.parse_args().tasks
    sheets = [sample_sheet(i) for i in range(min(tasks, BATCH))]
    with tempfile.TemporaryDirectory() as scratch:
        full = Path(scratch) / "full.gpkg"
        writer_s = _timed(lambda: write_geopackage(full, [[f for s in sheets for f in task_features(s)]]))
        red_lines = [survey.red_line for sheet in sheets for survey in sheet.surveys]
        floor = Path(scratch) / "floor.gpkg"
        wkb = np.array([shapely.to_wkb(g) for g in red_lines], dtype=object)
        floor_s = _timed(lambda: pyogrio.raw.write(str(floor), wkb, [np.arange(len(red_lines))], ["n"],
                                                   layer="red_lines", driver="GPKG", crs="EPSG:4490",
                                                   geometry_type="MultiPolygon"))
        before = _peak_rss_mb()
        selection = Path(scratch) / "selection.gpkg"

        def batches():
            for start in range(0, tasks, BATCH):
                yield [f for i in range(start, min(start + BATCH, tasks)) for f in task_features(sample_sheet(i))]

        selection_s = _timed(lambda: write_geopackage(selection, batches()))
        growth_mb = _peak_rss_mb() - before
        size_mb = selection.stat().st_size / 1e6
    dxf_s = _timed(lambda: [write_dxf(sheet) for sheet in sheets[:20]]) / 20
    pdf_s = _timed(lambda: [write_site_drawing(sheet, {}) for sheet in sheets[:5]]) / 5
    report([
        (f"GeoPackage of {len(sheets)} tasks, 7 layers", f"{writer_s * 1000:.0f} ms",
         f"{writer_s / floor_s:.1f} × pyogrio writing their red lines alone ({floor_s * 1000:.0f} ms)"),
        (f"GeoPackage selection of {tasks} tasks in batches of {BATCH}", f"{selection_s:.1f} s, {size_mb:.1f} MB",
         f"peak RSS growth {growth_mb:.0f} MB"),
        ("DXF of one task", f"{dxf_s * 1000:.0f} ms", "ezdxf, audit included"),
        ("PDF site drawing of one task", f"{pdf_s * 1000:.0f} ms", "matplotlib, A3"),
    ])


if __name__ == "__main__":
    main()
