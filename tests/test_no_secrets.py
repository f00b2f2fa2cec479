"""No stored notebook output may leak an access key, a secret, an account id or a machine path."""

from __future__ import annotations

import re

import nbformat
import pytest

from helpers.paths import NOTEBOOKS

PLACEHOLDER_ACCOUNT = "123456789012"
PATTERNS = {
    "access key id": re.compile(r"(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])"),
    # A secret access key: exactly 40 base64 characters, mixing cases and digits.
    "secret access key": re.compile(
        r"(?<![A-Za-z0-9/+=])(?=[A-Za-z0-9/+]*[a-z])(?=[A-Za-z0-9/+]*[A-Z])"
        r"(?=[A-Za-z0-9/+]*[0-9])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])"
    ),
    "account id": re.compile(r"(?<!\d)(?!" + PLACEHOLDER_ACCOUNT + r")\d{12}(?!\d)"),
    "machine path": re.compile(r"(?:/root\b|/home/|/tmp/|/Users/|/private/var/|/var/folders/|[A-Za-z]:\\\\?Users\\)"),
}
TEXT_TYPES = ("text/", "application/json", "application/javascript")
NOTEBOOK_FILES = sorted(NOTEBOOKS.glob("*.ipynb"))


def output_texts(notebook) -> list[tuple[int, str]]:
    """(cell number, text) for every textual output: streams, rich data, errors."""
    found = []
    for number, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []):
            if "text" in output:
                found.append((number, output["text"]))
            for mime, value in output.get("data", {}).items():
                if mime.startswith(TEXT_TYPES):
                    found.append((number, value if isinstance(value, str) else str(value)))
            if output.get("output_type") == "error":
                found.append((number, "\n".join([output.get("evalue", "")] + output.get("traceback", []))))
    return found


def leaks(notebook) -> list[tuple[int, str, str]]:
    """(cell number, kind, first characters) of every suspicious value in the outputs."""
    problems = []
    for number, text in output_texts(notebook):
        for kind, pattern in PATTERNS.items():
            for match in pattern.finditer(text):
                problems.append((number, kind, match.group(0)[:8] + "..."))
    return problems


def test_there_are_notebooks_to_scan():
    assert len(NOTEBOOK_FILES) >= 2


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=lambda p: p.name)
def test_stored_outputs_leak_nothing(path):
    assert leaks(nbformat.read(path, as_version=4)) == []


@pytest.mark.parametrize(
    "leaked, kind",
    [
        ("key AKIAIOSFODNN7EXAMPLE in use", "access key id"),
        ("temporary ASIAZZZZZZZZZZZZZZZZ", "access key id"),
        ("secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "secret access key"),
        ("arn:aws:iam::210987654321:user/x", "account id"),
        ("File /home/ada/work/x.py", "machine path"),
        ("saved to /tmp/workbook-aws-1/credentials", "machine path"),
        ("/root/.aws/credentials", "machine path"),
        ("C:\\Users\\ada\\.aws", "machine path"),
    ],
)
def test_scanner_catches_leaks(leaked, kind):
    cell = nbformat.v4.new_code_cell("x", outputs=[nbformat.v4.new_output("stream", name="stdout", text=leaked)])
    assert [found[1] for found in leaks(nbformat.v4.new_notebook(cells=[cell]))] == [kind]


@pytest.mark.parametrize(
    "harmless",
    [
        "AKIA****************",
        "arn:aws:iam::123456789012:user/bedrock-runtime",
        "arn:aws:iam::<account-id>:user/x",
        "latency 1234567 ms",
        "sha1 2fd4e1c67a2d28fced849ee1bb76e7391b93eb12",
    ],
)
def test_scanner_ignores_masked_and_placeholder_values(harmless):
    cell = nbformat.v4.new_code_cell(
        "x", outputs=[nbformat.v4.new_output("execute_result", data={"text/plain": harmless})]
    )
    assert leaks(nbformat.v4.new_notebook(cells=[cell])) == []
