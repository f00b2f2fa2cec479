"""Where the workbook's files live, found from this package so notebooks never need absolute paths."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"
NOTEBOOKS = REPO / "notebooks"
