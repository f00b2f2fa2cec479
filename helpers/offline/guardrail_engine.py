"""The offline guardrail: one evaluation of text against a guardrail version, for input or output.

Real where it can be, honest where it cannot (README, "Guardrails offline"):
- Words: custom words and phrases match whole words, case-insensitively; the managed profanity list is
  a small sample in data/guardrail-lexicon.json, not Bedrock's list.
- Sensitive information: the PII types guardrail_pii.py detects by pattern, plus the guardrail's own
  regexes; BLOCK blocks, ANONYMIZE writes `{TYPE}` (or `{regex name}`) in place, NONE only reports.
- Denied topics: a topic matches when the text contains one of its examples or its name, or at least
  TOPIC_THRESHOLD distinct keywords of its definition and examples (words of 3+ letters, not stop words).
- Content filters: the lexicon in data/guardrail-lexicon.json gives each phrase a confidence; a filter
  blocks what its strength reaches. Prompt attacks are looked for in input only, in content tagged as
  user input (guardContent in Converse; every INPUT block of ApplyGuardrail).
- Contextual grounding (output only): grounding = share of the answer's keywords found in the
  grounding source, relevance = share of the query's keywords found in the answer; below the
  threshold blocks. Live Bedrock scores both with a model; these scores only point the same way.
"""

from __future__ import annotations

import functools
import json
import math
import re
from dataclasses import dataclass, field

from ..paths import DATA
from . import guardrail_pii

INPUT, OUTPUT = "INPUT", "OUTPUT"
TOPIC_THRESHOLD = 2
REACHES = {"NONE": (), "LOW": ("HIGH",), "MEDIUM": ("MEDIUM", "HIGH"), "HIGH": ("LOW", "MEDIUM", "HIGH")}
STOP_WORDS = frozenset(
    "the and for you are can how was who why its his her him our out all any not but has had she one get got "
    "about above after again against also because been before being between both could does doing during each "
    "from have having into just more most only other over same should some such than that their them then there "
    "these they this those through under until very were what when where which while with would your yours".split()
)
UNIT_CHARACTERS = 1000  # one text unit of guardrail usage


@functools.cache
def lexicon() -> dict:
    return json.loads((DATA / "guardrail-lexicon.json").read_text(encoding="utf-8"))


@functools.cache
def _phrase(text: str) -> re.Pattern:
    """A word or phrase as a whole-word, case-insensitive pattern (any whitespace between words)."""
    words = [re.escape(w) for w in text.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)


def keywords(text: str) -> set[str]:
    """Content words: 3+ letters, lower case, not stop words, a plural 's' dropped."""
    words = {w.lower() for w in re.findall(r"[A-Za-z]{3,}", text)}
    return {w[:-1] if w.endswith("s") and len(w) > 4 else w for w in words} - STOP_WORDS


@dataclass
class Block:
    """One piece of guarded text and its qualifiers (grounding_source, query, guard_content)."""

    text: str
    qualifiers: tuple[str, ...] = ()


@dataclass
class Verdict:
    assessment: dict
    blocked: bool
    anonymized: bool
    outputs: list[str]  # each block's text, masked where ANONYMIZE applied
    usage: dict
    characters: int
    reasons: list[str] = field(default_factory=list)

    @property
    def intervened(self) -> bool:
        return self.blocked or self.anonymized


def _enabled(entry: dict, source: str) -> tuple[bool, str]:
    side = "input" if source == INPUT else "output"
    return entry.get(f"{side}Enabled", True), entry.get(f"{side}Action", entry.get("action", "BLOCK"))


def _verb(action: str) -> str:
    return {"BLOCK": "BLOCKED", "ANONYMIZE": "ANONYMIZED"}.get(action, "NONE")


def words(policy: dict, texts: list[str], source: str) -> dict | None:
    custom, managed = [], []
    for entry in policy.get("words") or []:
        on, action = _enabled(entry, source)
        if on and any(_phrase(entry["text"]).search(t) for t in texts):
            custom.append({"match": entry["text"], "action": _verb(action), "detected": True})
    for entry in policy.get("managedWordLists") or []:
        on, action = _enabled(entry, source)
        for word in lexicon()["PROFANITY"] if on else ():
            for text in texts:
                found = _phrase(word).search(text)
                if found:
                    managed.append(
                        {"match": found.group(0), "type": entry["type"], "action": _verb(action), "detected": True}
                    )
                    break
    return {"customWords": custom, "managedWordLists": managed} if custom or managed else None


def sensitive(policy: dict, texts: list[str], source: str) -> tuple[dict | None, list[str]]:
    """Findings and each text with ANONYMIZE masks written in, right to left so offsets hold."""
    entities, regexes, spans = [], [], [[] for _ in texts]
    for entry in policy.get("piiEntities") or []:
        on, action = _enabled(entry, source)
        for index, text in enumerate(texts if on else ()):
            for start, end, value in guardrail_pii.find(entry["type"], text):
                entities.append({"match": value, "type": entry["type"], "action": _verb(action), "detected": True})
                spans[index].append((start, end, "{" + entry["type"] + "}", action))
    for entry in policy.get("regexes") or []:
        on, action = _enabled(entry, source)
        for index, text in enumerate(texts if on else ()):
            for found in re.finditer(entry["pattern"], text):
                regexes.append(
                    {
                        "name": entry["name"],
                        "match": found.group(0),
                        "regex": entry["pattern"],
                        "action": _verb(action),
                        "detected": True,
                    }
                )
                spans[index].append((found.start(), found.end(), "{" + entry["name"] + "}", action))
    masked = [_mask(text, found) for text, found in zip(texts, spans)]
    findings = {"piiEntities": entities, "regexes": regexes} if entities or regexes else None
    return findings, masked


def _mask(text: str, spans: list[tuple[int, int, str, str]]) -> str:
    taken_until = len(text) + 1
    for start, end, mask, action in sorted(spans, reverse=True):
        if action == "ANONYMIZE" and end <= taken_until:
            text = text[:start] + mask + text[end:]
            taken_until = start
    return text


def topics(policy: dict, texts: list[str], source: str) -> dict | None:
    found = []
    joined = "\n".join(texts)
    seen = keywords(joined)
    for topic in policy.get("topics") or []:
        on, action = _enabled(topic, source)
        phrases = [topic["name"], *(topic.get("examples") or [])]
        described = keywords(" ".join([topic["definition"], *(topic.get("examples") or [])]))
        hit = any(_phrase(p).search(joined) for p in phrases) or len(described & seen) >= TOPIC_THRESHOLD
        if on and hit:
            found.append({"name": topic["name"], "type": "DENY", "action": _verb(action), "detected": True})
    return {"topics": found} if found else None


def content(policy: dict, blocks: list[Block], source: str, full: bool) -> dict | None:
    found = []
    for entry in policy.get("filters") or []:
        on, action = _enabled(entry, source)
        strength = entry["inputStrength" if source == INPUT else "outputStrength"]
        scanned = _scanned(entry["type"], blocks, source)
        confidence = _confidence(entry["type"], scanned) if on else "NONE"
        hit = confidence in REACHES[strength]
        if hit or (full and on):
            row = {"type": entry["type"], "confidence": confidence, "filterStrength": strength}
            row.update(action=_verb(action) if hit else "NONE", detected=hit)
            found.append(row)
    return {"filters": found} if found else None


def _scanned(kind: str, blocks: list[Block], source: str) -> list[str]:
    if kind != "PROMPT_ATTACK":
        return [b.text for b in blocks]
    return [b.text for b in blocks if source == INPUT and "guard_content" in b.qualifiers]


def _confidence(kind: str, texts: list[str]) -> str:
    levels = lexicon()["content"].get(kind, {})
    for level in ("HIGH", "MEDIUM", "LOW"):
        if any(_phrase(p).search(t) for p in levels.get(level, ()) for t in texts):
            return level
    return "NONE"


def grounding(policy: dict, blocks: list[Block], source: str) -> dict | None:
    sources = " ".join(b.text for b in blocks if "grounding_source" in b.qualifiers)
    query = " ".join(b.text for b in blocks if "query" in b.qualifiers)
    answer = " ".join(b.text for b in blocks if not {"grounding_source", "query"} & set(b.qualifiers))
    if source != OUTPUT or not sources or not answer:
        return None
    said = keywords(answer)
    scores = {
        "GROUNDING": len(said & keywords(sources)) / len(said) if said else 1.0,
        "RELEVANCE": len(keywords(query) & said) / len(keywords(query)) if keywords(query) else 1.0,
    }
    found = []
    for entry in policy.get("filters") or []:
        if not entry.get("enabled", True) or (entry["type"] == "RELEVANCE" and not query):
            continue
        score = round(scores[entry["type"]], 2)
        hit = score < entry["threshold"]
        found.append(
            {
                "type": entry["type"],
                "threshold": entry["threshold"],
                "score": score,
                "action": ("BLOCKED" if entry.get("action", "BLOCK") == "BLOCK" else "NONE") if hit else "NONE",
                "detected": hit,
            }
        )
    return {"filters": found} if found else None


def usage(guardrail: dict, characters: int) -> dict:
    """Text units (1,000 characters each, at least one) for each policy the guardrail has."""
    units = max(1, math.ceil(characters / UNIT_CHARACTERS)) if characters else 0
    pii = bool((guardrail.get("sensitiveInformationPolicy") or {}).get("piiEntities"))
    regex_only = "sensitiveInformationPolicy" in guardrail and not pii
    return {
        "topicPolicyUnits": units if "topicPolicy" in guardrail else 0,
        "contentPolicyUnits": units if "contentPolicy" in guardrail else 0,
        "wordPolicyUnits": units if "wordPolicy" in guardrail else 0,
        "sensitiveInformationPolicyUnits": units if pii else 0,
        "sensitiveInformationPolicyFreeUnits": units if regex_only else 0,
        "contextualGroundingPolicyUnits": units if "contextualGroundingPolicy" in guardrail else 0,
    }


def evaluate(guardrail: dict, blocks: list[Block], source: str, full: bool = False) -> Verdict:
    """Assess `blocks` against one guardrail version (GetGuardrail's shape), as input or output."""
    texts = [b.text for b in blocks if not {"grounding_source", "query"} & set(b.qualifiers)]
    assessment = {}
    checks = (
        ("topicPolicy", lambda p: topics(p, texts, source)),
        ("contentPolicy", lambda p: content(p, blocks, source, full)),
        ("wordPolicy", lambda p: words(p, texts, source)),
        ("contextualGroundingPolicy", lambda p: grounding(p, blocks, source)),
    )
    for name, check in checks:
        if name in guardrail:
            result = check(guardrail[name])
            if result:
                assessment[name] = result
    masked = [b.text for b in blocks]
    if "sensitiveInformationPolicy" in guardrail:
        findings, masked_texts = sensitive(guardrail["sensitiveInformationPolicy"], [b.text for b in blocks], source)
        if findings:
            assessment["sensitiveInformationPolicy"] = findings
            masked = masked_texts
    actions = [row["action"] for policy in assessment.values() for rows in policy.values() for row in rows]
    characters = sum(len(b.text) for b in blocks)
    spent = usage(guardrail, characters)
    assessment["invocationMetrics"] = {
        "guardrailProcessingLatency": 50 + characters // 100,
        "usage": spent,
        "guardrailCoverage": {"textCharacters": {"guarded": characters, "total": characters}},
    }
    reasons = sorted({name for name, policy in assessment.items() if name != "invocationMetrics"})
    return Verdict(assessment, "BLOCKED" in actions, "ANONYMIZED" in actions, masked, spent, characters, reasons)
