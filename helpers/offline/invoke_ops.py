"""InvokeModel and InvokeModelWithResponseStream: model-native bodies in, model-native JSON out
(whole, or as `chunk` events whose `bytes` hold one native JSON chunk each)."""

from __future__ import annotations

import base64
import json

from . import embeddings
from .dialects import native
from .generator import generate
from .runtime_ops import MODEL
from .streams import stream_response
from .wire import ROUTER, json_response


@ROUTER.add("InvokeModel", "bedrock-runtime", "POST", MODEL + "/invoke")
def invoke_model(call):
    if embeddings.embedding_model(call):  # Titan Text Embeddings: vectors, not a Generation
        return embeddings.invoke(call)
    native.check_content_types(call.request, "accept")
    dialect, prompt = native.prompt(call, call.request.body, streaming=False)
    generation = generate(prompt)
    headers = {
        "X-Amzn-Bedrock-Input-Token-Count": str(generation.input_tokens),
        "X-Amzn-Bedrock-Output-Token-Count": str(generation.output_tokens),
        "X-Amzn-Bedrock-Invocation-Latency": str(generation.latency_ms),
    }
    payload = dialect.render(generation, prompt, call.request.request_id())
    return json_response(payload, call.request, headers=headers)


def _chunk(payload: dict) -> tuple[str, dict]:
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return "chunk", {"bytes": base64.b64encode(data).decode("ascii")}


@ROUTER.add("InvokeModelWithResponseStream", "bedrock-runtime", "POST", MODEL + "/invoke-with-response-stream")
def invoke_model_with_response_stream(call):
    native.check_content_types(call.request, "x-amzn-bedrock-accept")
    dialect, prompt = native.prompt(call, call.request.body, streaming=True)
    generation = generate(prompt)
    chunks = dialect.chunks(generation, prompt, call.request.request_id(), native.invocation_metrics(generation))
    return stream_response(call, map(_chunk, chunks), headers={"X-Amzn-Bedrock-Content-Type": native.JSON})
