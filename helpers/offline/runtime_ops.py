"""The Converse API on the pipeline: Converse, ConverseStream and CountTokens.

Converse bodies are checked against the service model's input shape before anything else (as
Bedrock's front door does); ConverseStream differs from Converse only in its dialect."""

from __future__ import annotations

from . import shapes
from .dialects import converse, converse_stream
from .invoke_ops import INVOKE, decode_blob
from .pipeline import MODEL_PATH, Api, prompt_of, register
from .wire import ROUTER, json_response


def _read(call, streaming: bool) -> dict:
    return call.json()


def _parse(body: dict) -> dict:
    return body  # validated against the input shape on arrival


def _dialect(model: dict, body: dict, streaming: bool):
    return converse_stream if streaming else converse


def _respond(call, dialect, generation, prompt):
    return json_response(dialect.render(generation, prompt, call.request.request_id()), call.request)


def _event(item: tuple[str, dict]) -> tuple[str, dict]:
    return item  # ConverseStream's dialect yields (event type, payload) already


def _guardrail(call, body: dict) -> tuple[dict | None, list]:
    config = body.get("guardrailConfig")
    return config, [b for b in body.get("system") or [] if "guardContent" in b] if config else []


CONVERSE = Api(
    read=_read, parse=_parse, dialect_for=_dialect, respond=_respond, wrap_event=_event, guardrail=_guardrail
)
register("Converse", "/converse", CONVERSE, streaming=False)
register("ConverseStream", "/converse-stream", CONVERSE, streaming=True)


@ROUTER.add("CountTokens", "bedrock-runtime", "POST", MODEL_PATH + "/count-tokens")
def count_tokens(call):
    source = call.json()["input"]
    if "converse" in source:
        # Only the members CountTokens defines were validated; others (inferenceConfig...) are ignored.
        known = shapes.service_model("bedrock-runtime").shape_for("ConverseTokensRequest").members
        body = {k: v for k, v in source["converse"].items() if k in known}
        _, prompt = prompt_of(call, CONVERSE, body, streaming=False)
    else:
        _, prompt = prompt_of(call, INVOKE, decode_blob(source["invokeModel"]["body"]), streaming=False)
    return json_response({"inputTokens": prompt.input_tokens}, call.request)
