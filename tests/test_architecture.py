"""The emulator's layering, checked from its source: no import cycles among its modules, and nothing
imported from the learner-facing helpers except the facts both sides share."""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

HELPERS = Path(__file__).resolve().parents[1] / "helpers"
SHARED_FACTS = {"helpers.formats", "helpers.paths", "helpers.vocabulary"}


def module_name(path: Path) -> str:
    parts = path.relative_to(HELPERS.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every helpers.* module a file imports, at any depth (lazy imports inside functions count)."""
    package = module_name(path).split(".") if path.name == "__init__.py" else module_name(path).split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("helpers"))
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            target = ".".join([*base, node.module] if node.module else base)
            if not target.startswith("helpers"):
                continue
            for alias in node.names:  # `from . import rules` names a module, `from .x import y` a member
                candidate = f"{target}.{alias.name}"
                found.add(candidate if module_path(candidate) else target)
    return {name for name in found if module_path(name)}


def module_path(name: str) -> Path | None:
    base = HELPERS.parent.joinpath(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.exists():
            return candidate
    return None


def emulator_graph() -> dict[str, set[str]]:
    files = sorted((HELPERS / "offline").rglob("*.py"))
    return {module_name(f): imports_of(f) for f in files}


def test_the_graph_is_read_correctly():
    graph = emulator_graph()
    assert "helpers.offline.pipeline" in graph["helpers.offline.runtime_ops"]
    assert "helpers.offline.dialects.converse" in graph["helpers.offline.dialects.converse_stream"]


def test_the_emulator_has_no_import_cycles():
    graph = {
        name: {dep for dep in deps if dep.startswith("helpers.offline") and dep != name and not name.startswith(dep)}
        for name, deps in emulator_graph().items()
    }
    try:
        list(TopologicalSorter(graph).static_order())
    except CycleError as error:
        raise AssertionError(f"import cycle: {' -> '.join(error.args[1])}") from None


def test_the_emulator_imports_only_shared_facts_from_the_helpers():
    outside = {
        (name, dep)
        for name, deps in emulator_graph().items()
        for dep in deps
        if not dep.startswith("helpers.offline") and dep not in SHARED_FACTS
    }
    assert not outside, f"the emulator reaches into learner-facing helpers: {sorted(outside)}"
