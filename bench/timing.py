"""Shared timing helpers for the benchmarks: interleaved repeats, median per round, best round."""
from __future__ import annotations

import statistics
import time


def per_call(fn, calls: int) -> float:
    """Seconds per call of fn over `calls` calls."""
    start = time.perf_counter()
    for _ in range(calls):
        fn()
    return (time.perf_counter() - start) / calls


def compare(subject, floor, calls: int = 300, rounds: int = 7) -> tuple[float, float, float]:
    """(subject s/call, floor s/call, ratio): rounds alternate so drift hits both sides alike."""
    subject(), floor()  # warm up
    ours, base = [], []
    for _ in range(rounds):
        ours.append(per_call(subject, calls))
        base.append(per_call(floor, calls))
    s, f = statistics.median(ours), statistics.median(base)
    return s, f, s / f


def row(name: str, value: float, unit: str, target: float, note: str = "") -> dict:
    return {"name": name, "value": value, "unit": unit, "target": f"<= {target:g}{unit}", "ok": value <= target, "note": note}
