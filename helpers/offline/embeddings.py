"""Titan Text Embeddings V2 through InvokeModel: deterministic vectors of the documented sizes.

Request and response as the Bedrock user guide documents them (model-parameters-titan-embed-text,
read 2026-11-30): `inputText` (required), `dimensions` 1024 (default), 512 or 256, `normalize`
(default true), `embeddingTypes` ["float"] (default) and/or "binary"; the answer carries `embedding`,
`inputTextTokenCount` and `embeddingsByType`. The vector is a hash of the text, so the same text
always embeds the same way offline (it carries no meaning: similar texts are not near each other).
The wording of refusals for bad fields is this emulator's own (unconfirmed).
"""

from __future__ import annotations

import hashlib
import math
import struct

from ..vocabulary import INVOKE_ACTION
from . import tokens
from .dialects import native
from .errors import BedrockError, msg_malformed
from .wire import json_response


def embedding_model(call) -> bool:
    """True when the call names an embedding model (resolving raises Bedrock's own id errors)."""
    return "EMBEDDING" in call.resolve().model["outputModalities"]


def _check(body: dict, spec: dict) -> tuple[str, int, bool, list[str]]:
    text = body.get("inputText")
    if not isinstance(text, str) or not text:
        raise BedrockError.validation(msg_malformed("#: required key [inputText] not found"))
    dimensions = body.get("dimensions", spec["defaultDimensions"])
    if dimensions not in spec["dimensions"]:
        allowed = ", ".join(map(str, spec["dimensions"]))
        raise BedrockError.validation(msg_malformed(f"#/dimensions: {dimensions} is not one of [{allowed}]"))
    normalize = body.get("normalize", spec["normalizeDefault"])
    if not isinstance(normalize, bool):
        raise BedrockError.validation(msg_malformed("#/normalize: expected type: Boolean"))
    kinds = body.get("embeddingTypes", ["float"])
    if not isinstance(kinds, list) or not kinds or any(k not in spec["embeddingTypes"] for k in kinds):
        raise BedrockError.validation(msg_malformed('#/embeddingTypes: allowed values are ["float", "binary"]'))
    extra = sorted(set(body) - {"inputText", "dimensions", "normalize", "embeddingTypes"})
    if extra:
        raise BedrockError.validation(msg_malformed(f"#: extraneous key [{extra[0]}] is not permitted"))
    return text, dimensions, normalize, kinds


def vector(text: str, dimensions: int, normalize: bool) -> list[float]:
    """`dimensions` floats from the text's hash; unit length when normalized."""
    stream = b"".join(
        hashlib.blake2b(f"{i}:{text}".encode(), digest_size=64).digest() for i in range(dimensions * 4 // 64 + 1)
    )
    raw = [(n / 2**31) - 1.0 for n in struct.unpack(f">{dimensions}I", stream[: dimensions * 4])]
    if not normalize:
        return [round(v, 6) for v in raw]
    norm = math.sqrt(sum(v * v for v in raw)) or 1.0
    return [round(v / norm, 6) for v in raw]


def invoke(call):
    """InvokeModel on an embedding model."""
    resolved = call.resolve()
    call.authorize_model(INVOKE_ACTION, resolved)
    native.check_content_types(call.request, "accept")
    text, dimensions, normalize, kinds = _check(native.parse_body(call.request.body), resolved.model["embedding"])
    floats = vector(text, dimensions, normalize)
    by_type = {"float": floats} if "float" in kinds else {}
    if "binary" in kinds:
        by_type["binary"] = [1 if v > 0 else 0 for v in floats]
    count = tokens.count(text)
    payload = {"embedding": floats, "inputTextTokenCount": count, "embeddingsByType": by_type}
    headers = {"X-Amzn-Bedrock-Input-Token-Count": str(count), "X-Amzn-Bedrock-Output-Token-Count": "0"}
    return json_response(payload, call.request, headers=headers)
