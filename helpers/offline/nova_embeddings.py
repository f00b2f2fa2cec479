"""Amazon Nova Multimodal Embeddings: its documented request bodies, single embeddings (InvokeModel) and
segmented embeddings written to S3 (StartAsyncInvoke).

Request, output files and limits as the Amazon Nova user guide documents them ("Complete embeddings
request and response schema", section "Complete asynchronous schema"; read 2026-11-30):
  * `modelInput` is `{"schemaVersion": "nova-multimodal-embed-v1", "taskType": "SEGMENTED_EMBEDDING",
    "segmentedEmbeddingParams": {embeddingPurpose, embeddingDimension (256|384|1024|3072, default 3072),
    exactly one of text | image | audio | video}}`; text segments at word boundaries into at most
    `maxLengthChars` (800..50,000, default 32,000) characters, audio and video into `durationSeconds`
    (1..30, default 5); asynchronous media come from S3 only, text inline (`value`) or from S3;
  * the output folder holds `segmented-embedding-result.json` (`sourceFileUri`, `embeddingDimension`,
    `embeddingResults[{embeddingType, status, outputFileUri}]`) and one file per modality, a line per
    segment (`embedding`, `segmentMetadata`, `status`): embedding-text.jsonl, embedding-image.json,
    embedding-audio.jsonl, embedding-video.jsonl, and embedding-audio-video.jsonl for
    AUDIO_VIDEO_COMBINED (AWS launch post, 28 Oct 2025);
  * at most 1,900 text segments and 1,434 audio or video segments; S3 inputs up to 634 MB of text,
    50 MB of image, 2 GB / 2 hours of video, 1 GB / 2 hours of audio (catalog `asyncInvoke`).

Offline, each vector is a hash of the segment (embeddings.vector), so the same input always embeds
alike and carries no meaning. Video is measured from its MP4/MOV header (media.mp4_header), audio
from a WAV header; other containers fail the invocation with a message that says so. The page also
lists a `manifest.json` whose contents it does not show: it is not written offline. The body is
checked by the JSON Schema validator the native dialects use (dialects/schema.py), so its findings
are worded as Bedrock words Nova's ("Malformed input request: #: required key [...] not found, ...",
quoted for this model on InvokeModel in langchain-ai/langchain-aws issue 744); the findings for this
body are unconfirmed wording.
"""

from __future__ import annotations

import hashlib
import io
import json
import wave
from dataclasses import dataclass

from ..vocabulary import INVOKE_ACTION
from . import tokens
from .async_invoke import Failure
from .dialects import native, schema
from .embeddings import vector
from .errors import BedrockError, msg_malformed
from .media import mp4_header
from .wire import json_response

SCHEMA_VERSION = "nova-multimodal-embed-v1"
MODALITIES = ("text", "image", "audio", "video")
PURPOSES = ["GENERIC_INDEX", "GENERIC_RETRIEVAL", "TEXT_RETRIEVAL", "IMAGE_RETRIEVAL", "VIDEO_RETRIEVAL"]
PURPOSES += ["DOCUMENT_RETRIEVAL", "AUDIO_RETRIEVAL", "CLASSIFICATION", "CLUSTERING"]
MAX_TEXT_VALUE = 8192  # characters of an inline `value`
DEFAULT_CHARS, DEFAULT_SECONDS = 32_000, 5
RESULT_FILE = "segmented-embedding-result.json"

# Why an invocation fails (its failureMessage). Unconfirmed wording: no public quotation found.
MSG_NO_SOURCE = "The input file could not be read from Amazon S3. Check that the object exists and is accessible."
MSG_NO_OUTPUT = "The output could not be written to Amazon S3. Check that the bucket exists and is accessible."
MSG_TOO_LARGE = "The input file is larger than the maximum size for asynchronous {modality} embeddings."
MSG_TOO_LONG = "The input is longer than the maximum duration for asynchronous {modality} embeddings (2 hours)."
MSG_TOO_MANY_SEGMENTS = "The input would be split into more than {limit} segments. Use larger segments."
MSG_NOT_MEASURED = (
    "The offline emulator measures only MP4 and MOV video and WAV audio, so it cannot segment this {modality}."
)


def _s3_source() -> dict:
    location = {"uri": {"type": "string"}, "bucketOwner": {"type": "string"}}
    s3_location = {"type": "object", "required": ["uri"], "additionalProperties": False, "properties": location}
    return {
        "type": "object",
        "required": ["s3Location"],
        "additionalProperties": False,
        "properties": {"s3Location": s3_location},
    }


def _segmentation(member: str, low: int, high: int) -> dict:
    bounds = {"type": "integer", "minimum": low, "maximum": high}
    return {"type": "object", "additionalProperties": False, "properties": {member: bounds}}


def _media(formats: list[str], required: list[str], **extra) -> dict:
    properties = {"format": {"enum": formats}, "source": _s3_source(), **extra}
    return {"type": "object", "required": required, "additionalProperties": False, "properties": properties}


SECONDS = _segmentation("durationSeconds", 1, 30)
TEXT = {
    "type": "object",
    "required": ["truncationMode", "segmentationConfig"],
    "additionalProperties": False,
    "properties": {
        "truncationMode": {"enum": ["START", "END", "NONE"]},
        "value": {"type": "string"},
        "source": _s3_source(),
        "segmentationConfig": _segmentation("maxLengthChars", 800, 50_000),
    },
    "oneOf": [{"required": ["value"]}, {"required": ["source"]}],
}
DETAIL_LEVELS = {"enum": ["STANDARD_IMAGE", "DOCUMENT_IMAGE"]}
VIDEO_FORMATS = ["mp4", "mov", "mkv", "webm", "flv", "mpeg", "mpg", "wmv", "3gp"]
PARAMS = {
    "type": "object",
    "required": ["embeddingPurpose"],
    "additionalProperties": False,
    "properties": {
        "embeddingPurpose": {"enum": PURPOSES},
        "embeddingDimension": {"enum": [256, 384, 1024, 3072]},
        "text": TEXT,
        "image": _media(
            ["png", "jpeg", "gif", "webp"],
            ["format", "source"],
            detailLevel={"enum": ["STANDARD_IMAGE", "DOCUMENT_IMAGE"]},
        ),
        "audio": _media(["mp3", "wav", "ogg"], ["format", "source", "segmentationConfig"], segmentationConfig=SECONDS),
        "video": _media(
            VIDEO_FORMATS,
            ["format", "source", "embeddingMode", "segmentationConfig"],
            embeddingMode={"enum": ["AUDIO_VIDEO_COMBINED", "AUDIO_VIDEO_SEPARATE"]},
            segmentationConfig=SECONDS,
        ),
    },
    "oneOf": [{"required": [name]} for name in MODALITIES],
}


def _request(task: str, member: str, params: dict) -> dict:
    """The whole body: its schema version, `taskType` ("Must be SEGMENTED_EMBEDDING for asynchronous
    calls", "Must be SINGLE_EMBEDDING for synchronous calls") and the task's parameters."""
    return {
        "type": "object",
        "required": ["taskType", member],
        "additionalProperties": False,
        "properties": {"schemaVersion": {"enum": [SCHEMA_VERSION]}, "taskType": {"enum": [task]}, member: params},
    }


BODY = _request("SEGMENTED_EMBEDDING", "segmentedEmbeddingParams", PARAMS)


# InvokeModel takes one embedding of short content: `taskType` SINGLE_EMBEDDING, `singleEmbeddingParams`
# as above without segmentation, media inline (`bytes`, base64) or from S3 (same page, "Complete
# synchronous schema"). The answer is `{"embeddings": [{"embeddingType", "embedding"}]}` (AWS launch post).
def _inline_or_s3() -> dict:
    source = _s3_source()
    source["properties"] = {**source["properties"], "bytes": {"type": "string"}}
    del source["required"]
    source["oneOf"] = [{"required": ["bytes"]}, {"required": ["s3Location"]}]
    return source


def _single(media: dict) -> dict:
    properties = {**media["properties"], "source": _inline_or_s3()}
    properties.pop("segmentationConfig", None)
    required = [name for name in media["required"] if name != "segmentationConfig"]
    return {**media, "required": required, "properties": properties}


SINGLE_TEXT = {**TEXT, "required": ["truncationMode"]}
SINGLE_TEXT["properties"] = {k: v for k, v in TEXT["properties"].items() if k != "segmentationConfig"}
SINGLE_PARAMS = {**PARAMS, "properties": {**PARAMS["properties"], "text": SINGLE_TEXT}}
for _name in ("image", "audio", "video"):
    SINGLE_PARAMS["properties"][_name] = _single(PARAMS["properties"][_name])
SINGLE_BODY = _request("SINGLE_EMBEDDING", "singleEmbeddingParams", SINGLE_PARAMS)


def _precheck(body: dict, member: str = "segmentedEmbeddingParams") -> None:
    """What the schema validator would word with the whole value in it: said briefly instead."""
    params = body.get(member)
    if not isinstance(params, dict):
        return
    given = [name for name in MODALITIES if name in params]
    if len(given) > 1:
        detail = f"#/{member}: only one of [{', '.join(MODALITIES)}] is permitted, found: {given}"
        raise BedrockError.validation(msg_malformed(detail))
    text = params.get("text")
    if isinstance(text, dict) and {"value", "source"} <= set(text):
        detail = f"#/{member}/text: only one of [value, source] is permitted, found: ['value', 'source']"
        raise BedrockError.validation(msg_malformed(detail))
    if isinstance(text, dict) and isinstance(text.get("value"), str) and len(text["value"]) > MAX_TEXT_VALUE:
        detail = f"#/{member}/text/value: expected maxLength: {MAX_TEXT_VALUE}, actual: "
        raise BedrockError.validation(msg_malformed(detail + str(len(text["value"]))))
    for name in given:
        source = params[name].get("source") if isinstance(params[name], dict) else None
        uri = ((source if isinstance(source, dict) else {}).get("s3Location") or {}).get("uri")
        if isinstance(uri, str) and not uri.startswith("s3://"):
            where = f"#/{member}/{name}/source/s3Location/uri"
            raise BedrockError.validation(msg_malformed(f"{where}: string [{uri}] does not match pattern ^s3://"))


def check(body: dict) -> None:
    """StartAsyncInvoke's checks of the model input: Bedrock's 'Malformed input request' when it breaks them."""
    _precheck(body)
    schema.check(BODY, body)


@dataclass(frozen=True)
class Segment:
    """One piece of the input: what its vector is made from, and its segmentMetadata."""

    key: str
    metadata: dict


def split_text(text: str, limit: int) -> list[Segment]:
    """Pieces of at most `limit` characters, cut at the last whitespace when a word would be split.
    Positions are zero-based, the end exclusive (the page's field list)."""
    pieces, start = [], 0
    while start < len(text):
        end = min(start + limit, len(text))
        if end < len(text) and not text[end].isspace():
            cut = max(text.rfind(" ", start, end), text.rfind("\n", start, end))
            end = cut + 1 if cut > start else end
        metadata = {"segmentIndex": len(pieces), "segmentStartCharPosition": start, "segmentEndCharPosition": end}
        pieces.append(Segment(text[start:end], metadata))
        start = end
        while start < len(text) and text[start].isspace():  # the whitespace a cut fell on opens no segment
            start += 1
    return pieces


def split_seconds(digest: str, seconds: float, step: int) -> list[Segment]:
    pieces, start = [], 0.0
    while start < seconds or not pieces:
        end = min(start + step, seconds)
        metadata = {"segmentIndex": len(pieces), "segmentStartSeconds": start, "segmentEndSeconds": round(end, 3)}
        pieces.append(Segment(f"{digest}@{start}", metadata))
        start = float(start + step)
    return pieces


def wav_seconds(data: bytes) -> float | None:
    try:
        with wave.open(io.BytesIO(data)) as audio:
            return audio.getnframes() / audio.getframerate()
    except (wave.Error, EOFError, ZeroDivisionError):
        return None


@dataclass
class Job:
    """One invocation's work: the validated model input, the catalog's limits, S3 to read and write."""

    model_input: dict
    limits: dict
    s3: object  # a boto3 S3 client for moto
    folder_uri: str  # s3://bucket/prefix/<invocation id>

    @property
    def params(self) -> dict:
        return self.model_input["segmentedEmbeddingParams"]

    @property
    def modality(self) -> str:
        return next(name for name in MODALITIES if name in self.params)

    @property
    def dimension(self) -> int:
        return self.params.get("embeddingDimension", self.limits["defaultDimension"])

    def read_source(self) -> tuple[str, bytes]:
        uri = self.params[self.modality]["source"]["s3Location"]["uri"]
        bucket, _, key = uri[len("s3://") :].partition("/")
        try:
            size = self.s3.head_object(Bucket=bucket, Key=key)["ContentLength"]
            if size > self.limits["maxInputBytes"][self.modality]:
                raise Failure(MSG_TOO_LARGE.format(modality=self.modality))
            return uri, self.s3.get_object(Bucket=bucket, Key=key)["Body"].read()
        except self.s3.exceptions.ClientError:
            raise Failure(MSG_NO_SOURCE) from None

    def segments(self) -> tuple[str | None, dict[str, list[Segment]]]:
        """The source URI (None for inline text) and the segments of each embedding type."""
        spec = self.params[self.modality]
        if self.modality == "text" and "value" in spec:
            uri, text = None, spec["value"]
        else:
            uri, data = self.read_source()
            if self.modality == "image":
                return uri, {"IMAGE": [Segment(hashlib.sha256(data).hexdigest(), {"segmentIndex": 0})]}
            if self.modality != "text":
                return uri, self.timed(data)
            text = data.decode("utf-8", errors="replace")
        limit = (spec.get("segmentationConfig") or {}).get("maxLengthChars", DEFAULT_CHARS)
        return uri, {"TEXT": self.capped(split_text(text, limit))}

    def timed(self, data: bytes) -> dict[str, list[Segment]]:
        spec = self.params[self.modality]
        header = mp4_header(data) if spec["format"] in ("mp4", "mov") else None
        seconds = (header or {}).get("duration") if self.modality == "video" else None
        if self.modality == "audio" and spec["format"] == "wav":
            seconds = wav_seconds(data)
        if seconds is None:
            raise Failure(MSG_NOT_MEASURED.format(modality=self.modality))
        if seconds > self.limits["maxSeconds"][self.modality]:
            raise Failure(MSG_TOO_LONG.format(modality=self.modality))
        step = (spec.get("segmentationConfig") or {}).get("durationSeconds", DEFAULT_SECONDS)
        pieces = self.capped(split_seconds(hashlib.sha256(data).hexdigest(), seconds, step))
        if self.modality == "audio":
            return {"AUDIO": pieces}
        if spec["embeddingMode"] == "AUDIO_VIDEO_COMBINED":
            return {"AUDIO_VIDEO_COMBINED": pieces}
        return {"VIDEO": pieces, "AUDIO": pieces}

    def capped(self, pieces: list[Segment]) -> list[Segment]:
        limit = self.limits["maxSegments"][self.modality]
        if len(pieces) > limit:
            raise Failure(MSG_TOO_MANY_SEGMENTS.format(limit=f"{limit:,}"))
        return pieces


OUTPUT_FILES = {
    "TEXT": "embedding-text.jsonl",
    "IMAGE": "embedding-image.json",
    "AUDIO": "embedding-audio.jsonl",
    "VIDEO": "embedding-video.jsonl",
    "AUDIO_VIDEO_COMBINED": "embedding-audio-video.jsonl",
}


def line(kind: str, segment: Segment, dimension: int) -> bytes:
    embedding = vector(f"{kind}:{segment.key}", dimension, True)
    row = {"embedding": embedding, "segmentMetadata": segment.metadata, "status": "SUCCESS"}
    return json.dumps(row, separators=(",", ":")).encode("utf-8") + b"\n"


def run(job: Job) -> list[str]:
    """Embed every segment and write the output folder; the keys written, result file last."""
    uri, by_kind = job.segments()
    bucket, _, folder = job.folder_uri[len("s3://") :].partition("/")
    results, written = [], []
    try:
        for kind, pieces in by_kind.items():
            key = f"{folder}/{OUTPUT_FILES[kind]}"
            job.s3.put_object(Bucket=bucket, Key=key, Body=b"".join(line(kind, p, job.dimension) for p in pieces))
            results.append({"embeddingType": kind, "status": "SUCCESS", "outputFileUri": f"s3://{bucket}/{key}"})
            written.append(key)
        summary = {"embeddingDimension": job.dimension, "embeddingResults": results}
        if uri is not None:  # inline text has no source file
            summary = {"sourceFileUri": uri, **summary}
        key = f"{folder}/{RESULT_FILE}"
        job.s3.put_object(Bucket=bucket, Key=key, Body=json.dumps(summary, indent=2).encode("utf-8"))
    except job.s3.exceptions.ClientError:
        raise Failure(MSG_NO_OUTPUT) from None
    return [*written, key]


def invoke(call):
    """InvokeModel on Nova Multimodal Embeddings: one vector per embedding type of the content given."""
    resolved = call.resolve()
    call.authorize_model(INVOKE_ACTION, resolved)
    native.check_content_types(call.request, "accept")
    body = native.parse_body(call.request.body)
    _precheck(body, "singleEmbeddingParams")
    schema.check(SINGLE_BODY, body)
    params = body["singleEmbeddingParams"]
    modality = next(name for name in MODALITIES if name in params)
    spec, dimension = (
        params[modality],
        params.get("embeddingDimension", resolved.model["asyncInvoke"]["defaultDimension"]),
    )
    content = spec.get("value") or json.dumps(spec.get("source"), sort_keys=True)
    kinds = {"text": ["TEXT"], "image": ["IMAGE"], "audio": ["AUDIO"]}.get(modality)
    if kinds is None:
        kinds = ["AUDIO_VIDEO_COMBINED"] if spec["embeddingMode"] == "AUDIO_VIDEO_COMBINED" else ["VIDEO", "AUDIO"]
    key = hashlib.sha256(content.encode("utf-8")).hexdigest()
    found = [{"embeddingType": kind, "embedding": vector(f"{kind}:{key}", dimension, True)} for kind in kinds]
    count = tokens.count(spec["value"]) if "value" in spec else 0
    headers = {"X-Amzn-Bedrock-Input-Token-Count": str(count), "X-Amzn-Bedrock-Output-Token-Count": "0"}
    return json_response({"embeddings": found}, call.request, headers=headers)
