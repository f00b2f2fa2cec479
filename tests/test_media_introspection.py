"""What the offline model sees in the sample files, and the token rule for media: read from the bytes,
so the descriptions are true of the files and the same on every run."""

from __future__ import annotations

import io
import struct

import pytest
from PIL import Image

from helpers import content
from helpers.offline import media
from helpers.paths import DATA

SAMPLES = DATA / "samples"
NOVA_PRO = "amazon.nova-pro-v1:0"
SONNET = "global.anthropic.claude-sonnet-4-6"


def seen(kind: str, name: str) -> media.Seen:
    return media.inspect(getattr(content, kind)(SAMPLES / name))


def test_images_format_size_and_dominant_colours():
    landscape = seen("image", "landscape.png")
    assert landscape.facts == {
        "format": "png",
        "width": 640,
        "height": 400,
        "colours": ["sky blue", "green"],
        "bytes": 2161,
    }
    assert landscape.phrase == "a PNG image of 640 x 400 pixels whose main colours are sky blue (63%), green (31%)"
    shapes = seen("image", "shapes.jpg")
    assert (shapes.format, shapes.facts["width"], shapes.facts["height"]) == ("jpeg", 480, 320)
    assert shapes.facts["colours"] == ["white", "blue", "red", "yellow"]
    assert seen("image", "revenue_chart.png").facts["colours"] == ["white", "steel blue"]


def test_image_tokens_follow_the_pixel_rule():
    assert seen("image", "landscape.png").tokens == 342  # ceil(640 * 400 / 750)
    out = io.BytesIO()
    Image.new("RGB", (4000, 3000)).save(out, format="PNG")
    assert media.media_tokens(content.image(out.getvalue())) == media.IMAGE_TOKEN_CAP


def test_pdf_pages_title_and_beginning():
    pdf = seen("document", "Q2_2025_earnings.v1.pdf")
    assert pdf.facts["pages"] == 2
    assert pdf.facts["title"] == "Brightwater Instruments, Inc. Q2 2025 earnings report"
    assert pdf.facts["beginning"].startswith("Brightwater Instruments, Inc. Second quarter 2025 earnings report")
    assert pdf.phrase.startswith('a PDF document named "Q2_2025_earnings v1" of 2 pages titled ')


@pytest.mark.parametrize(
    "name, extent, beginning",
    [
        ("MyDocument.txt", "of 7 lines", "Brightwater Instruments - Remote Work Policy Employees may work remotely"),
        ("release_notes.md", "of 11 lines", "# Brightwater Field Sensor firmware 4.2 ## What's new"),
        (
            "quarterly_sales.csv",
            "of 10 rows of 3 columns",
            "quarter,segment,revenue_usd_millions Q2 2024,Field sensors,39.8",
        ),
        (
            "careers.html",
            'of one page titled "Brightwater Instruments - Careers"',
            "Join Brightwater Instruments We build sensors",
        ),
        ("office_move.docx", "of 4 paragraphs", "Memo: office move The Portland team moves to 200 River Street"),
        (
            "budget_2025.xlsx",
            "of 1 sheet (Budget 2025) with 5 rows",
            "Department | Budget (USD thousands) Engineering | 4200",
        ),
    ],
)
def test_every_document_format_is_read(name, extent, beginning):
    document = seen("document", name)
    assert f'{extent} that begins "{beginning}' in document.phrase
    assert document.tokens > 10


def test_legacy_and_damaged_documents_are_described_honestly():
    legacy = media.inspect(
        {"document": {"format": "doc", "name": "old", "source": {"bytes": b"\xd0\xcf\x11\xe0" + b"\0" * 1600}}}
    )
    assert legacy.phrase == (
        'a DOC document named "old" (1,604 bytes) in the legacy binary format, which the offline model does not read'
    )
    assert legacy.tokens == 2
    broken = media.inspect({"document": {"format": "pdf", "name": "broken", "source": {"bytes": b"%PDF-1.7 nothing"}}})
    assert broken.phrase == 'a PDF document named "broken" (16 bytes) that could not be read as pdf'


def test_mp4_header_gives_duration_and_resolution():
    clip = seen("video", "clip.mp4")
    assert clip.facts == {"container": "MP4", "duration": 4.0, "width": 320, "height": 240, "bytes": 36412}
    assert clip.phrase == "a 4.0-second video (MP4 container, 320 x 240 pixels)"
    assert clip.tokens == 4 * media.VIDEO_TOKENS_PER_SECOND


def test_mp4_header_version_1_boxes():
    mvhd = struct.pack(">I4sB3xQQIQ", 40, b"mvhd", 1, 0, 0, 1000, 2500)
    tkhd = struct.pack(">I4sB3x", 8 + 4 + 84 + 8, b"tkhd", 1) + b"\0" * 84 + struct.pack(">II", 1920 << 16, 1080 << 16)
    trak = struct.pack(">I4s", 8 + len(tkhd), b"trak") + tkhd
    moov = struct.pack(">I4s", 8 + len(mvhd) + len(trak), b"moov") + mvhd + trak
    data = struct.pack(">I4s4s", 16, b"ftyp", b"isom") + b"\0" * 4 + moov
    assert media.mp4_header(data) == {"duration": 2.5, "width": 1920, "height": 1080}


def test_other_containers_are_named_not_measured():
    webm = media.inspect(
        {"video": {"format": "webm", "source": {"bytes": b"\x1a\x45\xdf\xa3" + b"webm" + b"\0" * 1500}}}
    )
    assert webm.phrase == (
        "a video (WebM container, 1,508 bytes) whose duration and resolution are unknown because "
        "the offline model reads only MP4 and MOV headers"
    )
    truncated = media.inspect(
        {"video": {"format": "mp4", "source": {"bytes": (SAMPLES / "clip.mp4").read_bytes()[:40]}}}
    )
    assert truncated.phrase.endswith("unknown because its header could not be read")
    s3 = media.inspect(content.video("s3://my-bucket/clip.mp4"))
    assert s3.phrase == (
        "an MP4 video stored in Amazon S3 at s3://my-bucket/clip.mp4, which the offline model cannot "
        "fetch, so it has not seen its content"
    )
    assert s3.tokens == media.S3_VIDEO_SECONDS * media.VIDEO_TOKENS_PER_SECOND


def test_usage_counts_media_by_the_rule(runtime):
    question = {"text": "Describe it."}
    bare = runtime.converse(modelId=NOVA_PRO, messages=[{"role": "user", "content": [question]}])["usage"][
        "inputTokens"
    ]
    block = content.video(SAMPLES / "clip.mp4")
    both = runtime.converse(modelId=NOVA_PRO, messages=[{"role": "user", "content": [question, block]}])
    assert both["usage"]["inputTokens"] == bare + media.media_tokens(block)


def test_unscripted_prompts_get_a_truthful_description(runtime):
    reply = runtime.converse(
        modelId=SONNET,
        messages=[{"role": "user", "content": [{"text": "Describe it."}, content.image(SAMPLES / "shapes.jpg")]}],
    )
    text = reply["output"]["message"]["content"][0]["text"]
    assert (
        "a JPEG image of 480 x 320 pixels whose main colours are white (71%), blue (13%), red (10%), yellow (6%)"
        in text
    )


def test_scripted_replies_answer_only_the_sample_they_describe(runtime):
    ask = {"text": "What's in this image?"}
    landscape = runtime.converse(
        modelId=SONNET, messages=[{"role": "user", "content": [ask, content.image(SAMPLES / "landscape.png")]}]
    )
    assert "red triangular roof" in landscape["output"]["message"]["content"][0]["text"]
    other = runtime.converse(
        modelId=SONNET, messages=[{"role": "user", "content": [ask, content.image(SAMPLES / "revenue_chart.png")]}]
    )
    assert "roof" not in other["output"]["message"]["content"][0]["text"]
    assert "steel blue" in other["output"]["message"]["content"][0]["text"]


def test_seed_scripts_get_truthful_answers_over_http(http_runtime):
    """The seed pattern, unchanged: open the file, put its bytes in a block, call, print answer and usage."""
    with open(SAMPLES / "Q2_2025_earnings.v1.pdf", "rb") as f:
        report = f.read()
    question = (
        "How did revenue in the second quarter of 2025 compare with the previous quarter "
        "and with the same quarter a year earlier?"
    )
    response = http_runtime.converse_stream(
        modelId=SONNET,
        messages=[
            {
                "role": "user",
                "content": [
                    {"text": question},
                    {"document": {"name": "Q2 2025 earnings", "format": "pdf", "source": {"bytes": report}}},
                ],
            }
        ],
    )
    events = list(response["stream"])
    text = "".join(e["contentBlockDelta"]["delta"]["text"] for e in events if "contentBlockDelta" in e)
    assert "97.7 million USD" in text and "7.6%" in text and "19.3%" in text
    assert events[-1]["metadata"]["usage"]["inputTokens"] > media.media_tokens(
        content.document(SAMPLES / "Q2_2025_earnings.v1.pdf")
    )
    with open(SAMPLES / "shapes.jpg", "rb") as f:
        picture = f.read()
    answer = http_runtime.converse(
        modelId=NOVA_PRO,
        messages=[
            {
                "role": "user",
                "content": [{"text": "Describe it."}, {"image": {"format": "jpeg", "source": {"bytes": picture}}}],
            }
        ],
    )
    assert "a JPEG image of 480 x 320 pixels" in answer["output"]["message"]["content"][0]["text"]
