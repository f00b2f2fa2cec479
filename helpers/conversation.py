"""Multi-turn conversations over plain Converse message dicts.

Bedrock keeps no state between calls: every Converse request carries the whole conversation, and
the assistant's message from one response goes back, unchanged, into the next request. These
helpers do only that bookkeeping. Everything they build or hold is the API's own shape, so any of
it can be printed and pasted into a raw `client.converse(...)` call.

    chat = Conversation(client, "global.anthropic.claude-haiku-4-5-20251001-v1:0", system="Be brief.")
    chat.send("Create a list of 3 pop songs.")
    chat.send("Make sure the songs are by artists from the United Kingdom.")
    chat.messages      # [{"role": "user", "content": [{"text": ...}]}, {"role": "assistant", ...}, ...]
    chat.request()     # the exact kwargs of the next client.converse(**...) call
"""

from __future__ import annotations

import time
from collections.abc import Callable

from botocore.exceptions import ClientError

from .content import user_message  # the one user-message builder, shared with the media notebooks

USAGE_KEYS = ("inputTokens", "outputTokens", "totalTokens")
# Worth another try after a pause; anything else (validation, access, unknown model) will fail again.
RETRYABLE_CODES = frozenset(
    {
        "ThrottlingException",
        "ModelTimeoutException",
        "ModelNotReadyException",
        "ServiceUnavailableException",
        "InternalServerException",
    }
)


def assistant_message(text: str) -> dict:
    return {"role": "assistant", "content": [{"text": text}]}


def system_prompt(system: str | list[dict] | None) -> list[dict]:
    """Converse's `system` field: a list of blocks, built from a plain string when given one."""
    if system is None or (isinstance(system, str) and not system.strip()):
        return []  # an empty system box means no system prompt, not a blank block Bedrock refuses
    return [{"text": system}] if isinstance(system, str) else list(system)


def assistant_text(response: dict) -> str:
    """The text of a Converse response's message (all text blocks joined)."""
    content = response["output"]["message"]["content"]
    return "".join(block["text"] for block in content if "text" in block)


def converse_request(
    model_id: str,
    messages: list[dict],
    system: str | list[dict] | None = None,
    inference_config: dict | None = None,
    additional_fields: dict | None = None,
) -> dict:
    """The keyword arguments of `client.converse(**...)`, leaving out what is not set."""
    request = {"modelId": model_id, "messages": messages}
    if system:
        request["system"] = system_prompt(system)
    if inference_config:
        request["inferenceConfig"] = dict(inference_config)
    if additional_fields:
        request["additionalModelRequestFields"] = dict(additional_fields)
    return request


def transcript(messages: list[dict]) -> str:
    """The conversation as readable lines, e.g. 'user: Create a list...' (non-text blocks named)."""
    lines = []
    for message in messages:
        parts = [block["text"] if "text" in block else f"[{next(iter(block))}]" for block in message["content"]]
        lines.append(f"{message['role']}: " + "\n".join(parts))
    return "\n\n".join(lines)


def error_summary(error: ClientError) -> str:
    """One line a learner can act on: 'ThrottlingException (HTTP 429): Too many requests, ...'."""
    response = error.response
    status = response.get("ResponseMetadata", {}).get("HTTPStatusCode", "?")
    return f"{response['Error']['Code']} (HTTP {status}): {response['Error']['Message']}"


def is_retryable(error: ClientError) -> bool:
    return error.response["Error"]["Code"] in RETRYABLE_CODES


def converse_with_retries(
    client,
    request: dict,
    attempts: int = 3,
    base_delay: float = 1.0,
    sleep: Callable[[float], None] = time.sleep,
    log: Callable[[str], None] = print,
) -> dict:
    """`client.converse(**request)`, tried again after 1 s, 2 s, 4 s ... on errors worth retrying.

    The workbook's clients already retry what failed before any generation (throttling,
    ModelNotReadyException, ServiceUnavailableException; see `helpers.clients.safe_retries`). This loop
    is the extra layer an application adds knowingly, for ModelTimeoutException and
    InternalServerException: the model may have run before those, so a retry can be billed again.
    Errors that will not go away (validation, access) are raised at once.
    """
    if attempts < 1:
        raise ValueError("attempts must be at least 1")
    attempt = 1
    while True:
        try:
            return client.converse(**request)
        except ClientError as error:
            if not is_retryable(error) or attempt == attempts:
                raise
            delay = base_delay * 2 ** (attempt - 1)
            log(f"attempt {attempt} failed with {error_summary(error)} - retrying in {delay:g} s")
            sleep(delay)
            attempt += 1


class Conversation:
    """A conversation with one model: `.messages` is the plain list of message dicts sent each turn."""

    def __init__(
        self,
        client,
        model_id: str,
        system: str | list[dict] | None = None,
        inference_config: dict | None = None,
        additional_fields: dict | None = None,
    ):
        self.client = client
        self.model_id = model_id
        self.system = system_prompt(system)
        self.inference_config = dict(inference_config or {})
        self.additional_fields = dict(additional_fields or {})
        self.reset()

    def reset(self) -> None:
        """Forget every turn and the usage totals (the model, system prompt and settings stay)."""
        self.messages: list[dict] = []
        self.usage = dict.fromkeys(USAGE_KEYS, 0)
        self.last_response: dict | None = None

    def request(self) -> dict:
        """The exact keyword arguments the next `client.converse(**...)` call sends."""
        return converse_request(
            self.model_id, list(self.messages), self.system, self.inference_config, self.additional_fields
        )

    def send(self, text: str, *blocks: dict) -> dict:
        """Add a user turn, call Converse, keep the assistant's message; returns the response dict.

        If the call fails, the user turn is taken back out, so the conversation still alternates
        user/assistant and the same `send` can simply be tried again.
        """
        self.messages.append(user_message(text, *blocks))
        try:
            response = self.client.converse(**self.request())
        except Exception:
            self.messages.pop()
            raise
        self.messages.append(response["output"]["message"])
        for key in USAGE_KEYS:
            self.usage[key] += response["usage"].get(key, 0)
        self.last_response = response
        return response

    def reply(self, text: str, *blocks: dict) -> str:
        """`send` and return just the assistant's text."""
        return assistant_text(self.send(text, *blocks))

    def transcript(self) -> str:
        return transcript(self.messages)

    def __repr__(self) -> str:
        return f"Conversation(model_id={self.model_id!r}, turns={len(self.messages)}, usage={self.usage})"
