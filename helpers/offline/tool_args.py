"""Arguments for a tool call, built from the tool's JSON schema and the user's own words.

The offline model cannot understand a request, but it can read one: the numbers the user wrote,
phrases in quotes, capitalised names (places, people), and the enum values a property allows when
the user mentions them (by value, or by a common name from data/tool-aliases.json: "yen" is JPY).
Each property takes the first unused fitting word, or else the schema's default, its first enum
value, or a placeholder of the right type. The result always validates against the schema for the
keywords this builder knows (types, required, enums, const, bounds, lengths, item counts, $ref,
anyOf/oneOf/allOf); a `pattern` is honoured only when the user's words happen to match it.
"""

from __future__ import annotations

import functools
import json
import math
import re
from dataclasses import dataclass, field

from ..paths import DATA

PLACE_HINTS = ("city", "location", "place", "country", "destination", "town", "region", "address", "origin", "airport")
NAME_HINTS = ("name", "person", "author", "recipient", "customer", "user", "title")
CODE_HINTS = ("code", "sign", "symbol", "ticker", "sku", "iata", "identifier")
TEXT_HINTS = ("query", "question", "text", "prompt", "search", "message", "topic", "keyword", "content", "input")
TARGET_HINTS = ("to", "target", "into", "destination", "output")
TARGET_WORDS = {"to", "in", "into"}
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
_NUMBER = re.compile(r"(?<![\w.])-?\d+(?:,\d{3})*(?:\.\d+)?(?![\w])")
_QUOTED = re.compile(r"[\"“”']([^\"“”']{2,}?)[\"“”']")
_PROPER = re.compile(r"\b[A-Z][a-zà-ÿ]+(?:\s+[A-Z][a-zà-ÿ]+)*")
_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
_CODE = re.compile(r"\b(?=[A-Z0-9]*[A-Z])[A-Z0-9]{2,8}\b")  # WZPZ, AAPL, A320: codes people type in capitals
PLACEHOLDERS = {
    "date": "2025-01-01",
    "date-time": "2025-01-01T00:00:00Z",
    "email": "user@example.com",
    "uri": "https://example.com",
}


@functools.cache
def aliases() -> dict[str, tuple[str, ...]]:
    """Enum value (upper case) -> the everyday words people use for it."""
    with open(DATA / "tool-aliases.json", encoding="utf-8") as handle:
        table = json.load(handle)["aliases"]
    return {value.upper(): tuple(word.casefold() for word in words) for value, words in table.items()}


@dataclass
class Words:
    """What the user's latest turn offers to fill arguments with; each word is used once."""

    text: str
    numbers: list[int | float] = field(default_factory=list)
    quoted: list[str] = field(default_factory=list)
    proper: list[str] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    tokens: list[str] = field(default_factory=list)  # casefolded words, in order

    @classmethod
    def read(cls, text: str, context: str | None = None) -> Words:
        """The words of `text`; names are recognised in `context`, the whole message `text` is part of
        (a clause may begin with a name that a sentence would not)."""
        numbers = [float(n.replace(",", "")) for n in _NUMBER.findall(text)]
        names = [n for n in proper_names(context) if n in text] if context else proper_names(text)
        return cls(
            text=text,
            numbers=[int(n) if n.is_integer() else n for n in numbers],
            quoted=_QUOTED.findall(text),
            proper=names,
            dates=_DATE.findall(text),
            codes=_CODE.findall(text),
            tokens=[w.casefold() for w in _WORD.findall(text)],
        )

    def mentions(self, value) -> int | None:
        """Where the user mentions an enum value (by itself or an alias), as a word position."""
        names = {str(value).casefold(), *aliases().get(str(value).upper(), ())}
        for position, token in enumerate(self.tokens):
            if token in names or (len(token) > 3 and token.rstrip("s") in names):
                return position
        return None


def proper_names(text: str) -> list[str]:
    """Capitalised phrases that do not merely open a sentence (and are not the pronoun I)."""
    found = []
    for match in _PROPER.finditer(text):
        before = text[: match.start()].rstrip()
        phrase = match.group()
        if not before or before[-1] in ".?!:\n":
            phrase = phrase.partition(" ")[2]  # "What is ..." / "Paris is ...": drop the opening word
            if not phrase:
                continue
        if phrase not in found and phrase != "I":
            found.append(phrase)
    return found


# ---- schema navigation ------------------------------------------------------------------------------
def resolve(schema, root: dict) -> dict:
    """Follow local `$ref`s (#/$defs/X, #/definitions/X) and merge `allOf`; pick the first non-null
    alternative of anyOf/oneOf."""
    if not isinstance(schema, dict):
        return {}
    seen = 0
    while "$ref" in schema and seen < 32:
        target: object = root
        for part in str(schema["$ref"]).lstrip("#/").split("/"):
            target = target.get(part, {}) if isinstance(target, dict) and part else target
        schema, seen = {**{k: v for k, v in schema.items() if k != "$ref"}, **(target or {})}, seen + 1
    for key in ("anyOf", "oneOf"):
        options = [resolve(o, root) for o in schema.get(key) or []]
        usable = [o for o in options if kind_of(o) != "null"]
        if usable:
            schema = {**{k: v for k, v in schema.items() if k != key}, **usable[0]}
    for part in schema.get("allOf") or []:
        part = resolve(part, root)
        merged = {**schema.get("properties", {}), **part.get("properties", {})}
        required = [*schema.get("required", []), *part.get("required", [])]
        schema = {**schema, **part, "properties": merged, "required": required}
    return {k: v for k, v in schema.items() if k != "allOf"}


def kind_of(schema: dict) -> str:
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind:
        return kind
    if "properties" in schema:
        return "object"
    if "items" in schema:
        return "array"
    if "enum" in schema and schema["enum"]:
        return {bool: "boolean", int: "integer", float: "number", str: "string"}.get(type(schema["enum"][0]), "string")
    return "string"


def hint(name: str, schema: dict) -> str:
    return f"{name} {schema.get('description', '')} {schema.get('title', '')}".casefold().replace("_", " ")


def hinted(text: str, words: tuple[str, ...]) -> bool:
    return any(re.search(rf"\b{w}", text) for w in words)


# ---- values ---------------------------------------------------------------------------------------------
def build(schema: dict, words: Words, name: str = "", root: dict | None = None):
    """A value for `schema`, taken from the user's words where the schema lets it."""
    root = schema if root is None else root
    schema = resolve(schema, root)
    if "const" in schema:
        return schema["const"]
    if schema.get("enum"):
        return choose_enum(schema["enum"], words, hint(name, schema), default=schema.get("default"))
    kind = kind_of(schema)
    if kind in ("number", "integer"):
        return build_number(schema, words, kind)
    if kind == "boolean":
        return build_boolean(schema)
    if kind == "object":
        return build_object(schema, words, name, root)
    if kind == "array":
        return build_array(schema, words, name, root)
    return None if kind == "null" else build_string(schema, words, name, root)


def choose_enum(options: list, words: Words, about: str, default=None):
    mentioned = [(words.mentions(o), o) for o in options]
    mentioned = sorted((p, o) for p, o in mentioned if p is not None)
    if mentioned:
        if hinted(about, TARGET_HINTS):  # "250 dollars in yen": the target follows to/in/into
            after = [o for p, o in mentioned if p > 0 and words.tokens[p - 1] in TARGET_WORDS]
            return after[0] if after else mentioned[-1][1]
        return mentioned[0][1]
    return default if default in options else options[0]


def build_object(schema: dict, words: Words, name: str, root: dict) -> dict:
    properties = schema.get("properties") or {}
    required = [p for p in schema.get("required") or [] if p in properties]
    value = {p: build(properties[p], words, p, root) for p in required}
    for prop, sub in properties.items():  # optional members only when the user's words supply them
        if prop not in value and grounded(resolve(sub, root), words, prop):
            value[prop] = build(sub, words, prop, root)
    for prop in list(properties)[: max(0, (schema.get("minProperties") or 0) - len(value))]:
        value.setdefault(prop, build(properties[prop], words, prop, root))
    return value


def grounded(schema: dict, words: Words, name: str) -> bool:
    """Whether the user's words hold a value for this optional property."""
    if schema.get("enum"):
        return any(words.mentions(o) is not None for o in schema["enum"])
    kind = kind_of(schema)
    if kind in ("number", "integer"):
        return bool(words.numbers)
    if kind == "string":
        about = hint(name, schema)
        if hinted(about, PLACE_HINTS + NAME_HINTS):
            return bool(words.proper)
        return schema.get("format") == "date" and bool(words.dates)
    return False


def build_array(schema: dict, words: Words, name: str, root: dict) -> list:
    items = resolve(schema.get("items") or {}, root)
    low, high = schema.get("minItems") or 0, schema.get("maxItems")
    if items.get("enum"):
        values = [o for o in items["enum"] if words.mentions(o) is not None]
    elif names_fit(items) and hinted(hint(name, schema) + hint("", items), PLACE_HINTS + NAME_HINTS):
        values = [fit_length(proper, items) for proper in words.proper]
    else:
        values = [build(items, words, name, root) for _ in range(max(low, 1))]
    while len(values) < low:
        values.append(build(items, words, name, root))
    if schema.get("uniqueItems"):
        values = distinct(values, items, low)
    return values[:high] if high is not None else values


def distinct(values: list, items: dict, low: int) -> list:
    """`values` without repeats, topped up to `low` with other values the item schema admits."""
    unique = [v for i, v in enumerate(values) if v not in values[:i]]
    kind = kind_of(items)
    if items.get("enum"):
        spare = list(items["enum"])
    elif kind in ("number", "integer"):
        base = next((v for v in unique if isinstance(v, (int, float))), 1)
        spare = [c for c in (base + step for step in range(1, 200)) if admits_number(items, c, kind)]
    elif kind == "string" and not items.get("format"):
        base = unique[0] if unique and isinstance(unique[0], str) else "item"
        room = items.get("maxLength")
        spare = [
            fit_length(base[: None if room is None else max(0, room - len(str(n)))] + str(n), items)
            for n in range(2, 200)
        ]
    elif kind == "boolean":
        spare = [False, True]
    else:
        spare = []
    for candidate in spare:
        if len(unique) >= low:
            break
        if candidate not in unique:
            unique.append(candidate)
    return unique


def names_fit(items: dict) -> bool:
    """Whether a list of the user's names can be the items as they are (plain strings, no fixed values)."""
    return kind_of(items) == "string" and not {"const", "enum", "pattern", "format"} & items.keys()


def build_number(schema: dict, words: Words, kind: str):
    """The user's next number if the schema admits it, else the default, else a value inside the bounds."""
    offered = [words.numbers.pop(0)] if words.numbers else []
    for candidate in [*offered, schema.get("default"), *number_candidates(schema)]:
        if admits_number(schema, candidate, kind):
            return int(candidate) if kind == "integer" else candidate
    return int(schema.get("minimum", 0)) if kind == "integer" else schema.get("minimum", 0)


def number_candidates(schema: dict) -> list:
    low = schema.get("minimum", schema.get("exclusiveMinimum"))
    high = schema.get("maximum", schema.get("exclusiveMaximum"))
    found = [1, 0]
    for bound in (low, high):
        if isinstance(bound, (int, float)) and not isinstance(bound, bool):
            found += [bound, math.floor(bound) + 1, math.ceil(bound) - 1]
    if isinstance(low, (int, float)) and isinstance(high, (int, float)):
        found += [(low + high) / 2, math.floor((low + high) / 2), math.ceil((low + high) / 2)]
    step = schema.get("multipleOf")
    if isinstance(step, (int, float)) and step > 0:
        found = [math.ceil(c / step) * step for c in found] + found
    return found


def admits_number(schema: dict, value, kind: str) -> bool:
    if value is None or isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    if kind == "integer" and not float(value).is_integer():
        return False
    checks = [
        ("minimum", lambda b: value >= b),
        ("maximum", lambda b: value <= b),
        ("exclusiveMinimum", lambda b: value > b),
        ("exclusiveMaximum", lambda b: value < b),
    ]
    for key, holds in checks:
        bound = schema.get(key)
        if isinstance(bound, (int, float)) and not isinstance(bound, bool) and not holds(bound):
            return False
    step = schema.get("multipleOf")
    return not (isinstance(step, (int, float)) and step > 0 and abs(value / step - round(value / step)) > 1e-9)


def build_boolean(schema: dict) -> bool:
    default = schema.get("default")
    return default if isinstance(default, bool) else False


def build_string(schema: dict, words: Words, name: str, root: dict) -> str:
    about = hint(name, schema)
    fmt = schema.get("format")
    if fmt in ("date", "date-time") and words.dates:
        value = words.dates.pop(0) + ("T00:00:00Z" if fmt == "date-time" else "")
    elif fmt in PLACEHOLDERS:
        value = PLACEHOLDERS[fmt]
    elif (example_shaped := shaped_like_examples(schema, words)) is not None:
        value = example_shaped
        words.codes.remove(value)
    elif hinted(about, CODE_HINTS) and words.codes:
        value = words.codes.pop(0)
    elif hinted(about, PLACE_HINTS + NAME_HINTS) and (words.proper or words.quoted):
        value = (words.proper or words.quoted).pop(0)
    elif words.quoted:
        value = words.quoted.pop(0)
    elif hinted(about, TEXT_HINTS) and words.text.strip():
        value = " ".join(words.text.split())
    else:
        default = schema.get("default")
        value = default if isinstance(default, str) else placeholder(name)
    return fit_pattern(fit_length(value, schema), schema, words)


def fit_pattern(value: str, schema: dict, words: Words) -> str:
    """A value the schema's pattern accepts: this one, or a word of the user's that matches."""
    pattern = schema.get("pattern")
    try:
        compiled = re.compile(pattern) if pattern else None
    except re.error:
        return value
    if compiled is None or compiled.search(value):
        return value
    for word in [*words.quoted, *words.proper, *_WORD.findall(words.text)]:
        if compiled.search(word) and word == fit_length(word, schema):
            return word
    return value


def shape(token: str) -> str:
    return re.sub(r"[a-z]", "a", re.sub(r"[A-Z]", "A", re.sub(r"[0-9]", "9", token)))


def shaped_like_examples(schema: dict, words: Words) -> str | None:
    """A code the user typed that looks like the examples the description gives ("Example call signs
    are WZPZ and WKRP": the user's WXYZ fits), or None."""
    examples = _CODE.findall(str(schema.get("description", "")))
    shapes = {shape(example) for example in examples}
    return next((code for code in words.codes if shape(code) in shapes), None) if shapes else None


def placeholder(name: str) -> str:
    return name.replace("_", " ").strip() or "example"


def fit_length(value: str, schema: dict) -> str:
    low, high = schema.get("minLength") or 0, schema.get("maxLength")
    if len(value) < low:
        value = value + "x" * (low - len(value))
    return value[:high] if high is not None else value
