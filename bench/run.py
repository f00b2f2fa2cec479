"""Run every bench/bench_*.py and print one table: each figure is a ratio (or time) measured against
a floor in the same run, with its target. Exit status 1 if any target is missed.

    python3 workbook.py bench            # all
    python3 workbook.py bench converse   # only bench_converse.py
    python3 workbook.py bench workshop   # one server under a classroom's load (about 25 s)
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def load(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module  # so worker processes can find its functions by name
    spec.loader.exec_module(module)
    return module


def main(argv: list[str]) -> int:
    files = sorted(HERE.glob("bench_*.py"))
    if argv:
        files = [f for f in files if any(word in f.stem for word in argv)]
    rows = []
    for path in files:
        print(f"running {path.name} ...", flush=True)
        rows.extend(load(path).run())
    width = max((len(r["name"]) for r in rows), default=10)
    print(f"\n{'benchmark':<{width}}  {'value':>10}  {'target':<10}  ok")
    for r in rows:
        print(
            f"{r['name']:<{width}}  {r['value']:>9.3g}{r['unit']:<1}  {r['target']:<10}  {'yes' if r['ok'] else 'NO'}"
        )
        if r.get("note"):
            print(f"    {r['note']}")
    return 0 if all(r["ok"] for r in rows) else 1


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent))
    sys.exit(main(sys.argv[1:]))
