"""Move the workbook's code to models that are ACTIVE on the catalog's `asOf` day.

Bedrock retires models on published dates (data/catalog.json records them); code written against an
older catalog then calls models that answer only with the end-of-life or Legacy error. This script
holds the one decision "which current model replaces which retired one, and why" and re-applies it:

    python data/migrate_models.py notebooks/03_text_conversation.ipynb tests/ helpers/   # rewrite
    python data/migrate_models.py --dry-run notebooks/                                   # only report
    python data/migrate_models.py --show                                                 # the mapping

It rewrites model-id string literals in notebook code cells and .py files (directories are walked)
and prints every change. It is safe to re-run: replacements are current ids, which it never rewrites.

What it leaves alone, on purpose:
- a line containing `migrate_models: keep` (the retired id is the point of that line);
- a file containing `migrate_models: keep-file` (e.g. tests of the lifecycle itself);
- a notebook cell tagged `keep-model-ids` (a seed's call kept to show today's error).

A replacement is chosen by role (REPLACEMENTS) and checked against the catalog before anything is
written: it must be ACTIVE on `asOf` and offer everything the retired model offered (system prompt,
images, documents, video, tools, streaming tools, output tokens). Ids without a drop-in replacement
(Claude 2's Text Completions body) are only reported. Newer Claude models refuse `temperature`
together with `topP` (catalog `sampling.temperatureWithTopP`); a rewritten call that sends both is
reported so it can be fixed by hand (keep one of the two).

To move to newer models later: update data/catalog.json, change REPLACEMENTS, run the script on
notebooks/, helpers/, bench/ and tests/, refresh the notebooks, and run tests/test_current_models.py.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "data" / "catalog.json"
SUFFIXES = (".py", ".ipynb", ".mjs", ".js")  # notebooks, Python and the JavaScript SDK tests
KEEP_LINE, KEEP_FILE, KEEP_TAG = "migrate_models: keep", "migrate_models: keep-file", "keep-model-ids"
# The emulator models every catalog model, retired ones included, on purpose: never rewritten.
SKIPPED_DIRS = (ROOT / "helpers" / "offline", ROOT / ".venv")
# Profile prefix for a bare id whose replacement is callable only through an inference profile:
# `global.` routes to any commercial Region (AWS "Supported Regions and models for inference profiles").
DEFAULT_PREFIX = ("global", "us")


@dataclass(frozen=True)
class Replacement:
    model: str | None  # the current base id; None: no drop-in replacement, report only
    role: str


HAIKU_4_5 = "anthropic.claude-haiku-4-5-20251001-v1:0"
SONNET_4_6 = "anthropic.claude-sonnet-4-6"
OPUS_4_6 = "anthropic.claude-opus-4-6-v1"
NOVA_2_LITE = "amazon.nova-2-lite-v1:0"

REPLACEMENTS = {
    "anthropic.claude-3-haiku-20240307-v1:0": Replacement(HAIKU_4_5, "fast, cheap Claude with vision"),
    "anthropic.claude-3-5-haiku-20241022-v1:0": Replacement(HAIKU_4_5, "fast, cheap Claude"),
    "anthropic.claude-3-sonnet-20240229-v1:0": Replacement(SONNET_4_6, "Sonnet-class Claude"),
    "anthropic.claude-3-5-sonnet-20240620-v1:0": Replacement(SONNET_4_6, "Sonnet-class Claude"),
    "anthropic.claude-3-5-sonnet-20241022-v2:0": Replacement(SONNET_4_6, "Sonnet-class Claude"),
    "anthropic.claude-3-7-sonnet-20250219-v1:0": Replacement(SONNET_4_6, "Sonnet-class Claude"),
    "anthropic.claude-sonnet-4-20250514-v1:0": Replacement(SONNET_4_6, "Sonnet-class Claude"),
    "anthropic.claude-3-opus-20240229-v1:0": Replacement(OPUS_4_6, "Opus-class Claude"),
    "anthropic.claude-opus-4-20250514-v1:0": Replacement(OPUS_4_6, "Opus-class Claude"),
    "anthropic.claude-opus-4-1-20250805-v1:0": Replacement(OPUS_4_6, "Opus-class Claude (4.1 is Legacy)"),
    "amazon.nova-premier-v1:0": Replacement(NOVA_2_LITE, "Nova with video and a 1M-token context"),
    "anthropic.claude-v2:1": Replacement(None, "Text Completions body: rewrite the call as Messages by hand"),
}
FEATURES = ("system", "images", "documents", "video", "tools", "streamingTools")


def load_catalog() -> dict:
    with open(CATALOG, encoding="utf-8") as handle:
        return json.load(handle)


def status(model: dict, day: dt.date) -> str:
    """The catalog's lifecycle rule (helpers/offline/lifecycle.py), without importing the package."""
    sys.path.insert(0, str(ROOT))
    from helpers.offline.lifecycle import status as lifecycle_status

    return lifecycle_status(model, day)


def verify(catalog: dict) -> list[str]:
    """Problems with REPLACEMENTS against the catalog (empty when every choice holds)."""
    models = {m["modelId"]: m for m in catalog["models"]}
    day = dt.date.fromisoformat(catalog["asOf"])
    problems = []
    for old, repl in REPLACEMENTS.items():
        if old not in models:
            problems.append(f"{old}: not in the catalog")
            continue
        if repl.model is None:
            continue
        new = models.get(repl.model)
        if new is None:
            problems.append(f"{old} -> {repl.model}: replacement not in the catalog")
            continue
        if status(new, day) != "ACTIVE":
            problems.append(f"{old} -> {repl.model}: {status(new, day)} on {day}")
        lost = [f for f in FEATURES if models[old]["capabilities"].get(f) and not new["capabilities"].get(f)]
        if lost:
            problems.append(f"{old} -> {repl.model}: loses {', '.join(lost)}")
        if new["maxOutputTokens"] < models[old]["maxOutputTokens"]:
            problems.append(f"{old} -> {repl.model}: fewer output tokens")
    return problems


def _pattern(catalog: dict) -> re.Pattern:
    prefixes = "|".join(map(re.escape, catalog["geographies"]))
    # Each retired id, maybe with a geography prefix; its ":" may be URL-encoded (%3A) in request paths.
    olds = "|".join(re.escape(old).replace(":", "(?::|%3A)") for old in sorted(REPLACEMENTS, key=len, reverse=True))
    return re.compile(rf"(?<![\w.-])(?:(?P<prefix>{prefixes})\.)?(?P<old>{olds})(?![\w-])")


class Migrator:
    def __init__(self, catalog: dict | None = None):
        self.catalog = catalog or load_catalog()
        self.models = {m["modelId"]: m for m in self.catalog["models"]}
        self.pattern = _pattern(self.catalog)
        self.changes: list[str] = []
        self.warnings: list[str] = []

    def replacement(self, prefix: str | None, old: str) -> str | None:
        """The id to write for `prefix.old` (or bare `old`): same geography where the new model has it,
        else `global.` (then `us.`); a bare id stays bare only if the new model allows on-demand calls."""
        repl = REPLACEMENTS[old].model
        if repl is None:
            return None
        new = self.models[repl]
        if prefix is None and "ON_DEMAND" in new["inferenceTypesSupported"]:
            return repl
        if prefix in (new.get("profiles") or []):
            return f"{prefix}.{repl}"
        return next(f"{p}.{repl}" for p in DEFAULT_PREFIX if p in new["profiles"])

    def _sub(self, where: str, match: re.Match) -> str:
        encoded = "%3A" in match["old"]
        old = match["old"].replace("%3A", ":")
        new = self.replacement(match["prefix"], old)
        if new is None:
            self.warnings.append(f"{where}: {match[0]} has no drop-in replacement ({REPLACEMENTS[old].role})")
            return match[0]
        new = new.replace(":", "%3A") if encoded else new
        self.changes.append(f"{where}: {match[0]} -> {new}")
        return new

    def rewrite_text(self, text: str, where: str) -> str:
        lines = text.splitlines(keepends=True)
        out = []
        for number, line in enumerate(lines, 1):
            if KEEP_LINE in line:
                out.append(line)
                continue
            new = self.pattern.sub(lambda m, n=number: self._sub(f"{where}:{n}", m), line)
            out.append(new)
        return "".join(out)

    def check_sampling(self, text: str, where: str) -> None:
        """Warn where a model that refuses temperature with topP is called with both."""
        strict = [m for m, d in self.models.items() if (d.get("sampling") or {}).get("temperatureWithTopP") is False]
        if any(m in text for m in strict) and "temperature" in text and re.search(r"\btop_?[pP]\b", text):
            self.warnings.append(f"{where}: sends temperature and topP to a model that refuses both; keep one")

    def rewrite_file(self, path: Path, write: bool = True) -> bool:
        text = path.read_text(encoding="utf-8")
        if KEEP_FILE in text:
            return False
        if path.suffix == ".ipynb":
            new = self._rewrite_notebook(text, path)
        else:
            new = self.rewrite_text(text, str(path))
            if new != text:
                self.check_sampling(new, str(path))
        if new != text and write:
            path.write_text(new, encoding="utf-8")
        return new != text

    def _rewrite_notebook(self, text: str, path: Path) -> str:
        notebook = json.loads(text)
        changed = False
        for index, cell in enumerate(notebook["cells"]):
            if cell["cell_type"] != "code" or KEEP_TAG in cell.get("metadata", {}).get("tags", []):
                continue
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            new = self.rewrite_text(source, f"{path} cell {index}")
            if new != source:
                cell["source"] = new.splitlines(keepends=True)
                self.check_sampling(new, f"{path} cell {index}")
                changed = True
        if not changed:
            return text
        # nbformat's own layout (indent 1, a final newline), so the diff shows only the changed lines.
        return json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"


def _skipped(path: Path) -> bool:
    return path.resolve() == Path(__file__).resolve() or any(path.resolve().is_relative_to(d) for d in SKIPPED_DIRS)


def targets(paths: list[str]) -> list[Path]:
    found = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.suffix in SUFFIXES)
        elif path.suffix in SUFFIXES:
            found.append(path)
        else:
            raise SystemExit(f"{name}: not a .py/.js file, a notebook or a directory")
    return [p for p in found if not _skipped(p)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", help=".py files, notebooks or directories")
    parser.add_argument("--dry-run", action="store_true", help="report changes without writing them")
    parser.add_argument("--show", action="store_true", help="print the mapping and check it against the catalog")
    args = parser.parse_args(argv)
    migrator = Migrator()
    problems = verify(migrator.catalog)
    if problems:
        print("The mapping does not hold against data/catalog.json:", *problems, sep="\n  ")
        return 1
    if args.show or not args.paths:
        print(f"Replacements as of {migrator.catalog['asOf']} (every one ACTIVE and offering what the old one did):")
        for old, repl in REPLACEMENTS.items():
            print(f"  {old:45} -> {repl.model or '(by hand)':42} {repl.role}")
        return 0
    files = [p for p in targets(args.paths) if migrator.rewrite_file(p, write=not args.dry_run)]
    print(*migrator.changes, sep="\n")
    for warning in dict.fromkeys(migrator.warnings):
        print("CHECK", warning)
    verb = "would change" if args.dry_run else "changed"
    print(f"{len(migrator.changes)} id(s) {verb} in {len(files)} file(s); {len(migrator.warnings)} to check by hand.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
