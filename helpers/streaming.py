"""ConverseStream on the client: events, text as it arrives, the collected message, and timings.

    response = client.converse_stream(modelId=..., messages=messages)
    result = collect(response, on_text=lambda t: print(t, end=""))
    messages.append(result["output"]["message"])      # the conversation continues as after Converse

Events stay plain Bedrock dicts: `events(response)` yields `(event_type, payload)` pairs such as
`("contentBlockDelta", {"delta": {"text": "Hi"}, "contentBlockIndex": 0})`. A stream that fails
midway raises `StreamInterrupted`, which carries everything received before the failure.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Iterator

from botocore.exceptions import BotoCoreError, ClientError


class StreamInterrupted(RuntimeError):
    """A stream that broke midway. Nothing is lost: `.text` is the text received so far, `.partial`
    what was collected (a Converse-shaped response for ConverseStream), `.code`/`.reason` why."""

    def __init__(self, code: str, reason: str, text: str, partial: dict | None = None):
        self.code, self.reason, self.text, self.partial = code, reason, text, partial or {}
        super().__init__(
            f"The stream stopped early with {code}: {reason} "
            f"({len(text)} characters of text had arrived; they are in .text)"
        )


def _failure(error: Exception) -> tuple[str, str]:
    if isinstance(error, ClientError):
        details = error.response.get("Error", {})
        return details.get("Code") or type(error).__name__, details.get("Message") or str(error)
    return type(error).__name__, str(error)


class StreamTimer:
    """Client-side wall clock: start before the call, then read time to first token and total."""

    def __init__(self):
        self.started = time.perf_counter()
        self.first_token: float | None = None
        self.finished: float | None = None

    def token(self) -> None:
        if self.first_token is None:
            self.first_token = time.perf_counter()

    def stop(self) -> None:
        if self.finished is None:
            self.finished = time.perf_counter()

    @property
    def first_token_ms(self) -> float | None:
        return None if self.first_token is None else (self.first_token - self.started) * 1000

    @property
    def total_ms(self) -> float | None:
        return None if self.finished is None else (self.finished - self.started) * 1000

    def summary(self) -> str:
        """'time to first token (measured) 12.3 ms, total (measured) 45.6 ms' (wall clock, varies)."""
        return f"time to first token {measured(self.first_token_ms)}, total {measured(self.total_ms)}"


def measured(ms: float | None) -> str:
    """A client-measured duration, printed as '(measured) 12.3 ms' so stored outputs can mask it."""
    return "(measured) n/a" if ms is None else f"(measured) {ms:.1f} ms"


def guarded(items: Iterable, on_error: Callable[[str, str], Exception]) -> Iterator:
    """Iterate a botocore event stream; a failure midway becomes the exception `on_error` builds."""
    try:
        yield from items
    except (ClientError, BotoCoreError) as error:
        raise on_error(*_failure(error)) from error


def drain(
    texts: Iterable[str | None], on_text: Callable[[str], None] | None = None, timer: StreamTimer | None = None
) -> None:
    """Consume a stream's text pieces (None for events without text), passing each piece to `on_text`
    and the timer; the timer stops however the stream ends. Shared by both stream collectors."""
    try:
        for text in texts:
            if text:
                if timer is not None:
                    timer.token()
                if on_text is not None:
                    on_text(text)
    finally:
        if timer is not None:
            timer.stop()


def events(response) -> Iterator[tuple[str, dict]]:
    """`(event_type, payload)` for each ConverseStream event, as botocore decoded it."""
    for event in response["stream"]:
        yield next(iter(event.items()))


def text_pieces(response) -> Iterator[str]:
    """Only the text deltas, as they arrive; a mid-stream failure raises StreamInterrupted."""
    received: list[str] = []

    def interrupted(code, reason):
        return StreamInterrupted(code, reason, "".join(received))

    for kind, payload in guarded(events(response), interrupted):
        text = payload.get("delta", {}).get("text") if kind == "contentBlockDelta" else None
        if text:
            received.append(text)
            yield text


class UnknownEvent(ValueError):
    """A stream event, content block or chunk this module does not know: raised, never skipped,
    so a new kind of block can never be silently dropped from a collected answer."""


EVENTS = ("messageStart", "contentBlockStart", "contentBlockDelta", "contentBlockStop", "messageStop", "metadata")


class Collector:
    """Folds ConverseStream events into the response Converse would have returned.

    Blocks are kept by `contentBlockIndex`, and each keeps its own kind: a text delta never lands in
    a tool-use block. Tool input arrives as JSON text fragments in `delta.toolUse.input`; they are
    joined and parsed at `contentBlockStop` (text that does not parse stays a string, as it does when
    the model's tool input was malformed). The Invoke API collectors feed this same class."""

    def __init__(self):
        self.role = "assistant"
        self.blocks: dict[int, dict] = {}
        self.result: dict = {}

    def add(self, kind: str, payload: dict) -> str | None:
        """Take one event; return its text, if it carried any."""
        if kind == "messageStart":
            self.role = payload.get("role", self.role)
        elif kind == "contentBlockStart":
            self._start(payload["contentBlockIndex"], payload.get("start", {}))
        elif kind == "contentBlockDelta":
            return self._delta(payload["contentBlockIndex"], payload.get("delta", {}))
        elif kind == "contentBlockStop":
            self._stop(payload["contentBlockIndex"])
        elif kind == "messageStop":
            self.result["stopReason"] = payload.get("stopReason")
            if "additionalModelResponseFields" in payload:
                self.result["additionalModelResponseFields"] = payload["additionalModelResponseFields"]
        elif kind == "metadata":
            self.result.update({k: v for k, v in payload.items() if k in ("usage", "metrics", "trace")})
        else:
            raise UnknownEvent(f"Unknown stream event {kind!r}; ConverseStream events are {', '.join(EVENTS)}.")
        return None

    def _start(self, index: int, start: dict) -> None:
        if "toolUse" not in start:
            raise UnknownEvent(f"contentBlockStart for a {', '.join(start) or 'empty'} block is not collected here.")
        self.blocks[index] = {"toolUse": {**start["toolUse"], "input": ""}}

    def _block(self, index: int, kind: str, empty) -> dict:
        block = self.blocks.setdefault(index, {kind: empty})
        if kind not in block:
            raise UnknownEvent(f"A {kind} delta arrived for block {index}, which is a {next(iter(block))} block.")
        return block

    def _delta(self, index: int, delta: dict) -> str | None:
        kind = next(iter(delta), None)
        if kind == "text":
            self._block(index, "text", "")["text"] += delta["text"]
            return delta["text"]
        if kind == "toolUse":
            self._block(index, "toolUse", {"input": ""})["toolUse"]["input"] += delta["toolUse"].get("input", "")
        elif kind == "reasoningContent":
            reasoning = self._block(index, "reasoningContent", {"reasoningText": {"text": ""}})["reasoningContent"]
            reasoning["reasoningText"]["text"] += delta["reasoningContent"].get("text", "")
            if "signature" in delta["reasoningContent"]:
                reasoning["reasoningText"]["signature"] = delta["reasoningContent"]["signature"]
        else:
            raise UnknownEvent(f"A {kind!r} delta is not collected here (text, toolUse and reasoningContent are).")
        return None

    def _stop(self, index: int) -> None:
        tool = self.blocks.get(index, {}).get("toolUse")
        if tool is not None and isinstance(tool["input"], str):
            try:
                tool["input"] = json.loads(tool["input"]) if tool["input"].strip() else {}
            except json.JSONDecodeError:
                pass  # malformed tool input stays the text the model sent

    def response(self) -> dict:
        message = {"role": self.role, "content": [self.blocks[i] for i in sorted(self.blocks)]}
        return {"output": {"message": message}, **self.result}

    def text(self) -> str:
        return "".join(b.get("text", "") for _, b in sorted(self.blocks.items()))


def collect(response, on_text: Callable[[str], None] | None = None, timer: StreamTimer | None = None) -> dict:
    """Read a whole ConverseStream into the dict Converse returns (`output.message`, `stopReason`,
    `usage`, `metrics`), calling `on_text` with each text piece as it arrives."""
    collector = Collector()

    def interrupted(code, reason):
        return StreamInterrupted(code, reason, collector.text(), collector.response())

    drain((collector.add(kind, payload) for kind, payload in guarded(events(response), interrupted)), on_text, timer)
    return collector.response()
