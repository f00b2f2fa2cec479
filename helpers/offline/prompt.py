"""One normalised request, whatever dialect it arrived in (Converse, ConverseStream, Nova or Claude
native bodies): the model, the system prompt, the messages as Converse content blocks with media
already decoded to bytes, and the inference settings the generator honours."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from . import media, tokens


@dataclass
class Prompt:
    model: dict
    model_id: str
    region: str
    messages: list[dict]
    system: list[str] = field(default_factory=list)
    max_tokens: int | None = None
    temperature: float | None = None
    top_p: float | None = None
    top_k: int | None = None
    stop_sequences: list[str] = field(default_factory=list)
    tools: list[dict] = field(default_factory=list)
    tool_choice: dict | None = None
    streaming: bool = False

    @classmethod
    def for_model(cls, resolved, region: str, **fields) -> Prompt:
        """A Prompt for a resolved model id; a named inference profile stays the id the caller used."""
        return cls(
            model=resolved.model, model_id=resolved.profile_id or resolved.model["modelId"], region=region, **fields
        )

    def last_user_blocks(self) -> list[dict]:
        for message in reversed(self.messages):
            if message.get("role") == "user":
                return message.get("content") or []
        return []

    def last_user_text(self) -> str:
        return "\n".join(b["text"] for b in self.last_user_blocks() if "text" in b)

    def attachments(self) -> list[dict]:
        """Non-text blocks of the last user message (images, documents, videos, ...)."""
        return [b for b in self.last_user_blocks() if "text" not in b]

    @functools.cached_property
    def input_tokens(self) -> int:
        """Tokens of everything sent, by the rule documented in tokens.py (media: media.py).
        Computed once: the context-window rule and the generator both need it, and measuring a
        large attachment means hashing all of its bytes."""
        total = sum(tokens.count(text) + tokens.SYSTEM_OVERHEAD for text in self.system)
        for message in self.messages:
            total += tokens.MESSAGE_OVERHEAD
            for block in message.get("content") or []:
                total += tokens.count(block["text"]) if "text" in block else media.media_tokens(block)
        return total
