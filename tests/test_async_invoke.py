"""Asynchronous invocation offline, through real clients (boto3 in-process and over HTTP, S3 read back
through the same endpoint): Amazon Nova Multimodal Embeddings started, polled to Completed and its
segmented embeddings read from S3; Bedrock's checks of the request and of the model input; idempotent
retries; listing with filters and pages; Nova Reel's end of life; the refusal of every other model."""

from __future__ import annotations

import hashlib
import io
import json
import math
import re
import time
import wave

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from botocore.validate import ParamValidator

from conftest import DUMMY, REGION, error_of
from helpers.offline import attach, shapes
from helpers.offline.async_invoke import MSG_INVOCATION_NOT_FOUND
from helpers.offline.async_invoke_ops import MSG_ASYNC_UNSUPPORTED, MSG_INVALID_REQUEST, MSG_NO_VIDEO_OFFLINE
from helpers.offline.errors import MSG_INVALID_MODEL, BedrockError, msg_malformed
from helpers.offline.lifecycle import MSG_END_OF_LIFE
from helpers.offline.nova_embeddings import (
    MSG_NO_OUTPUT,
    MSG_NO_SOURCE,
    MSG_NOT_MEASURED,
    MSG_TOO_MANY_SEGMENTS,
)
from helpers.paths import DATA

MME = "amazon.nova-2-multimodal-embeddings-v1:0"
NOVA_BODY = {"messages": [{"role": "user", "content": [{"text": "Hello"}]}]}
UNKNOWN_ARN = "arn:aws:bedrock:us-east-1:123456789012:async-invoke/abcdef123456"
ARN = re.compile(r"arn:aws:bedrock:us-east-1:123456789012:async-invoke/[a-z0-9]{12}")
CATALOG = json.loads((DATA / "catalog.json").read_text(encoding="utf-8"))
TEXT = " ".join(f"Review {n}: the kettle boils quickly and pours without a drip." for n in range(60))


# ---- clients --------------------------------------------------------------------------------------------
@pytest.fixture(params=["in-process", "http"])
def world(request, emulator):
    """(bedrock-runtime client, S3 client on the same endpoint, the emulator that answers both)."""
    s3_config = Config(s3={"addressing_style": "path"})
    if request.param == "in-process":
        runtime, s3 = (
            request.getfixturevalue("runtime"),
            boto3.client("s3", region_name=REGION, config=s3_config, **DUMMY),
        )
        attach(s3, emulator)
        return runtime, s3, emulator
    server = request.getfixturevalue("server")
    s3 = boto3.client("s3", region_name=REGION, endpoint_url=server.url, config=s3_config, **DUMMY)
    return request.getfixturevalue("http_runtime"), s3, server.emulator


@pytest.fixture
def client(world):
    return world[0]


@pytest.fixture
def bucket(world, request):
    """A bucket of the test's own: moto's S3 is one store per process."""
    name = "async-" + hashlib.sha256(request.node.nodeid.encode()).hexdigest()[:20]
    world[1].create_bucket(Bucket=name)
    return name


def output(bucket: str) -> dict:
    return {"s3OutputDataConfig": {"s3Uri": f"s3://{bucket}/embeddings/"}}


def text_input(dimension=256, max_chars=800, **text) -> dict:
    text = {"truncationMode": "END", "value": TEXT[:8000], "segmentationConfig": {"maxLengthChars": max_chars}, **text}
    params = {"embeddingPurpose": "GENERIC_INDEX", "embeddingDimension": dimension, "text": text}
    return {
        "schemaVersion": "nova-multimodal-embed-v1",
        "taskType": "SEGMENTED_EMBEDDING",
        "segmentedEmbeddingParams": params,
    }


def media_input(kind: str, uri: str, fmt: str, **extra) -> dict:
    params = {"embeddingPurpose": "GENERIC_INDEX", "embeddingDimension": 384}
    params[kind] = {"format": fmt, "source": {"s3Location": {"uri": uri}}, **extra}
    return {"taskType": "SEGMENTED_EMBEDDING", "segmentedEmbeddingParams": params}


def start(client, bucket="videos", model_input=None, **overrides) -> str:
    params = {"modelId": MME, "modelInput": model_input or text_input(), "outputDataConfig": output(bucket)}
    return client.start_async_invoke(**{**params, **overrides})["invocationArn"]


def finish(client, arn: str, timeout: float = 30) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        answer = client.get_async_invoke(invocationArn=arn)
        if answer["status"] != "InProgress" or time.monotonic() > deadline:
            return answer
        time.sleep(0.02)


def read(s3, uri: str) -> bytes:
    bucket, _, key = uri[len("s3://") :].partition("/")
    return s3.get_object(Bucket=bucket, Key=key)["Body"].read()


def lines(s3, uri: str) -> list[dict]:
    return [json.loads(line) for line in read(s3, uri).splitlines()]


def in_output_shape(answer: dict, operation: str) -> None:
    shape = shapes.service_model("bedrock-runtime").operation_model(operation).output_shape
    report = ParamValidator().validate({k: v for k, v in answer.items() if k != "ResponseMetadata"}, shape)
    assert not report.has_errors(), report.generate_report()


# ---- a run, end to end ------------------------------------------------------------------------------------
def test_segmented_text_embeddings_complete_and_land_in_s3(world, bucket):
    client, s3, _ = world
    arn = start(client, bucket)
    assert ARN.fullmatch(arn)
    answer = finish(client, arn)
    in_output_shape(answer, "GetAsyncInvoke")
    invocation_id = arn.rsplit("/", 1)[1]
    assert answer["status"] == "Completed" and "failureMessage" not in answer
    assert answer["modelArn"] == f"arn:aws:bedrock:us-east-1::foundation-model/{MME}"
    assert answer["submitTime"] <= answer["lastModifiedTime"] == answer["endTime"]
    folder = f"s3://{bucket}/embeddings/{invocation_id}"
    assert answer["outputDataConfig"]["s3OutputDataConfig"]["s3Uri"] == folder
    keys = sorted(o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"])
    assert keys == [
        f"embeddings/{invocation_id}/{name}" for name in ("embedding-text.jsonl", "segmented-embedding-result.json")
    ]
    result = json.loads(read(s3, f"{folder}/segmented-embedding-result.json"))
    assert result == {
        "embeddingDimension": 256,
        "embeddingResults": [
            {"embeddingType": "TEXT", "status": "SUCCESS", "outputFileUri": f"{folder}/embedding-text.jsonl"}
        ],
    }
    segments = lines(s3, f"{folder}/embedding-text.jsonl")
    text = TEXT[:8000]
    assert (
        "".join(
            text[s["segmentMetadata"]["segmentStartCharPosition"] : s["segmentMetadata"]["segmentEndCharPosition"]]
            for s in segments
        )
        == text
    )
    for index, segment in enumerate(segments):
        meta = segment["segmentMetadata"]
        assert meta["segmentIndex"] == index and segment["status"] == "SUCCESS"
        assert 0 < meta["segmentEndCharPosition"] - meta["segmentStartCharPosition"] <= 800
        assert (
            meta["segmentEndCharPosition"] == len(text) or text[meta["segmentEndCharPosition"] - 1] == " "
        )  # word boundary
        assert len(segment["embedding"]) == 256
        assert math.isclose(math.fsum(v * v for v in segment["embedding"]), 1.0, rel_tol=1e-3)


def test_text_from_s3_names_its_source_and_the_same_input_embeds_alike(world, bucket):
    client, s3, _ = world
    s3.put_object(Bucket=bucket, Key="in/reviews.txt", Body=TEXT.encode())
    source = {"source": {"s3Location": {"uri": f"s3://{bucket}/in/reviews.txt"}}}
    model_input = text_input(dimension=1024, max_chars=1000)
    del model_input["segmentedEmbeddingParams"]["text"]["value"]
    model_input["segmentedEmbeddingParams"]["text"].update(source)
    folders = []
    for _ in range(2):
        answer = finish(client, start(client, bucket, model_input))
        assert answer["status"] == "Completed"
        folders.append(answer["outputDataConfig"]["s3OutputDataConfig"]["s3Uri"])
    assert folders[0] != folders[1]
    first, second = (read(s3, f"{folder}/embedding-text.jsonl") for folder in folders)
    assert first == second
    result = json.loads(read(s3, f"{folders[0]}/segmented-embedding-result.json"))
    assert result["sourceFileUri"] == f"s3://{bucket}/in/reviews.txt" and result["embeddingDimension"] == 1024
    rows = [json.loads(row) for row in first.splitlines()]
    assert len(rows) >= math.ceil(len(TEXT) / 1000) and all(len(row["embedding"]) == 1024 for row in rows)
    assert rows[-1]["segmentMetadata"]["segmentEndCharPosition"] == len(TEXT)


@pytest.mark.parametrize(
    ("mode", "files"),
    [
        ("AUDIO_VIDEO_COMBINED", {"AUDIO_VIDEO_COMBINED": "embedding-audio-video.jsonl"}),
        ("AUDIO_VIDEO_SEPARATE", {"VIDEO": "embedding-video.jsonl", "AUDIO": "embedding-audio.jsonl"}),
    ],
)
def test_a_video_is_cut_into_segments_of_its_duration(world, bucket, mode, files):
    client, s3, _ = world
    s3.put_object(Bucket=bucket, Key="in/clip.mp4", Body=(DATA / "samples" / "clip.mp4").read_bytes())  # 4.0 s
    uri = f"s3://{bucket}/in/clip.mp4"
    model_input = media_input("video", uri, "mp4", embeddingMode=mode, segmentationConfig={"durationSeconds": 3})
    answer = finish(client, start(client, bucket, model_input))
    folder = answer["outputDataConfig"]["s3OutputDataConfig"]["s3Uri"]
    result = json.loads(read(s3, f"{folder}/segmented-embedding-result.json"))
    assert result["sourceFileUri"] == uri
    assert [(r["embeddingType"], r["outputFileUri"]) for r in result["embeddingResults"]] == [
        (kind, f"{folder}/{name}") for kind, name in files.items()
    ]
    vectors = []
    for name in files.values():
        segments = lines(s3, f"{folder}/{name}")
        assert [s["segmentMetadata"] for s in segments] == [
            {"segmentIndex": 0, "segmentStartSeconds": 0.0, "segmentEndSeconds": 3.0},
            {"segmentIndex": 1, "segmentStartSeconds": 3.0, "segmentEndSeconds": 4.0},
        ]
        assert all(len(s["embedding"]) == 384 for s in segments)
        vectors += [s["embedding"] for s in segments]
    assert len({tuple(v) for v in vectors}) == len(vectors)  # audio and video of a segment differ


def wav(seconds: int, rate: int = 8000) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(1)
        audio.setframerate(rate)
        audio.writeframes(b"\x80" * rate * seconds)
    return buffer.getvalue()


def test_wav_audio_segments_by_the_default_five_seconds_and_an_image_gives_one_embedding(world, bucket):
    client, s3, _ = world
    s3.put_object(Bucket=bucket, Key="in/call.wav", Body=wav(12))
    audio = media_input("audio", f"s3://{bucket}/in/call.wav", "wav", segmentationConfig={})
    folder = finish(client, start(client, bucket, audio))["outputDataConfig"]["s3OutputDataConfig"]["s3Uri"]
    timings = [s["segmentMetadata"] for s in lines(s3, f"{folder}/embedding-audio.jsonl")]
    assert [(t["segmentStartSeconds"], t["segmentEndSeconds"]) for t in timings] == [
        (0.0, 5.0),
        (5.0, 10.0),
        (10.0, 12.0),
    ]
    s3.put_object(Bucket=bucket, Key="in/shapes.jpg", Body=(DATA / "samples" / "shapes.jpg").read_bytes())
    image = media_input("image", f"s3://{bucket}/in/shapes.jpg", "jpeg", detailLevel="STANDARD_IMAGE")
    folder = finish(client, start(client, bucket, image))["outputDataConfig"]["s3OutputDataConfig"]["s3Uri"]
    (only,) = lines(s3, f"{folder}/embedding-image.json")
    assert only["segmentMetadata"] == {"segmentIndex": 0} and len(only["embedding"]) == 384


# ---- how an invocation fails ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("prepare", "message"),
    [
        ("missing source", MSG_NO_SOURCE),
        ("missing output bucket", MSG_NO_OUTPUT),
        ("mp3", MSG_NOT_MEASURED.format(modality="audio")),
        ("too many segments", MSG_TOO_MANY_SEGMENTS.format(limit="1,900")),
    ],
)
def test_an_invocation_that_cannot_finish_fails_with_a_message(world, bucket, prepare, message):
    client, s3, _ = world
    target = bucket
    if prepare == "missing source":
        model_input = media_input("audio", f"s3://{bucket}/in/nothing.wav", "wav", segmentationConfig={})
    elif prepare == "missing output bucket":
        model_input, target = text_input(), "no-such-bucket-async"
    elif prepare == "mp3":
        s3.put_object(Bucket=bucket, Key="in/song.mp3", Body=b"ID3" + bytes(2000))
        model_input = media_input("audio", f"s3://{bucket}/in/song.mp3", "mp3", segmentationConfig={})
    else:  # 1,901 segments of at most 800 characters
        s3.put_object(Bucket=bucket, Key="in/long.txt", Body=("word " * 160 * 1901).encode())
        model_input = text_input()
        model_input["segmentedEmbeddingParams"]["text"] = {
            "truncationMode": "END",
            "source": {"s3Location": {"uri": f"s3://{bucket}/in/long.txt"}},
            "segmentationConfig": {"maxLengthChars": 800},
        }
    answer = finish(client, start(client, target, model_input))
    in_output_shape(answer, "GetAsyncInvoke")
    assert (answer["status"], answer["failureMessage"]) == ("Failed", message)
    assert answer["endTime"] >= answer["submitTime"]


def test_a_paused_invocation_stays_in_progress_with_nothing_written(world, bucket):
    client, s3, emulator = world
    emulator.async_invocations.pause()
    try:
        arn = start(client, bucket)
        time.sleep(0.2)
        answer = client.get_async_invoke(invocationArn=arn)
        assert answer["status"] == "InProgress" and "endTime" not in answer
        assert s3.list_objects_v2(Bucket=bucket).get("KeyCount") == 0
    finally:
        emulator.async_invocations.resume()
    assert finish(client, arn)["status"] == "Completed"


def test_a_retried_request_token_starts_nothing_twice(world, bucket):
    client, _, _ = world
    first = start(client, bucket, clientRequestToken="retry-me-1")
    assert start(client, bucket, clientRequestToken="retry-me-1") == first
    assert start(client, bucket, clientRequestToken="retry-me-2") != first
    listed = client.list_async_invokes()["asyncInvokeSummaries"]
    assert sorted(s["invocationArn"] for s in listed if s.get("clientRequestToken") == "retry-me-1") == [first]
    assert finish(client, first)["clientRequestToken"] == "retry-me-1"


# ---- StartAsyncInvoke's checks ----------------------------------------------------------------------------
def without(path: str) -> dict:
    body = text_input()
    *parents, last = path.split("/")
    node = body
    for part in parents:
        node = node[part]
    del node[last]
    return body


def changed(path: str, value) -> dict:
    body = text_input()
    *parents, last = path.split("/")
    node = body
    for part in parents:
        node = node[part]
    node[last] = value
    return body


P = "segmentedEmbeddingParams"
RULES = [
    (changed("taskType", "SINGLE_EMBEDDING"), "#/taskType: SINGLE_EMBEDDING is not a valid enum value"),
    (without("taskType"), "#: required key [taskType] not found"),
    (
        changed("schemaVersion", "nova-multimodal-embed-v2"),
        "#/schemaVersion: nova-multimodal-embed-v2 is not a valid enum value",
    ),
    (without(P), f"#: required key [{P}] not found"),
    (without(f"{P}/embeddingPurpose"), f"#/{P}: required key [embeddingPurpose] not found"),
    (changed(f"{P}/embeddingPurpose", "SEARCH"), f"#/{P}/embeddingPurpose: SEARCH is not a valid enum value"),
    (changed(f"{P}/embeddingDimension", 512), f"#/{P}/embeddingDimension: 512 is not a valid enum value"),
    (
        changed(f"{P}/text/segmentationConfig/maxLengthChars", 799),
        f"#/{P}/text/segmentationConfig/maxLengthChars: 799 is not greater or equal to 800",
    ),
    (
        changed(f"{P}/text/segmentationConfig/maxLengthChars", 50_001),
        f"#/{P}/text/segmentationConfig/maxLengthChars: 50001 is not less or equal to 50000",
    ),
    (without(f"{P}/text/segmentationConfig"), f"#/{P}/text: required key [segmentationConfig] not found"),
    (without(f"{P}/text/truncationMode"), f"#/{P}/text: required key [truncationMode] not found"),
    (changed(f"{P}/text/value", "x" * 8193), f"#/{P}/text/value: expected maxLength: 8192, actual: 8193"),
    (
        changed(f"{P}/text/source", {"s3Location": {"uri": "s3://a/b.txt"}}),
        f"#/{P}/text: only one of [value, source] is permitted, found: ['value', 'source']",
    ),
    (
        without(f"{P}/text/value"),
        f"#/{P}/text: required key [value] not found#/{P}/text: required key [source] not found",
    ),
    (
        changed(f"{P}/image", {"format": "png"}),
        f"#/{P}: only one of [text, image, audio, video] is permitted, found: ['text', 'image']",
    ),
    (changed(f"{P}/colour", "red"), f"#/{P}: extraneous key [colour] is not permitted"),
]


def media_rule(kind: str, **spec) -> dict:
    body = text_input()
    params = body[P]
    del params["text"]
    params[kind] = spec
    return body


S3 = {"s3Location": {"uri": "s3://videos/in/clip.mp4"}}
RULES += [
    (
        media_rule("video", format="mp4", source=S3, segmentationConfig={}),
        f"#/{P}/video: required key [embeddingMode] not found",
    ),
    (
        media_rule("video", format="avi", source=S3, embeddingMode="AUDIO_VIDEO_COMBINED", segmentationConfig={}),
        f"#/{P}/video/format: avi is not a valid enum value",
    ),
    (
        media_rule("audio", format="wav", source=S3, segmentationConfig={"durationSeconds": 31}),
        f"#/{P}/audio/segmentationConfig/durationSeconds: 31 is not less or equal to 30",
    ),
    (
        media_rule("audio", format="wav", source={"bytes": "AAAA"}, segmentationConfig={}),
        f"#/{P}/audio/source: required key [s3Location] not found#/{P}/audio/source: extraneous key [bytes] is not permitted",
    ),
    (
        media_rule("image", format="png", source={"s3Location": {"uri": "https://x/y.png"}}),
        f"#/{P}/image/source/s3Location/uri: string [https://x/y.png] does not match pattern ^s3://",
    ),
]


@pytest.mark.parametrize(("model_input", "detail"), RULES, ids=lambda v: v[:50] if isinstance(v, str) else None)
def test_the_model_input_is_checked_by_the_documented_rules(client, model_input, detail):
    with pytest.raises(ClientError) as excinfo:
        start(client, model_input=model_input)
    status, code, message = error_of(excinfo)
    assert (status, code) == (400, "ValidationException")
    assert message == msg_malformed(detail)
    assert client.list_async_invokes()["asyncInvokeSummaries"] == []


def test_a_model_input_that_is_not_an_object_is_not_a_valid_request(client):
    with pytest.raises(ClientError) as excinfo:
        client.start_async_invoke(
            modelId=MME, modelInput='{"taskType": "SEGMENTED_EMBEDDING"}', outputDataConfig=output("b-1")
        )
    assert error_of(excinfo) == (400, "ValidationException", MSG_INVALID_REQUEST)


def test_a_text_model_refuses_async_invocation(client):
    with pytest.raises(ClientError) as excinfo:
        start(client, modelId="amazon.nova-lite-v1:0", model_input=NOVA_BODY)
    assert error_of(excinfo) == (400, "ValidationException", MSG_ASYNC_UNSUPPORTED)


def callable_id(emulator, model: str) -> str | None:
    """The base id, or its US inference profile where the model needs one, if InvokeModel could use it today."""
    for identifier in (model, f"us.{model}"):
        try:
            emulator.catalog.resolve(identifier, REGION, emulator.clock)
            return identifier
        except BedrockError:
            continue
    return None


@pytest.mark.parametrize("model", [m["modelId"] for m in CATALOG["models"] if "asyncInvoke" not in m])
def test_every_other_catalog_model_is_refused_and_none_is_started(emulator, runtime, model):
    identifier = callable_id(emulator, model)
    if identifier is None:  # past its end of life, or not here: resolution fails first, as for InvokeModel
        with pytest.raises(BedrockError) as resolution:
            emulator.catalog.resolve(model, REGION, emulator.clock)
        identifier, expected = model, (resolution.value.status, resolution.value.code, resolution.value.message)
    else:
        expected = (400, "ValidationException", MSG_ASYNC_UNSUPPORTED)
    with pytest.raises(ClientError) as excinfo:
        start(runtime, modelId=identifier, model_input=NOVA_BODY)
    assert error_of(excinfo) == expected
    assert runtime.list_async_invokes()["asyncInvokeSummaries"] == []


def test_the_models_that_take_async_invocations_are_the_documented_ones():
    assert sorted(m["modelId"] for m in CATALOG["models"] if "asyncInvoke" in m) == [
        MME,
        "amazon.nova-reel-v1:0",
        "amazon.nova-reel-v1:1",
    ]


@pytest.mark.parametrize("reel", ["amazon.nova-reel-v1:0", "amazon.nova-reel-v1:1"])
def test_nova_reel_has_reached_its_end_of_life(client, reel):
    with pytest.raises(ClientError) as excinfo:
        start(client, modelId=reel, model_input={"taskType": "TEXT_VIDEO", "textToVideoParams": {"text": "A kettle"}})
    assert error_of(excinfo) == (404, "ResourceNotFoundException", MSG_END_OF_LIFE)


def test_on_a_day_nova_reel_was_active_its_invocation_fails_offline(replay_day, runtime):
    arn = start(runtime, modelId="amazon.nova-reel-v1:0", model_input={"taskType": "TEXT_VIDEO"})
    assert finish(runtime, arn)["failureMessage"] == MSG_NO_VIDEO_OFFLINE


def test_an_unknown_model_is_an_invalid_identifier(client):
    with pytest.raises(ClientError) as excinfo:
        start(client, modelId="amazon.nova-reel-v9:0")
    assert error_of(excinfo) == (400, "ValidationException", MSG_INVALID_MODEL)


@pytest.mark.parametrize(
    ("overrides", "constraint"),
    [
        ({"outputDataConfig": {"s3OutputDataConfig": {"s3Uri": "https://videos/out/"}}}, "s3Uri"),
        ({"outputDataConfig": {"s3OutputDataConfig": {"s3Uri": "s3://videos/", "bucketOwner": "12"}}}, "bucketOwner"),
        ({"modelId": "amazon nova"}, "modelId"),
        ({"tags": [{"key": "team", "value": "a!b"}]}, "value"),
        ({"clientRequestToken": "x" * 257}, "clientRequestToken"),
    ],
)
def test_the_service_model_constraints_come_first(client, overrides, constraint):
    with pytest.raises(ClientError) as excinfo:
        start(client, **overrides)
    status, code, message = error_of(excinfo)
    assert (status, code) == (400, "ValidationException")
    assert message.startswith("1 validation error detected: ") and constraint in message


# ---- GetAsyncInvoke and ListAsyncInvokes ------------------------------------------------------------------
def test_an_unknown_invocation_is_not_found(client):
    with pytest.raises(ClientError) as excinfo:
        client.get_async_invoke(invocationArn=UNKNOWN_ARN)
    assert error_of(excinfo) == (400, "ValidationException", MSG_INVOCATION_NOT_FOUND)


def test_a_malformed_invocation_arn_breaks_the_pattern(client):
    with pytest.raises(ClientError) as excinfo:
        client.get_async_invoke(invocationArn="arn:aws:bedrock:us-east-1:123456789012:async-invoke/TOO-LONG-ID")
    status, code, message = error_of(excinfo)
    assert (status, code) == (400, "ValidationException")
    assert message.startswith("1 validation error detected: ") and "invocationArn" in message


def test_listing_filters_sorts_and_pages(world, bucket):
    client, _, emulator = world
    done = [start(client, bucket) for _ in range(3)]
    failed = start(client, "no-such-bucket-async")
    for arn in [*done, failed]:
        finish(client, arn)
    emulator.clock.advance(60)
    later = start(client, bucket)
    finish(client, later)
    newest_first = client.list_async_invokes()
    in_output_shape(newest_first, "ListAsyncInvokes")
    assert [s["invocationArn"] for s in newest_first["asyncInvokeSummaries"]][0] == later
    completed = client.list_async_invokes(statusEquals="Completed", sortOrder="Ascending")["asyncInvokeSummaries"]
    assert [s["invocationArn"] for s in completed] == [*done, later]
    assert [s["invocationArn"] for s in client.list_async_invokes(statusEquals="Failed")["asyncInvokeSummaries"]] == [
        failed
    ]
    cut = client.get_async_invoke(invocationArn=later)["submitTime"]
    assert [s["invocationArn"] for s in client.list_async_invokes(submitTimeAfter=cut)["asyncInvokeSummaries"]] == []
    before = client.list_async_invokes(submitTimeBefore=cut)["asyncInvokeSummaries"]
    assert later not in {s["invocationArn"] for s in before} and len(before) == 4
    pages, token = [], None
    while True:
        page = client.list_async_invokes(maxResults=2, sortOrder="Ascending", **({"nextToken": token} if token else {}))
        pages.append([s["invocationArn"] for s in page["asyncInvokeSummaries"]])
        token = page.get("nextToken")
        if not token:
            break
    assert pages == [[*done[:2]], [done[2], failed], [later]]


@pytest.mark.parametrize(
    ("query", "constraint"),
    [({"maxResults": 1001}, "maxResults"), ({"nextToken": "a b"}, "nextToken")],
)
def test_listing_checks_the_query_against_the_service_model(client, query, constraint):
    with pytest.raises(ClientError) as excinfo:
        client.list_async_invokes(**query)
    status, code, message = error_of(excinfo)
    assert (status, code) == (400, "ValidationException")
    assert constraint in message


# ---- the same model through InvokeModel -------------------------------------------------------------------
def test_invoke_model_gives_one_embedding_and_refuses_a_titan_body(client):
    single = {
        "taskType": "SINGLE_EMBEDDING",
        "singleEmbeddingParams": {
            "embeddingPurpose": "GENERIC_INDEX",
            "embeddingDimension": 384,
            "text": {"truncationMode": "END", "value": "A kettle that pours without a drip"},
        },
    }
    answer = json.loads(client.invoke_model(modelId=MME, body=json.dumps(single))["body"].read())
    (embedding,) = answer["embeddings"]
    assert embedding["embeddingType"] == "TEXT" and len(embedding["embedding"]) == 384
    with pytest.raises(ClientError) as excinfo:
        client.invoke_model(modelId=MME, body=json.dumps({"inputText": "hi"}))
    detail = "#: required key [taskType] not found#: required key [singleEmbeddingParams] not found"
    assert error_of(excinfo) == (
        400,
        "ValidationException",
        msg_malformed(detail + "#: extraneous key [inputText] is not permitted"),
    )


@pytest.mark.parametrize(
    "text, limit, expected",
    [
        ("abcd efgh", 4, ["abcd", "efgh"]),  # the cut falls on the space: the next word stays whole
        ("one two three four", 8, ["one two ", "three ", "four"]),
        ("a  \n b", 1, ["a", "b"]),
    ],
)
def test_text_segments_never_open_with_the_whitespace_a_cut_fell_on(text, limit, expected):
    from helpers.offline.nova_embeddings import split_text

    segments = split_text(text, limit)
    assert [s.key for s in segments] == expected
    for segment in segments:
        start, end = segment.metadata["segmentStartCharPosition"], segment.metadata["segmentEndCharPosition"]
        assert text[start:end] == segment.key
