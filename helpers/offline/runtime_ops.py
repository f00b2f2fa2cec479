"""bedrock-runtime operations: Converse and CountTokens (streaming and Invoke live beside them)."""

from __future__ import annotations

from . import rules, shapes
from .dialects import converse as converse_dialect
from .dialects import converse_stream as stream_dialect
from .errors import MSG_UNSUPPORTED_OPERATION, BedrockError
from .generator import generate
from .streams import stream_response
from .wire import ROUTER, json_response

MODEL = r"/model/(?P<modelId>[^/]+)"
INVOKE_ACTION = "bedrock:InvokeModel"
STREAM_ACTION = "bedrock:InvokeModelWithResponseStream"


def converse_prompt(call, body: dict, streaming: bool = False):
    """Resolve, authorize and check a Converse-shaped body; shared by Converse and ConverseStream."""
    resolved = call.resolve()
    call.authorize(STREAM_ACTION if streaming else INVOKE_ACTION, call.model_resources(resolved))
    if not resolved.model["capabilities"]["converse"]:
        raise BedrockError.validation(MSG_UNSUPPORTED_OPERATION)
    prompt = converse_dialect.to_prompt(body, resolved, call.region, call.catalog, streaming=streaming)
    rules.check_prompt(prompt)
    return prompt


@ROUTER.add("Converse", "bedrock-runtime", "POST", MODEL + "/converse")
def converse(call):
    prompt = converse_prompt(call, call.json())
    return json_response(converse_dialect.render(generate(prompt)), call.request)


@ROUTER.add("ConverseStream", "bedrock-runtime", "POST", MODEL + "/converse-stream")
def converse_stream(call):
    prompt = converse_prompt(call, call.json(), streaming=True)
    return stream_response(call, stream_dialect.events(generate(prompt)))


@ROUTER.add("CountTokens", "bedrock-runtime", "POST", MODEL + "/count-tokens")
def count_tokens(call):
    body = call.json()
    source = body["input"]
    if "converse" in source:
        # Only the members CountTokens defines were validated; others (inferenceConfig...) are ignored.
        known = shapes.service_model("bedrock-runtime").shape_for("ConverseTokensRequest").members
        prompt = converse_prompt(call, {k: v for k, v in source["converse"].items() if k in known})
    else:
        from .dialects import native  # the Invoke dialects (model-native bodies)

        prompt = native.prompt_from_invoke_body(call, source["invokeModel"]["body"])
    return json_response({"inputTokens": prompt.input_tokens}, call.request)
