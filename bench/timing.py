"""Latency percentiles of a call, shared by every benchmark."""
import statistics
import time
from collections.abc import Callable


def time_calls(call: Callable[[], object], *, repeat: int, warmup: int = 20) -> dict[str, float]:
    """p50 / p95 latency (ms) and calls per second of `call` over `repeat` timed runs."""
    for _ in range(warmup):
        call()
    samples_ms = []
    for _ in range(repeat):
        started = time.perf_counter_ns()
        call()
        samples_ms.append((time.perf_counter_ns() - started) / 1e6)
    cuts = statistics.quantiles(samples_ms, n=100, method="inclusive")
    return {"p50_ms": cuts[49], "p95_ms": cuts[94], "calls_per_s": 1_000.0 / statistics.fmean(samples_ms)}
