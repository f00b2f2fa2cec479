"""migrate_models: keep-file (the scanner is tested on retired ids on purpose). The notebooks teach with models that are ACTIVE on the catalog's day (issue 12, section 4).

Every model-id string literal in a notebook code cell is resolved against data/catalog.json on its
`asOf` day. At least 80% must name an ACTIVE model; the rest deliberately show retirement (a seed's
call kept to show today's error). `python data/migrate_models.py notebooks/NN_x.ipynb` moves a
notebook's ids; tag a seed's cell `keep-model-ids` to keep it.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import tokenize
from pathlib import Path

from helpers.offline.catalog import Catalog
from helpers.offline.lifecycle import ACTIVE, status

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))
MIN_ACTIVE = 0.8


def _id_pattern(catalog: Catalog) -> re.Pattern:
    prefixes = "|".join(map(re.escape, catalog.geographies))
    providers = "|".join(sorted({m.split(".", 1)[0] for m in catalog.models}))
    return re.compile(rf"(?<![\w.-])(?:(?:{prefixes})\.)?(?:{providers})\.[a-z0-9][\w.:-]*[\w]")


def string_literals(source: str) -> list[str]:
    """String tokens of a code cell (IPython magics and shell lines are skipped)."""
    code = "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines())
    try:
        return [t.string for t in tokenize.generate_tokens(io.StringIO(code).readline) if t.type == tokenize.STRING]
    except (tokenize.TokenError, SyntaxError):
        return [code]  # an unfinished cell: scan it whole


def model_literals(path: Path, catalog: Catalog) -> list[str]:
    pattern = _id_pattern(catalog)
    found = []
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] == "code":
            for literal in string_literals("".join(cell["source"])):
                found += pattern.findall(literal)
    return found


def state(model_id: str, catalog: Catalog, day: dt.date) -> str:
    """ACTIVE, LEGACY, EOL, UNLAUNCHED, or UNKNOWN for an id the catalog does not hold."""
    base = model_id.rsplit("/", 1)[-1]
    prefix, _, rest = base.partition(".")
    if prefix in catalog.geographies and rest in catalog.models:
        base = rest
    model = catalog.models.get(base)
    return status(model, day) if model else "UNKNOWN"


def test_model_literal_scanner_finds_ids_in_strings_only():
    catalog = Catalog.load()
    source = (
        "# anthropic.claude-v2:1 in a comment is not a call\n"
        'client.converse(modelId="global.anthropic.claude-sonnet-4-6", messages=m)\n'
        "arn = f'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0'\n"
        "client.meta.region_name\n"
    )
    ids = [i for s in string_literals(source) for i in _id_pattern(catalog).findall(s)]
    assert ids == ["global.anthropic.claude-sonnet-4-6", "anthropic.claude-3-haiku-20240307-v1:0"]
    day = dt.date.fromisoformat(catalog.as_of)
    assert [state(i, catalog, day) for i in ids] == [ACTIVE, "EOL"]


def test_notebooks_teach_with_active_models():
    catalog = Catalog.load()
    day = dt.date.fromisoformat(catalog.as_of)
    assert NOTEBOOKS, "no notebooks found"
    total, active, offending = 0, 0, {}
    for path in NOTEBOOKS:
        for model_id in model_literals(path, catalog):
            total += 1
            found = state(model_id, catalog, day)
            if found == ACTIVE:
                active += 1
            else:
                offending.setdefault(path.name, []).append(f"{model_id} ({found})")
    assert total, "no model ids found in the notebooks' code cells"
    report = "\n".join(f"  {name}: {', '.join(ids)}" for name, ids in sorted(offending.items()))
    assert active / total >= MIN_ACTIVE, (
        f"{active} of {total} model-id literals ({active / total:.0%}) name a model ACTIVE on {day}; "
        f"at least {MIN_ACTIVE:.0%} must. Not ACTIVE, by notebook:\n{report}\n"
        "Move them with: python data/migrate_models.py <notebook> (tag a seed's cell keep-model-ids to keep it)."
    )
