"""The Invoke API with model-native bodies: Amazon Nova (`messages-v1`) and Anthropic Claude
(`bedrock-2023-05-31`), built from the same Converse-style messages the rest of the workbook uses.

    body = nova_body(messages, system="Be brief.", max_tokens=500)
    answer = invoke(client, "us.amazon.nova-lite-v1:0", body)     # the native response dict
    message = to_message(answer)                                  # back to a Converse message

Streams: `chunks(response)` decodes each `chunk.bytes`; `chunk_text(chunk)` reads the text of any
dialect; `collect(response)` rebuilds the native response a non-streamed call would have returned, with
the ConverseStream collector of `helpers.streaming` doing the folding for every dialect.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable, Iterator

from .streaming import EVENTS, Collector, StreamInterrupted, StreamTimer, UnknownEvent, drain, guarded

NOVA_SCHEMA = "messages-v1"
ANTHROPIC_VERSION = "bedrock-2023-05-31"
IMAGE_MEDIA_TYPES = {"png": "image/png", "jpeg": "image/jpeg", "gif": "image/gif", "webp": "image/webp"}


def _b64(data) -> str:
    return data if isinstance(data, str) else base64.b64encode(data).decode("ascii")


def _system_list(system) -> list[str]:
    if system is None:
        return []
    if isinstance(system, str):
        return [system]
    return [block["text"] if isinstance(block, dict) else str(block) for block in system]


def _converse_only(kind: str, dialect: str) -> ValueError:
    return ValueError(f"{kind} blocks are not part of the {dialect} Invoke body; send them with Converse instead.")


# ---- Converse messages -> native bodies ------------------------------------------------------------
def _nova_block(block: dict) -> dict:
    kind = next(iter(block))
    if kind in ("image", "video"):
        source = dict(block[kind]["source"])
        if "bytes" in source:
            source["bytes"] = _b64(source["bytes"])
        return {kind: {**block[kind], "source": source}}
    if kind == "document":
        raise _converse_only("document", "Amazon Nova")
    return block


def nova_body(
    messages: list[dict],
    system=None,
    max_tokens: int | None = None,
    temperature: float | None = None,
    top_p: float | None = None,
    top_k: int | None = None,
    stop_sequences: list[str] | None = None,
) -> dict:
    """A Nova `messages-v1` body; image/video bytes become base64 strings, settings go in inferenceConfig."""
    config = {
        "maxTokens": max_tokens,
        "temperature": temperature,
        "topP": top_p,
        "topK": top_k,
        "stopSequences": stop_sequences,
    }
    body = {
        "schemaVersion": NOVA_SCHEMA,
        "messages": [{"role": m["role"], "content": [_nova_block(b) for b in m["content"]]} for m in messages],
    }
    if system:
        body["system"] = [{"text": text} for text in _system_list(system)]
    config = {k: v for k, v in config.items() if v is not None}
    if config:
        body["inferenceConfig"] = config
    return body


def _claude_block(block: dict) -> dict:
    kind = next(iter(block))
    if kind == "text":
        return {"type": "text", "text": block["text"]}
    if kind == "image":
        image = block["image"]
        data = image["source"].get("bytes")
        if data is None:
            raise ValueError("Claude's Invoke body takes image bytes, not S3 locations.")
        return {
            "type": "image",
            "source": {"type": "base64", "media_type": IMAGE_MEDIA_TYPES[image["format"]], "data": _b64(data)},
        }
    if kind == "toolUse":
        tool = block["toolUse"]
        return {"type": "tool_use", "id": tool["toolUseId"], "name": tool["name"], "input": tool["input"]}
    if kind == "reasoningContent":
        reasoning = block["reasoningContent"]["reasoningText"]
        return {"type": "thinking", "thinking": reasoning["text"], "signature": reasoning.get("signature", "")}
    raise _converse_only(kind, "Anthropic Claude")


def claude_body(
    messages: list[dict],
    max_tokens: int,
    system=None,
    temperature: float | None = None,
    top_p: float | None = None,
    top_k: int | None = None,
    stop_sequences: list[str] | None = None,
) -> dict:
    """A Claude Messages body: `anthropic_version` and `max_tokens` are required; settings are snake_case."""
    body = {
        "anthropic_version": ANTHROPIC_VERSION,
        "max_tokens": max_tokens,
        "messages": [{"role": m["role"], "content": [_claude_block(b) for b in m["content"]]} for m in messages],
    }
    if system:
        body["system"] = "\n".join(_system_list(system))
    extras = {"temperature": temperature, "top_p": top_p, "top_k": top_k, "stop_sequences": stop_sequences}
    body.update({k: v for k, v in extras.items() if v is not None})
    return body


# ---- native bodies -> Converse messages ----------------------------------------------------------
def _from_claude_block(block: dict) -> dict:
    if block["type"] == "text":
        return {"text": block["text"]}
    if block["type"] == "image":
        fmt = block["source"]["media_type"].rpartition("/")[2]
        return {"image": {"format": fmt, "source": {"bytes": base64.b64decode(block["source"]["data"])}}}
    if block["type"] == "tool_use":
        return {"toolUse": {"toolUseId": block["id"], "name": block["name"], "input": block["input"]}}
    raise ValueError(f"No Converse block for Claude's {block['type']!r} block.")


def _from_nova_block(block: dict) -> dict:
    kind = next(iter(block))
    source = block[kind].get("source", {}) if isinstance(block[kind], dict) else {}
    if kind in ("image", "video") and isinstance(source.get("bytes"), str):
        return {kind: {**block[kind], "source": {"bytes": base64.b64decode(source["bytes"])}}}
    return block


def to_converse(body: dict) -> dict:
    """A native request body as Converse keyword arguments (`messages`, `system`, `inferenceConfig`)."""
    if "anthropic_version" in body:
        messages = [
            {
                "role": m["role"],
                "content": [{"text": m["content"]}]
                if isinstance(m["content"], str)
                else [_from_claude_block(b) for b in m["content"]],
            }
            for m in body["messages"]
        ]
        system = body.get("system")
        system = [system] if isinstance(system, str) else [b["text"] for b in system or []]
        names = {
            "max_tokens": "maxTokens",
            "temperature": "temperature",
            "top_p": "topP",
            "stop_sequences": "stopSequences",
        }
        config = {names[k]: v for k, v in body.items() if k in names}
    else:
        messages = [
            {"role": m["role"], "content": [_from_nova_block(b) for b in m["content"]]} for m in body["messages"]
        ]
        system = [b["text"] for b in body.get("system") or []]
        config = {k: v for k, v in (body.get("inferenceConfig") or {}).items() if k != "topK"}
    converse = {"messages": messages}
    if system:
        converse["system"] = [{"text": text} for text in system]
    if config:
        converse["inferenceConfig"] = config
    return converse


def to_message(response_body: dict) -> dict:
    """The assistant message of a native response, as the Converse message dict."""
    if response_body.get("type") == "message":
        return {"role": response_body["role"], "content": [_from_claude_block(b) for b in response_body["content"]]}
    return response_body["output"]["message"]


# ---- Claude 2 text-completion prompts ------------------------------------------------------------
_TURN = re.compile(r"\n\n(Human|Assistant):")


def completion_to_messages(prompt: str) -> tuple[list[dict], list[dict]]:
    """Split a Claude 2 prompt ('\\n\\nHuman: ... \\n\\nAssistant:') into Converse's `system`
    blocks and `messages`, ready for `client.converse(system=..., messages=...)`."""
    parts = _TURN.split(prompt)
    system = [{"text": parts[0].strip()}] if parts[0].strip() else []
    messages = []
    for speaker, text in zip(parts[1::2], parts[2::2]):
        if text.strip():
            messages.append(
                {"role": "user" if speaker == "Human" else "assistant", "content": [{"text": text.strip()}]}
            )
    if not messages or messages[0]["role"] != "user":
        raise ValueError('A Claude 2 prompt needs at least one "\\n\\nHuman:" turn before any "\\n\\nAssistant:" turn.')
    return system, messages


def messages_to_completion(messages: list[dict], system=None) -> str:
    """The Claude 2 prompt for a conversation: turns marked Human/Assistant, ending with 'Assistant:'."""
    turns = "".join(
        f"\n\n{'Human' if m['role'] == 'user' else 'Assistant'}: " + "".join(b.get("text", "") for b in m["content"])
        for m in messages
    )
    head = "\n".join(_system_list(system))
    return head + turns + "\n\nAssistant:"


# ---- calling and streaming -----------------------------------------------------------------------
def invoke(client, model_id: str, body: dict, **kwargs) -> dict:
    """InvokeModel with a JSON body; returns the decoded native response."""
    response = client.invoke_model(
        modelId=model_id, body=json.dumps(body), contentType="application/json", accept="application/json", **kwargs
    )
    return json.loads(response["body"].read())


def chunks(response) -> Iterator[dict]:
    """Each native JSON chunk of an InvokeModelWithResponseStream response."""
    for event in response["body"]:
        if "chunk" in event:
            yield json.loads(event["chunk"]["bytes"])


def chunk_text(chunk: dict) -> str | None:
    """The text a chunk carries, in any dialect (Nova `contentBlockDelta`, Claude `text_delta`, Claude 2
    `completion`); None for chunks without text."""
    if "contentBlockDelta" in chunk:
        return chunk["contentBlockDelta"].get("delta", {}).get("text")
    if chunk.get("type") == "content_block_delta" and chunk["delta"].get("type") == "text_delta":
        return chunk["delta"]["text"]
    return chunk.get("completion") or None


class NovaChunks:
    """Nova's chunks are ConverseStream events, one per chunk: the ConverseStream collector folds them."""

    def __init__(self):
        self.events = Collector()

    @staticmethod
    def knows(chunk: dict) -> bool:
        return any(key in EVENTS for key in chunk)

    def add(self, chunk: dict) -> str | None:
        kinds = [key for key in chunk if key in EVENTS]
        if len(kinds) != 1:
            raise UnknownEvent(f"Not a Nova chunk (one of {', '.join(EVENTS)}): {sorted(chunk)}.")
        return self.events.add(kinds[0], chunk[kinds[0]])

    def body(self) -> dict:
        collected = self.events.response()
        return {"output": collected["output"], **{k: collected[k] for k in ("stopReason", "usage") if k in collected}}

    def text(self) -> str:
        return self.events.text()


class ClaudeChunks:
    """Claude Messages chunks, translated to ConverseStream events for the same collector, then the
    collected blocks written back as Claude blocks (`text`, `tool_use` with its parsed `input`)."""

    def __init__(self):
        self.events = Collector()
        self.message: dict = {}

    @staticmethod
    def knows(chunk: dict) -> bool:
        return str(chunk.get("type", "")).startswith(("message_", "content_block_")) or chunk.get("type") == "ping"

    def add(self, chunk: dict) -> str | None:
        kind = chunk.get("type")
        if kind == "message_start":
            self.message = dict(chunk["message"])
            return self.events.add("messageStart", {"role": self.message.get("role", "assistant")})
        if kind == "content_block_start":
            return self._start(chunk["index"], chunk["content_block"])
        if kind == "content_block_delta":
            return self._delta(chunk["index"], chunk["delta"])
        if kind == "content_block_stop":
            return self.events.add("contentBlockStop", {"contentBlockIndex": chunk["index"]})
        if kind == "message_delta":
            self.message.update(chunk.get("delta", {}))
            self.message.setdefault("usage", {}).update(chunk.get("usage", {}))
        elif kind not in ("message_stop", "ping"):
            raise UnknownEvent(f"Unknown Claude stream chunk type {kind!r}.")
        return None

    def _start(self, index: int, block: dict) -> str | None:
        if block["type"] == "tool_use":
            start = {"toolUse": {"toolUseId": block["id"], "name": block["name"]}}
            return self.events.add("contentBlockStart", {"contentBlockIndex": index, "start": start})
        if block["type"] != "text":
            raise UnknownEvent(f"Claude {block['type']!r} blocks are not collected here (text and tool_use are).")
        return self._delta(index, {"type": "text_delta", "text": block.get("text", "")})

    def _delta(self, index: int, delta: dict) -> str | None:
        if delta.get("type") == "text_delta":
            converse = {"text": delta["text"]}
        elif delta.get("type") == "input_json_delta":
            converse = {"toolUse": {"input": delta["partial_json"]}}
        else:
            raise UnknownEvent(f"Claude {delta.get('type')!r} deltas are not collected here.")
        return self.events.add("contentBlockDelta", {"contentBlockIndex": index, "delta": converse})

    def body(self) -> dict:
        blocks = self.events.response()["output"]["message"]["content"]
        return {**self.message, "content": [_claude_block(block) for block in blocks]}

    def text(self) -> str:
        return self.events.text()


class CompletionChunks:
    """Claude 2 Text Completions chunks: `completion` text pieces, the last one with the stop fields."""

    def __init__(self):
        self.pieces: list[str] = []
        self.last: dict = {}

    @staticmethod
    def knows(chunk: dict) -> bool:
        return "completion" in chunk

    def add(self, chunk: dict) -> str | None:
        if "completion" not in chunk:
            raise UnknownEvent(f"Not a Text Completions chunk: {sorted(chunk)}.")
        self.pieces.append(chunk["completion"])
        self.last = chunk
        return chunk["completion"] or None

    def body(self) -> dict:
        head = {"type": self.last["type"]} if "type" in self.last else {}
        return {
            **head,
            "completion": self.text(),
            "stop_reason": self.last.get("stop_reason"),
            "stop": self.last.get("stop"),
        }

    def text(self) -> str:
        return "".join(self.pieces)


DIALECTS = (NovaChunks, ClaudeChunks, CompletionChunks)


def collector_for(chunk: dict):
    """The collector for a stream whose first chunk is `chunk`; UnknownEvent if no dialect has it."""
    for dialect in DIALECTS:
        if dialect.knows(chunk):
            return dialect()
    raise UnknownEvent(f"No collector knows a stream that starts with {sorted(chunk)}.")


def collect(response, on_text: Callable[[str], None] | None = None, timer: StreamTimer | None = None) -> dict:
    """Read an invoke stream (Nova, Claude Messages or Claude 2 Text Completions) into the body InvokeModel
    would have returned, calling `on_text` with each text piece. A chunk no collector knows raises
    UnknownEvent; a stream that ends with no chunk at all raises too, never returning an empty dict."""
    state: dict = {}

    def interrupted(code, reason):
        collector = state.get("collector")
        return StreamInterrupted(
            code, reason, collector.text() if collector else "", collector.body() if collector else {}
        )

    def fold(chunk: dict) -> str | None:
        if "collector" not in state:
            state["collector"] = collector_for(chunk)
        return state["collector"].add(chunk)

    drain((fold(chunk) for chunk in guarded(chunks(response), interrupted)), on_text, timer)
    if "collector" not in state:
        raise UnknownEvent("The stream ended without a single chunk.")
    return state["collector"].body()
