"""The deterministic offline model: one Prompt in, one Generation out.

Every dialect renders the same Generation (Converse JSON, ConverseStream events, Nova or Claude
native bodies and stream chunks), so the emulator has exactly one notion of what the model said.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import media, replies, tokens
from .prompt import Prompt


@dataclass
class Generation:
    text: str
    stop_reason: str
    input_tokens: int
    output_tokens: int
    first_token_ms: int
    latency_ms: int
    stop_sequence: str | None = None
    pieces: list[str] = field(default_factory=list)

    @property
    def content(self) -> list[dict]:
        return [{"text": self.text}]

    @property
    def total_tokens(self) -> int:
        return self.input_tokens + self.output_tokens


def fallback_reply(prompt: Prompt) -> str:
    """An honest answer for prompts without a scripted reply: say what this is and what arrived."""
    said = " ".join(prompt.last_user_text().split())
    if len(said) > 160:
        said = said[:157] + "..."
    parts = [
        f"This is the workbook's offline model standing in for {prompt.model['modelName']}, "
        "so this is a description of your request rather than a real answer.",
        f"I received {len(prompt.messages)} message{'s' if len(prompt.messages) != 1 else ''}"
        + (" and a system prompt." if prompt.system else " and no system prompt."),
    ]
    if said:
        parts.append(f'Your last message says: "{said}"')
    seen = [media.describe(block) for block in prompt.attachments()]
    if seen:
        parts.append("It also contains " + "; ".join(seen) + ".")
    parts.append("Run with BEDROCK_MODE=live to get an answer from the real model.")
    return " ".join(parts)


def generate(prompt: Prompt) -> Generation:
    text = replies.find(prompt) or fallback_reply(prompt)
    stop_reason, matched = "end_turn", None
    cut = [(text.find(s), s) for s in prompt.stop_sequences if s and s in text]
    if cut:
        index, matched = min(cut)
        text, stop_reason = text[:index], "stop_sequence"
    pieces = tokens.pieces(text)
    limit = prompt.max_tokens or prompt.model["maxOutputTokens"]
    out = tokens.count(text)
    if out > limit:
        kept, seen = [], 0
        for piece in pieces:
            if piece.strip():
                if seen == limit:
                    break
                seen += 1
            kept.append(piece)
        pieces, text, stop_reason, matched, out = kept, "".join(kept), "max_tokens", None, limit
    inp = prompt.input_tokens
    speed = prompt.model.get("latency", {"firstTokenMs": 300, "msPerOutputToken": 10})
    first = speed["firstTokenMs"] + inp // 40
    return Generation(
        text=text,
        stop_reason=stop_reason,
        input_tokens=inp,
        output_tokens=out,
        first_token_ms=first,
        latency_ms=first + speed["msPerOutputToken"] * out,
        stop_sequence=matched,
        pieces=pieces,
    )
