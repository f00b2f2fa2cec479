"""Regenerate the notebooks' stored outputs: execute each in a fresh kernel, offline, and save.

    python3 workbook.py refresh                      # every notebook
    python3 workbook.py refresh notebooks/03_*.ipynb # some

Volatile metadata (timings, widget state, interpreter version) is dropped so a refresh that changes
nothing leaves the files byte-identical, apart from client-measured times (`(measured) N ms`), which
tests/sanitize.cfg masks when nbval compares. Outputs are never edited by hand.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbconvert.preprocessors import CoalesceStreamsPreprocessor

from .paths import NOTEBOOKS

TIMEOUT = 600


def clean(notebook) -> None:
    # A pause between two prints splits them into two stream outputs; merged, a refresh is repeatable.
    CoalesceStreamsPreprocessor().preprocess(notebook, {})
    notebook.metadata.pop("widgets", None)
    notebook.metadata.get("language_info", {}).pop("version", None)
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
        for output in cell.get("outputs", []):
            # Widget views point at state dropped above, under a random model id: keep their text only.
            output.get("data", {}).pop("application/vnd.jupyter.widget-view+json", None)


def refresh(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    os.environ["BEDROCK_MODE"] = "offline"
    for name in ("AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE"):  # outputs use the default region
        os.environ.pop(name, None)
    client = NotebookClient(
        notebook,
        timeout=TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=False,
    )
    client.execute()
    clean(notebook)
    nbformat.write(notebook, path)


def main(argv: list[str]) -> int:
    paths = [Path(p).resolve() for p in argv] or sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    for path in paths:
        print(f"refreshing {path.name} ...", flush=True)
        refresh(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
