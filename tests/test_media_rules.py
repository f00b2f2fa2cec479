"""Bedrock's media rules in the emulator: status, error code and exact message for each, through real
boto3 in-process and over HTTP, in Converse, ConverseStream and the native Invoke bodies."""

from __future__ import annotations

import base64
import io
import json

import pytest
import rawhttp
from botocore.exceptions import ClientError
from PIL import Image

from conftest import error_of
from helpers.formats import MAX_DOCUMENT_BYTES, MAX_IMAGE_BYTES, MAX_INLINE_VIDEO_BYTES
from helpers.offline import media_rules
from helpers.paths import DATA

SAMPLES = DATA / "samples"
SONNET = "global.anthropic.claude-sonnet-4-6"
HAIKU = "us.anthropic.claude-haiku-4-5-20251001-v1:0"
HAIKU_35 = "us.anthropic.claude-3-5-haiku-20241022-v1:0"  # migrate_models: keep (text only; EOL 2026-06-19)
NOVA_PRO = "amazon.nova-pro-v1:0"
NOVA_MICRO = "amazon.nova-micro-v1:0"
TITAN = "amazon.titan-text-express-v1"

PNG = (SAMPLES / "landscape.png").read_bytes()
MP4 = (SAMPLES / "clip.mp4").read_bytes()
TXT = (SAMPLES / "MyDocument.txt").read_bytes()


def image(data: bytes = PNG, fmt: str = "png") -> dict:
    return {"image": {"format": fmt, "source": {"bytes": data}}}


def document(name: str = "MyDocument", data: bytes = TXT) -> dict:
    return {"document": {"format": "txt", "name": name, "source": {"bytes": data}}}


def video(data: bytes = MP4) -> dict:
    return {"video": {"format": "mp4", "source": {"bytes": data}}}


def user(*blocks) -> dict:
    return {"role": "user", "content": list(blocks)}


def png_of(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 10, 10)).save(out, format="PNG")
    return out.getvalue()


def refused(client, model: str, messages: list[dict], operation: str = "converse") -> tuple[int, str, str]:
    with pytest.raises(ClientError) as caught:
        response = getattr(client, operation)(modelId=model, messages=messages)
        list(response.get("stream", []))
    return error_of(caught)


def validation(message: str) -> tuple[int, str, str]:
    return 400, "ValidationException", message


UNSUPPORTED = (
    "This model doesn't support the {} content block that you provided. Try again with input that the model supports."
)


@pytest.mark.parametrize(
    "model, block, kind",
    [
        (SONNET, video(), "video"),
        (NOVA_MICRO, image(), "image"),
        (NOVA_MICRO, video(), "video"),
        ("meta.llama3-8b-instruct-v1:0", image(), "image"),
        (NOVA_MICRO, document(), "document"),
    ],
)
def test_models_refuse_the_media_they_cannot_see(runtime, model, block, kind):
    assert refused(runtime, model, [user({"text": "What is this?"}, block)]) == validation(UNSUPPORTED.format(kind))


@pytest.mark.parametrize(
    "model, block, kind",
    [
        (HAIKU_35, image(), "image"),
        (TITAN, image(), "image"),
        ("anthropic.claude-v2:1", document(), "document"),  # migrate_models: keep
    ],
)
def test_2024_models_refused_the_media_they_could_not_see(replay_day, runtime, model, block, kind):
    assert refused(runtime, model, [user({"text": "What is this?"}, block)]) == validation(UNSUPPORTED.format(kind))


@pytest.mark.parametrize(
    "model, block",
    [
        (NOVA_PRO, video()),
        (SONNET, image()),
        (HAIKU, document()),
        ("amazon.nova-lite-v1:0", video()),
        ("us.amazon.nova-2-lite-v1:0", image()),
    ],
)
def test_models_accept_the_media_they_can_see(runtime, model, block):
    assert (
        runtime.converse(modelId=model, messages=[user({"text": "What is this?"}, block)])["stopReason"] == "end_turn"
    )


def test_document_name_rule_word_for_word(runtime):
    status = refused(runtime, SONNET, [user({"text": "Summarize."}, document("Q2_report.v3"))])
    assert status == validation(
        "The document file name can only contain alphanumeric characters, whitespace characters, hyphens, "
        "parentheses, and square brackets. The name can't contain more than one consecutive whitespace character. "
        "Check that the file name conforms to these restrictions and retry your request."
    )
    assert refused(runtime, SONNET, [user({"text": "Summarize."}, document("two  spaces"))]) == status
    assert runtime.converse(
        modelId=SONNET, messages=[user({"text": "Summarize."}, document("Q2 report (v3) [final]-x"))]
    )


def test_image_over_3_75_mb(runtime):
    data = PNG + b"\0" * (MAX_IMAGE_BYTES + 1 - len(PNG))
    assert refused(runtime, SONNET, [user({"text": "Look."}, image(data))]) == validation(
        "The image at messages.0.content.1 is 3,932,161 bytes, which exceeds the maximum image size of "
        "3,932,160 bytes (3.75 MB). Reduce the image size and try again."
    )
    assert runtime.converse(modelId=SONNET, messages=[user({"text": "Look."}, image(data[:-1]))])


def test_image_over_8000_pixels(runtime):
    assert refused(runtime, SONNET, [user({"text": "Look."}, image(png_of(10, 8001)))]) == validation(
        "The image at messages.0.content.1 is 10 x 8001 pixels, which exceeds the maximum of 8000 pixels in "
        "width or height. Resize the image and try again."
    )
    assert runtime.converse(modelId=SONNET, messages=[user({"text": "Look."}, image(png_of(8000, 10)))])


def test_document_over_4_5_mb(runtime):
    big = b"a" * (MAX_DOCUMENT_BYTES + 1)
    assert refused(runtime, SONNET, [user({"text": "Read."}, document("big", big))]) == validation(
        "The document at messages.0.content.1 is 4,718,593 bytes, which exceeds the maximum document size of "
        "4,718,592 bytes (4.5 MB). Reduce the document size and try again."
    )


def test_inline_video_over_25_mb_points_to_s3(runtime):
    big = MP4 + b"\0" * (MAX_INLINE_VIDEO_BYTES + 1 - len(MP4))
    assert refused(runtime, NOVA_PRO, [user({"text": "Watch."}, video(big))]) == validation(
        "The video at messages.0.content.1 is 26,214,401 bytes, which exceeds the maximum of 26,214,400 bytes "
        "(25 MB) for a video sent as bytes. Upload the video to Amazon S3 and use an s3Location source."
    )
    s3 = {
        "video": {
            "format": "mp4",
            "source": {"s3Location": {"uri": "s3://bucket/big.mp4", "bucketOwner": "111122223333"}},
        }
    }
    assert runtime.converse(modelId=NOVA_PRO, messages=[user({"text": "Watch."}, s3)])["stopReason"] == "end_turn"


def test_more_than_20_images_in_a_request(runtime):
    messages = [
        user({"text": "One."}, *[image()] * 11),
        {"role": "assistant", "content": [{"text": "Ok."}]},
        user({"text": "Two."}, *[image()] * 10),
    ]
    assert refused(runtime, SONNET, messages) == validation("You can't include more than 20 images in a request.")
    assert runtime.converse(modelId=SONNET, messages=messages[:2] + [user({"text": "Two."}, *[image()] * 9)])


def test_more_than_5_documents_in_a_request(runtime):
    docs = [document(f"note {n}") for n in range(6)]
    assert refused(runtime, SONNET, [user({"text": "Compare."}, *docs)]) == validation(
        "You can't include more than 5 documents in a request."
    )
    assert runtime.converse(modelId=SONNET, messages=[user({"text": "Compare."}, *docs[:5])])


def test_duplicate_document_names(runtime):
    assert refused(runtime, SONNET, [user({"text": "Compare."}, document(), document())]) == validation(
        "Messages can't contain duplicate document names."
    )


def test_a_document_needs_a_text_block_beside_it(runtime):
    assert refused(runtime, SONNET, [user(document())]) == validation(
        "The message at messages.0 contains a document but no text. "
        "Add a text block with your question about the document and try again."
    )


@pytest.mark.parametrize("block, kind", [(image(), "image"), (document(), "document")])
def test_images_and_documents_only_in_user_messages(runtime, block, kind):
    messages = [
        user({"text": "Hi"}),
        {"role": "assistant", "content": [{"text": "See:"}, block]},
        user({"text": "Thanks"}),
    ]
    assert refused(runtime, SONNET, messages) == validation(
        f"The {kind} content block at messages.1.content.1 isn't allowed in an assistant message. Images and "
        f"documents can only be sent in user messages. Move the {kind} to a user message and try again."
    )


def test_the_rules_hold_in_converse_stream(runtime):
    assert refused(runtime, SONNET, [user({"text": "Watch."}, video())], "converse_stream") == validation(
        UNSUPPORTED.format("video")
    )
    assert refused(runtime, SONNET, [user(document())], "converse_stream")[2].startswith(
        "The message at messages.0 contains a document"
    )


def test_native_nova_and_claude_bodies_follow_the_same_rules(replay_day, runtime):
    big = base64.b64encode(PNG + b"\0" * MAX_IMAGE_BYTES).decode()
    nova = {
        "schemaVersion": "messages-v1",
        "messages": [
            {"role": "user", "content": [{"text": "Look."}, {"image": {"format": "png", "source": {"bytes": big}}}]}
        ],
    }
    with pytest.raises(ClientError) as caught:
        runtime.invoke_model(modelId=NOVA_PRO, body=json.dumps(nova))
    assert error_of(caught)[:2] == (400, "ValidationException")
    assert error_of(caught)[2].startswith("The image at messages.0.content.1 is 3,934,321 bytes")
    video_for_micro = {
        "schemaVersion": "messages-v1",
        "messages": [
            {
                "role": "user",
                "content": [
                    {"text": "Watch."},
                    {"video": {"format": "mp4", "source": {"bytes": base64.b64encode(MP4).decode()}}},
                ],
            }
        ],
    }
    with pytest.raises(ClientError) as caught:
        runtime.invoke_model(modelId=NOVA_MICRO, body=json.dumps(video_for_micro))
    assert error_of(caught) == validation(UNSUPPORTED.format("video"))
    claude = {
        "anthropic_version": "bedrock-2023-05-31",
        "max_tokens": 100,
        "messages": [
            {
                "role": "user",
                "content": [
                    {
                        "type": "image",
                        "source": {"type": "base64", "media_type": "image/png", "data": base64.b64encode(PNG).decode()},
                    },
                    {"type": "text", "text": "What is this?"},
                ],
            }
        ],
    }
    with pytest.raises(ClientError) as caught:
        runtime.invoke_model(modelId=HAIKU_35, body=json.dumps(claude))
    assert error_of(caught) == validation(UNSUPPORTED.format("image"))


def test_over_real_http(http_runtime):
    assert refused(http_runtime, SONNET, [user({"text": "Watch."}, video())]) == validation(UNSUPPORTED.format("video"))
    assert refused(http_runtime, SONNET, [user({"text": "Read."}, document("Q2_report.v3"))]) == validation(
        media_rules.MSG_DOCUMENT_NAME
    )
    big = MP4 + b"\0" * (MAX_INLINE_VIDEO_BYTES + 1 - len(MP4))
    assert refused(http_runtime, NOVA_PRO, [user({"text": "Watch."}, video(big))])[2].startswith(
        "The video at messages.0.content.1 is 26,214,401 bytes"
    )
    answer = http_runtime.converse(modelId=NOVA_PRO, messages=[user({"text": "What's in this video?"}, video())])
    assert "test pattern" in answer["output"]["message"]["content"][0]["text"]


@pytest.mark.parametrize("encoded", ["QQ==QUFB", "QUF", "QU@B", "A" * (1 << 20) + "QQ==" + "QUFB"])
def test_blobs_must_be_valid_base64_even_when_large(server, encoded):
    body = {
        "messages": [
            {"role": "user", "content": [{"text": "Look."}, {"image": {"format": "png", "source": {"bytes": encoded}}}]}
        ]
    }
    answer = rawhttp.converse(server.url, SONNET, body)
    assert (answer.status, answer.error_type) == (400, "ValidationException")
    assert answer.message == (
        "1 validation error detected: Value at 'messages.1.member.content.2.member.image.source.bytes' "
        "failed to satisfy constraint: Member must be valid base64"
    )
