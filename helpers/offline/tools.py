"""The offline model's tool use: which tools it calls, with what input, and what it says once the
results come back. Deterministic, and documented in README ("Tool use offline"):

- `toolChoice: {tool: {name}}` calls that tool; `any` calls the best-matching tool (the first one
  defined when none matches); `auto` (or no choice) calls a tool only when the user's latest words
  match it: each word of the tool's name counts 2, each word of its description 1, each enum value
  of its input the user mentions 2; a tool scoring 2 or more is called.
- The user's request is read clause by clause ("weather in Paris and in Oslo"): a clause that
  matches a tool calls it, and a clause that only adds a new name or number repeats the previous
  call with it, so two cities make two calls in one turn.
- Input comes from the tool's JSON schema and the user's words (see tool_args.py).
- After `toolResult` blocks, the answer states what the results say; an error result is reported
  as an error.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import re

from .prompt import Prompt
from .tool_args import Words, build, resolve

THRESHOLD = 2
MAX_CALLS = 8
_CLAUSES = re.compile(r"[.?!;]\s+|\s+(?:and|also|then|plus)\s+|,\s*", re.IGNORECASE)
_IDENTIFIER = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
STOPWORDS = frozenset(
    "a an the and or of to in on at for from by with about into is are was be this that these those it its "
    "what whats which who how when where why do does can could would should please me my you your i we our "
    "get set fetch list find lookup look up use call tool function returns return given current "
    "much many some any all".split()
)


def specs(prompt: Prompt) -> list[dict]:
    """The toolSpec of every tool offered (cache points and other entries are not tools)."""
    return [entry["toolSpec"] for entry in prompt.tools if isinstance(entry, dict) and "toolSpec" in entry]


def schema_of(spec: dict) -> dict:
    schema = (spec.get("inputSchema") or {}).get("json")
    return schema if isinstance(schema, dict) else {"type": "object", "properties": {}}


def stem(word: str) -> str:
    word = word.casefold()
    return word[:5] if len(word) > 5 else word


def content_words(text: str) -> set[str]:
    return {stem(w) for w in re.findall(r"[^\W_]+", text) if w.casefold() not in STOPWORDS and len(w) > 2}


def score(spec: dict, clause: str, context: str | None = None) -> int:
    """How well a clause of the user's words matches a tool (see the module docstring)."""
    said = content_words(clause)
    name = {stem(p) for p in _IDENTIFIER.findall(spec.get("name", "")) if p.casefold() not in STOPWORDS}
    described = content_words(spec.get("description") or "") - name
    words = Words.read(clause, context)
    enums = [v for s in enum_schemas(schema_of(spec)) for v in s.get("enum", [])]
    mentioned = sum(1 for v in enums if isinstance(v, str) and words.mentions(v) is not None)
    return 2 * len(name & said) + len(described & said) + 2 * mentioned


def enum_schemas(schema: dict) -> list[dict]:
    root = schema
    properties = resolve(schema, root).get("properties") or {}
    return [s for s in (resolve(p, root) for p in properties.values()) if s.get("enum")]


def clauses(text: str) -> list[str]:
    return [part for part in _CLAUSES.split(text) if part and part.strip()]


def chosen(prompt: Prompt) -> tuple[str, str | None]:
    """The kind of tool choice (auto, any, tool) and, for `tool`, the tool's name."""
    choice = prompt.tool_choice or {"auto": {}}
    if "none" in choice:  # Claude's native tool_choice: the tools are described, never called
        return "none", None
    if "tool" in choice:
        return "tool", (choice["tool"] or {}).get("name")
    return ("any", None) if "any" in choice else ("auto", None)


def plan(prompt: Prompt) -> list[tuple[dict, str]]:
    """(tool, the words its input comes from) for each call the model makes; empty: answer in text."""
    offered = specs(prompt)
    if not offered:
        return []
    text = prompt.last_user_text()
    kind, name = chosen(prompt)
    if kind == "none":
        return []
    if kind == "tool":
        spec = next((s for s in offered if s.get("name") == name), None)
        return [(spec, text)] if spec else []
    calls = plan_clauses(offered, clauses(text), text)
    if not calls and kind == "any":
        best = max(offered, key=lambda s: score(s, text))  # max keeps the first of equal scores
        calls = [(best, text)]
    return calls[:MAX_CALLS]


def plan_clauses(offered: list[dict], parts: list[str], text: str) -> list[tuple[dict, str]]:
    calls: list[tuple[dict, str]] = []
    for part in parts:
        best = max(offered, key=lambda s: score(s, part, text))
        words = Words.read(part, text)
        if score(best, part, text) >= THRESHOLD:
            calls.append((best, part))
        elif calls and (words.proper or words.numbers):
            calls.append((calls[-1][0], part))  # "... in Paris and in Oslo": the same tool again
    return calls


def tool_use_id(prompt: Prompt, index: int) -> str:
    """`tooluse_` and 22 URL-safe characters, the same for the same request."""
    seed = json.dumps([prompt.model_id, prompt.messages, prompt.tools, index], default=str, sort_keys=True)
    digest = hashlib.sha256(seed.encode()).digest()
    return "tooluse_" + base64.urlsafe_b64encode(digest).decode()[:22]


def calls(prompt: Prompt) -> list[dict]:
    """The toolUse blocks of the model's answer."""
    blocks, text = [], prompt.last_user_text()
    for index, (spec, clause) in enumerate(plan(prompt)):
        tool_input = build(copy.deepcopy(schema_of(spec)), Words.read(clause, text))
        tool_input = tool_input if isinstance(tool_input, dict) else {}
        blocks.append({"toolUse": {"toolUseId": tool_use_id(prompt, index), "name": spec["name"], "input": tool_input}})
    return blocks


# ---- answering from results ------------------------------------------------------------------------
def results(prompt: Prompt) -> list[dict]:
    return [b["toolResult"] for b in prompt.last_user_blocks() if "toolResult" in b]


def requested(prompt: Prompt) -> dict[str, dict]:
    """toolUseId -> toolUse of the assistant turn the results answer."""
    for message in reversed(prompt.messages[:-1]):
        if message.get("role") == "assistant":
            return {b["toolUse"].get("toolUseId"): b["toolUse"] for b in message.get("content") or [] if "toolUse" in b}
    return {}


def said_by(result: dict) -> str:
    """What a result says: the values of its JSON, the text of its text blocks."""
    parts = []
    for block in result.get("content") or []:
        if "json" in block:
            parts.append(facts(block["json"]))
        elif "text" in block:
            parts.append(" ".join(str(block["text"]).split()))
        elif block:
            parts.append(f"a {next(iter(block))} block")
    return "; ".join(p for p in parts if p) or "nothing"


def facts(value) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{key.replace('_', ' ')} {facts(item)}" for key, item in value.items())
    if isinstance(value, list):
        return ", ".join(facts(item) for item in value)
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else str(value)


def answer(prompt: Prompt) -> str | None:
    """The final answer once the user has returned tool results, or None when there are none."""
    found = results(prompt)
    if not found:
        return None
    uses = requested(prompt)
    lines = []
    for result in found:
        use = uses.get(result.get("toolUseId"), {})
        name = use.get("name", "the tool")
        about = ", ".join(f"{k} {facts(v)}" for k, v in (use.get("input") or {}).items())
        subject = f"{name} ({about})" if about else name
        if result.get("status") == "error":
            lines.append(f"{subject} reported an error: {said_by(result)}. I could not get that information.")
        else:
            lines.append(f"{subject} returned: {said_by(result)}.")
    opening = "Here is what the tool returned." if len(lines) == 1 else "Here is what the tools returned."
    return "\n".join([opening, *lines])
