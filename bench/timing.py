"""Shared timing helpers for the benchmarks: interleaved rounds, and the best round of each side.

The best round is the figure least disturbed by whatever else the machine is doing; both sides are
measured the same way, alternating, so the ratio compares like with like."""

from __future__ import annotations

import time


def per_call(fn, calls: int) -> float:
    """Seconds per call of fn over `calls` calls."""
    start = time.perf_counter()
    for _ in range(calls):
        fn()
    return (time.perf_counter() - start) / calls


def compare(subject, floor, calls: int = 300, rounds: int = 7) -> tuple[float, float, float]:
    """(subject s/call, floor s/call, ratio) from the best of `rounds` alternating rounds."""
    subject(), floor()  # warm up
    ours, base = [], []
    for _ in range(rounds):
        ours.append(per_call(subject, calls))
        base.append(per_call(floor, calls))
    s, f = min(ours), min(base)
    return s, f, s / f


def row(name: str, value: float, unit: str, target: float, note: str = "") -> dict:
    return {
        "name": name,
        "value": value,
        "unit": unit,
        "target": f"<= {target:g}{unit}",
        "ok": value <= target,
        "note": note,
    }
