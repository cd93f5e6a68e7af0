"""The benchmark's request body is a valid, realistic measure request (so the bench measures real work)."""

import importlib.util
from pathlib import Path

import pytest

from geo import measure, parse_measure_request

BENCH = Path(__file__).resolve().parents[3] / "bench" / "bench_measure.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_measure", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("n_red", [200, 1000])
def test_payload_sizes_and_validity(bench, n_red):
    payload = bench.measure_payload(n_route=1000, n_red=n_red)
    assert len(payload["route"]["coordinates"]) == 1000
    assert len(payload["red_line"]["coordinates"][0]) == n_red
    m = measure(parse_measure_request(payload), bench.bench_constraints())
    assert m.warnings == ()
    assert 0.0 < m.inside_length_m < m.outside_length_m
    assert m.green_area_m2 > 0.0
    assert [c.layer for c in m.crossings] == ["railway", "river"]
