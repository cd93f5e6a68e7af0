"""Latency of geo measure on a realistic site: `python bench/bench_measure.py [--repeat N]`.

The site is in Suizhou: a 1,000-vertex route running ~1.7 km from the municipal main into a parcel whose
irregular red line has 200 or 1,000 vertices, two overlapping green areas on the way. ``measure_payload``
returns the JSON body of POST /api/v1/geo/measure, so an HTTP run through Flask's test client can join
``pure_cases`` in ``main``, timed by the same ``time_calls``.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
from collections.abc import Callable
from functools import partial
from itertools import pairwise
from pathlib import Path

import pyproj

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from anywhere without installing

from shapely import LineString, Polygon  # noqa: E402

from bench.timing import time_calls  # noqa: E402
from geo import ConstraintFeature, measure, parse_measure_request  # noqa: E402

SUIZHOU = (113.37, 31.69)
PARCEL_RADIUS_M = 120.0
TARGET_P50_MS = 5.0
TARGET_CASE = "measure, route 1000 / red line 200"

_GRS80 = pyproj.Geod(ellps="GRS80")


def measure_payload(n_route: int = 1000, n_red: int = 1000, *, seed: int = 7) -> dict:
    """A measure request body (EPSG:4490) with an ``n_route``-vertex route and an ``n_red``-vertex red line."""
    rng = random.Random(seed)
    # From the main ~850 m south and ~850 m west of the parcel: east along one street, north up another,
    # into the parcel; green verges on the east-bound street.
    start, corner, end = _at(-850.0, -850.0), _at(0.0, -850.0), _at(-10.0, -30.0)
    return {
        "crs": "EPSG:4490",
        "route": {"type": "LineString", "coordinates": _street_route([start, corner, end], n_route, rng)},
        "red_line": {"type": "Polygon", "coordinates": [_irregular_ring((0.0, 0.0), PARCEL_RADIUS_M, n_red, rng)]},
        "green_areas": [{"type": "Polygon", "coordinates": [_irregular_ring((east, -850.0), 40.0, 24, rng)]}
                        for east in (-600.0, -570.0)],
        "main": {"type": "LineString", "coordinates": [_at(-850.0, -1_250.0), _at(-850.0, -450.0)]},
    }


def bench_constraints() -> list[ConstraintFeature]:
    """Reference features around the site: the route crosses the railway and the river, not the expressway."""
    return [
        ConstraintFeature("railway", "汉丹铁路", LineString([_at(-400.0, -1_000.0), _at(-400.0, -700.0)])),
        ConstraintFeature("river", "涢水", Polygon([_at(-300.0, -520.0), _at(300.0, -520.0), _at(300.0, -480.0),
                                                    _at(-300.0, -480.0)])),
        ConstraintFeature("expressway", "福银高速", LineString([_at(-2_000.0, -2_000.0), _at(-2_000.0, 2_000.0)])),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=500)
    args = parser.parse_args(argv)
    results = {name: time_calls(call, repeat=args.repeat) for name, call in pure_cases().items()}
    print(f"{'case':<46} {'p50 ms':>8} {'p95 ms':>8} {'calls/s':>9}")
    for name, result in results.items():
        print(f"{name:<46} {result['p50_ms']:>8.3f} {result['p95_ms']:>8.3f} {result['calls_per_s']:>9.0f}")
    met = results[TARGET_CASE]["p50_ms"] < TARGET_P50_MS
    print(f"target: {TARGET_CASE} p50 < {TARGET_P50_MS} ms: {'met' if met else 'MISSED'}")
    return 0 if met else 1


def pure_cases() -> dict[str, Callable[[], object]]:
    """The geo functions alone: measure of a parsed request, and parse + measure of the JSON body."""
    cases: dict[str, Callable[[], object]] = {}
    constraints = bench_constraints()
    for n_red in (200, 1000):
        payload = measure_payload(n_route=1000, n_red=n_red)
        request = parse_measure_request(payload)
        cases[f"measure, route 1000 / red line {n_red}"] = partial(measure, request, constraints)
        cases[f"parse + measure, route 1000 / red line {n_red}"] = partial(_parse_and_measure, payload, constraints)
    return cases


def _parse_and_measure(payload: dict, constraints: list[ConstraintFeature]) -> object:
    return measure(parse_measure_request(payload), constraints)


def _at(east_m: float, north_m: float) -> list[float]:
    """[lon, lat] that far east and north of the site centre (along one geodesic)."""
    if east_m == north_m == 0.0:
        return list(SUIZHOU)
    lon, lat, _ = _GRS80.fwd(*SUIZHOU, math.degrees(math.atan2(east_m, north_m)), math.hypot(east_m, north_m))
    return [lon, lat]


def _irregular_ring(centre_m: tuple[float, float], radius_m: float, n: int, rng: random.Random) -> list[list[float]]:
    """A closed ring of ``n`` positions around ``centre_m``, radius varying ±15 %: star-shaped, so simple."""
    count = n - 1
    ring = []
    for k in range(count):
        bearing, radius = 2.0 * math.pi * k / count, radius_m * rng.uniform(0.85, 1.15)
        ring.append(_at(centre_m[0] + radius * math.sin(bearing), centre_m[1] + radius * math.cos(bearing)))
    return ring + [ring[0]]


def _street_route(corners: list[list[float]], n: int, rng: random.Random) -> list[list[float]]:
    """``n`` positions along the geodesic legs through ``corners``, each jittered by up to 0.3 m like a GNSS trace."""
    legs = list(pairwise(corners))
    lengths = [_GRS80.inv(*a, *b)[2] for a, b in legs]
    positions: list[list[float]] = []
    for i, ((a, b), length) in enumerate(zip(legs, lengths, strict=True)):
        # the last leg takes whatever rounding left, so there are exactly n positions
        count = n - 1 - len(positions) if i == len(legs) - 1 else round((n - 1) * length / sum(lengths))
        positions += [list(p) for p in _GRS80.npts(*a, *b, count, initial_idx=0, terminus_idx=1)]
    positions.append(list(corners[-1]))
    jittered = []
    for lon, lat in positions:
        jittered_lon, jittered_lat, _ = _GRS80.fwd(lon, lat, rng.uniform(0.0, 360.0), rng.uniform(0.0, 0.3))
        jittered.append([jittered_lon, jittered_lat])
    return jittered


if __name__ == "__main__":
    sys.exit(main())
