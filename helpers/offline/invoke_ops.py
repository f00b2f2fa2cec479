"""The Invoke API on the pipeline: InvokeModel and InvokeModelWithResponseStream.

Model-native bodies in, model-native JSON out: whole, with token counts in response headers, or as
`chunk` events whose `bytes` hold one native JSON chunk each. The dialect is the model family's."""

from __future__ import annotations

import base64
import json

from . import embeddings, nova_embeddings
from .dialects import native
from .dialects.native import decode_blob
from .pipeline import MODEL_PATH, Api, infer, register
from .wire import ROUTER, json_response

__all__ = ["INVOKE", "decode_blob"]


def _read(call, streaming: bool) -> bytes:
    native.check_content_types(call.request, "x-amzn-bedrock-accept" if streaming else "accept")
    return call.request.body


def _respond(call, dialect, generation, prompt):
    headers = {
        "X-Amzn-Bedrock-Input-Token-Count": str(generation.input_tokens),
        "X-Amzn-Bedrock-Output-Token-Count": str(generation.output_tokens),
        "X-Amzn-Bedrock-Invocation-Latency": str(generation.latency_ms),
    }
    payload = _guardrail_fields(dialect.render(generation, prompt, call.request.request_id()), generation)
    return json_response(payload, call.request, headers=headers)


def _guardrail_fields(payload: dict, generation) -> dict:
    """The fields Bedrock adds to a native body (or a stream's last chunk) when a guardrail guarded it."""
    if generation.guardrail_action is not None:
        payload = {**payload, "amazon-bedrock-guardrailAction": generation.guardrail_action}
        if generation.trace:
            payload["amazon-bedrock-trace"] = generation.trace
    return payload


def _chunk(payload: dict) -> tuple[str, dict]:
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return "chunk", {"bytes": base64.b64encode(data).decode("ascii")}


def _guardrail(call, body) -> tuple[dict | None, list]:
    """The guardrail headers of InvokeModel and its stream (trace ENABLED, DISABLED or ENABLED_FULL)."""
    headers = call.request.headers
    config = {
        "guardrailIdentifier": headers.get("x-amzn-bedrock-guardrailidentifier"),
        "guardrailVersion": headers.get("x-amzn-bedrock-guardrailversion"),
        "trace": (headers.get("x-amzn-bedrock-trace") or "DISABLED").lower(),
    }
    return (config if config["guardrailIdentifier"] else None), []


INVOKE = Api(
    guardrail=_guardrail,
    finish=_guardrail_fields,
    read=_read,
    parse=native.parse_body,
    dialect_for=native.dialect_for,
    respond=_respond,
    wrap_event=_chunk,
    stream_headers={"X-Amzn-Bedrock-Content-Type": native.JSON},
)


EMBEDDING_FAMILIES = {"nova-embed": nova_embeddings}  # others: Titan Text Embeddings' body (embeddings.py)


@ROUTER.add("InvokeModel", "bedrock-runtime", "POST", MODEL_PATH + "/invoke")
def invoke_model(call):
    if embeddings.embedding_model(call):  # vectors, not a Generation: each embedding family has its own body
        family = call.resolve().model["family"]
        return EMBEDDING_FAMILIES.get(family, embeddings).invoke(call)
    return infer(call, INVOKE, streaming=False)


register("InvokeModelWithResponseStream", "/invoke-with-response-stream", INVOKE, streaming=True)
