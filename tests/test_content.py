"""The content helpers: formats from magic bytes, legal document names, and every check before sending."""

from __future__ import annotations

import io

import pytest
from botocore.exceptions import ClientError
from PIL import Image

from helpers import content, formats
from helpers.content import ContentError
from helpers.paths import DATA

SAMPLES = DATA / "samples"


def png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (10, 20, 30)).save(out, format="PNG")
    return out.getvalue()


@pytest.mark.parametrize(
    "name, kind, fmt",
    [
        ("landscape.png", "image", "png"),
        ("shapes.jpg", "image", "jpeg"),
        ("Q2_2025_earnings.v1.pdf", "document", "pdf"),
        ("office_move.docx", "document", "docx"),
        ("budget_2025.xlsx", "document", "xlsx"),
        ("MyDocument.txt", "document", "txt"),
        ("release_notes.md", "document", "md"),
        ("quarterly_sales.csv", "document", "csv"),
        ("careers.html", "document", "html"),
        ("clip.mp4", "video", "mp4"),
    ],
)
def test_every_sample_gets_its_format(name, kind, fmt):
    block = getattr(content, kind)(SAMPLES / name)
    assert block[kind]["format"] == fmt
    assert block[kind]["source"]["bytes"] == (SAMPLES / name).read_bytes()


def test_format_comes_from_the_bytes_not_the_extension(tmp_path):
    disguised = tmp_path / "photo.jpg"
    disguised.write_bytes((SAMPLES / "landscape.png").read_bytes())
    assert content.image(disguised) == {"image": {"format": "png", "source": {"bytes": disguised.read_bytes()}}}
    assert content.image(b"\xff\xd8\xff\xe0rest")["image"]["format"] == "jpeg"
    assert formats.sniff(b"GIF89a....") == "gif" and formats.sniff(b"RIFF\0\0\0\0WEBPVP8 ") == "webp"
    assert formats.sniff(b"\x1a\x45\xdf\xa3....webm") == "webm" and formats.sniff(b"\0\0\0\x14ftypqt  ") == "mov"


def test_a_declared_format_must_match_the_bytes():
    data = (SAMPLES / "landscape.png").read_bytes()
    with pytest.raises(
        ContentError,
        match=r"^The image was declared 'jpeg' but its bytes are 'png': use format='png' or leave format out\.$",
    ):
        content.image(data, format="jpeg")


@pytest.mark.parametrize(
    "call, message",
    [
        (
            lambda: content.image(SAMPLES / "MyDocument.txt"),
            "MyDocument.txt is a document (txt), not an image Bedrock accepts (png, jpeg, gif, webp).",
        ),
        (
            lambda: content.image(SAMPLES / "Q2_2025_earnings.v1.pdf"),
            "Q2_2025_earnings.v1.pdf is a document (pdf), not an image Bedrock accepts (png, jpeg, gif, webp).",
        ),
        (
            lambda: content.document(SAMPLES / "clip.mp4"),
            "clip.mp4 is a video (mp4), not a document Bedrock accepts (pdf, csv, doc, docx, xls, xlsx, html, txt, md).",
        ),
        (
            lambda: content.video(SAMPLES / "shapes.jpg"),
            "shapes.jpg is an image (jpeg), not a video Bedrock accepts (mkv, mov, mp4, webm, flv, mpeg, mpg, wmv, three_gp).",
        ),
        (
            lambda: content.image(b"BM\x00\x00 a bitmap"),
            "These bytes are an unsupported format, not an image Bedrock accepts (png, jpeg, gif, webp).",
        ),
        (
            lambda: content.image(b"x", format="bmp"),
            "Bedrock does not accept image format 'bmp'; use one of: png, jpeg, gif, webp.",
        ),
    ],
)
def test_unsupported_formats_are_refused(call, message):
    with pytest.raises(ContentError) as caught:
        call()
    assert str(caught.value) == message


def test_missing_empty_and_wrong_type_sources():
    with pytest.raises(ContentError, match=r"^No image file at 'nope.png': check the path\.$"):
        content.image(SAMPLES / "nope.png")
    with pytest.raises(ContentError, match=r"^The image bytes are empty\.$"):
        content.image(b"")
    with pytest.raises(ContentError, match=r"^A document comes from a file path or from bytes, not int\.$"):
        content.document(42)
    with pytest.raises(ContentError, match="A text block needs some text"):
        content.text("  ")


@pytest.mark.parametrize(
    "filename, name",
    [
        ("Q2_report.v3.pdf", "Q2_report v3"),
        ("Q2_2025_earnings.v1.pdf", "Q2_2025_earnings v1"),
        ("DocumentPDFmessages_1a2b_pdf.pdf", "DocumentPDFmessages_1a2b_pdf"),
        ("年报\u3000Q2.pdf", "Q2"),
        ("notes  (draft).md", "notes (draft)"),
        ("[final] budget-2025.xlsx", "[final] budget-2025"),
        ("résumé.docx", "r sum"),
        ("#&!.txt", "document"),
        ("x" * 250 + ".txt", "x" * 200),
    ],
)
def test_document_names_are_made_legal(filename, name):
    assert content.document_name(filename) == name
    assert formats.is_legal_document_name(name)


@pytest.mark.parametrize(
    "name, accepted",
    [
        ("test_name", True),  # underscores: accepted live though not in the documented list
        ("test__name", True),
        ("DocumentPDFmessages_1a2b_pdf", True),  # how litellm names PDFs
        ("test\u3000name", False),  # an ideographic space is refused live, even alone
        ("r\u00e9sum\u00e9", False),
        ("Q2_report.v3", False),
    ],
)
def test_helpers_and_emulator_agree_on_document_names_as_live_bedrock(runtime, name, accepted):
    data = (SAMPLES / "MyDocument.txt").read_bytes()
    block = {"document": {"format": "txt", "name": name, "source": {"bytes": data}}}
    messages = [{"role": "user", "content": [block, {"text": "Summarise."}]}]
    assert formats.is_legal_document_name(name) is accepted
    if accepted:
        assert content.document(data, name=name)["document"]["name"] == name
        assert runtime.converse(modelId="amazon.nova-lite-v1:0", messages=messages)["stopReason"] == "end_turn"
    else:
        with pytest.raises(ContentError):
            content.document(data, name=name)
        with pytest.raises(ClientError) as refused:
            runtime.converse(modelId="amazon.nova-lite-v1:0", messages=messages)
        assert refused.value.response["Error"]["Message"].startswith("The document file name can only contain")


def test_a_document_name_you_choose_is_checked_not_changed():
    data = (SAMPLES / "MyDocument.txt").read_bytes()
    assert content.document(data, name="MyDocument")["document"] == {
        "format": "txt",
        "name": "MyDocument",
        "source": {"bytes": data},
    }
    with pytest.raises(ContentError) as caught:
        content.document(data, name="Q2_report.v3")
    assert str(caught.value) == (
        "The document name 'Q2_report.v3' is not allowed: use only letters, digits, single "
        "spaces, underscores, hyphens, parentheses and square brackets (at most 200 characters), "
        "e.g. 'Q2_report v3'."
    )
    with pytest.raises(ContentError, match="The document name 'two  spaces' is not allowed"):
        content.document(data, name="two  spaces")


def test_bytes_with_a_file_name_use_its_extension_and_name():
    block = content.document(b"a,b\n1,2\n", filename="Q2_sales.csv")
    assert block == {"document": {"format": "csv", "name": "Q2_sales", "source": {"bytes": b"a,b\n1,2\n"}}}
    assert content.document(b"plain words")["document"]["format"] == "txt"


def test_image_over_3_75_mb_is_refused():
    with pytest.raises(ContentError) as caught:
        content.image(b"\x89PNG\r\n\x1a\n" + b"\0" * formats.MAX_IMAGE_BYTES)
    assert str(caught.value) == (
        "The image is 3.75 MB (3,932,168 bytes); Bedrock accepts images up to 3.75 MB "
        "(3,932,160 bytes). Shrink it first: content.downscale(...)."
    )


def test_image_over_8000_pixels_is_refused():
    with pytest.raises(ContentError) as caught:
        content.image(png(8001, 10), filename="banner.png")
    assert str(caught.value) == (
        "banner.png is 8001 x 10 pixels; Bedrock accepts at most 8000 pixels a side. "
        "Shrink it first: content.downscale(...)."
    )
    assert content.image(png(8000, 10))["image"]["format"] == "png"


def test_downscale_keeps_the_aspect_ratio_and_says_what_it_did():
    result = content.downscale(png(9000, 3000), max_side=1200)
    assert result.new_size == (1200, 400) and result.original_size == (9000, 3000)
    assert result.block["image"]["format"] == "jpeg"
    assert Image.open(io.BytesIO(result.block["image"]["source"]["bytes"])).size == (1200, 400)
    assert result.note == (
        f"Resized The image from 9000 x 3000 px ({result.original_bytes:,} bytes) to 1200 x 400 px "
        f"({result.new_bytes:,} bytes), saved as JPEG (quality 85); aspect ratio kept."
    )
    small = content.downscale(SAMPLES / "landscape.png")
    assert small.note == "landscape.png already fits: 640 x 400 px, 2,161 bytes; nothing changed."
    assert small.block == content.image(SAMPLES / "landscape.png")


def test_downscale_keeps_transparency_as_png():
    out = io.BytesIO()
    Image.new("RGBA", (3000, 1000), (0, 0, 0, 0)).save(out, format="PNG")
    result = content.downscale(out.getvalue(), max_side=300)
    assert result.block["image"]["format"] == "png" and result.new_size == (300, 100)


def test_downscale_refuses_what_is_not_an_image():
    with pytest.raises(ContentError, match=r"^MyDocument.txt cannot be read as an image"):
        content.downscale(SAMPLES / "MyDocument.txt")


def test_document_over_4_5_mb_is_refused():
    with pytest.raises(ContentError) as caught:
        content.document(b"a" * (formats.MAX_DOCUMENT_BYTES + 1), filename="big.txt")
    assert str(caught.value) == (
        "big.txt is 4.50 MB (4,718,593 bytes); Bedrock accepts documents up to 4.5 MB "
        "(4,718,592 bytes). Split it or send the pages that matter."
    )


def test_inline_video_over_25_mb_points_to_s3():
    head = (SAMPLES / "clip.mp4").read_bytes()[:32]
    with pytest.raises(ContentError) as caught:
        content.video(head + b"\0" * formats.MAX_INLINE_VIDEO_BYTES)
    assert str(caught.value) == (
        "The video is 25.00 MB (26,214,432 bytes); inline video is limited to 25 MB. Upload it "
        "to Amazon S3 and send an s3Location source instead: content.video('s3://bucket/key')."
    )


def test_s3_video_sources():
    assert content.video("s3://my-bucket/clips/clip.mp4") == {
        "video": {"format": "mp4", "source": {"s3Location": {"uri": "s3://my-bucket/clips/clip.mp4"}}}
    }
    assert content.s3_video("s3://b/movie.MOV", bucket_owner="111122223333")["video"] == {
        "format": "mov",
        "source": {"s3Location": {"uri": "s3://b/movie.MOV", "bucketOwner": "111122223333"}},
    }
    with pytest.raises(ContentError, match=r"^'s3://bucket-only' is not an S3 URI: write it as s3://bucket/key\.$"):
        content.s3_video("s3://bucket-only")
    with pytest.raises(ContentError, match=r"^Cannot tell the video format of 's3://b/clip': pass format="):
        content.s3_video("s3://b/clip")
    with pytest.raises(ContentError, match=r"^bucket_owner must be a 12-digit AWS account id, not 'me'\.$"):
        content.s3_video("s3://b/clip.mp4", bucket_owner="me")


def test_more_than_20_images_or_5_documents_per_request():
    picture = content.image(SAMPLES / "shapes.jpg")
    content.user_message("Compare.", *[picture] * 20)
    with pytest.raises(ContentError, match=r"^The request has 21 images; Bedrock accepts at most 20 per request\.$"):
        content.check_messages(
            [
                content.user_message("Compare.", *[picture] * 11),
                {"role": "assistant", "content": [{"text": "ok"}]},
                {"role": "user", "content": [{"text": "More."}, *[picture] * 10]},
            ]
        )
    docs = [content.document(b"words", name=f"note {n}") for n in range(6)]
    content.user_message("Compare.", *docs[:5])
    with pytest.raises(ContentError, match=r"^The request has 6 documents; Bedrock accepts at most 5 per request\.$"):
        content.user_message("Compare.", *docs)


def test_document_names_must_differ():
    doc = content.document(SAMPLES / "MyDocument.txt")
    with pytest.raises(ContentError) as caught:
        content.user_message("Compare.", doc, doc)
    assert str(caught.value) == (
        "Two documents are named 'MyDocument': Bedrock refuses duplicate document names "
        "in a request; give each document its own name."
    )


def test_a_document_needs_a_text_block_beside_it():
    doc = content.document(SAMPLES / "MyDocument.txt")
    with pytest.raises(ContentError) as caught:
        content.user_message(doc)
    assert str(caught.value) == (
        "messages[0] has a document but no text block: add a question or instruction "
        "beside it, e.g. content.text('Summarize this document.')."
    )


def test_images_and_documents_only_in_user_messages():
    picture = content.image(SAMPLES / "shapes.jpg")
    with pytest.raises(ContentError) as caught:
        content.check_messages(
            [
                {"role": "user", "content": [{"text": "Hi"}]},
                {"role": "assistant", "content": [{"text": "Look"}, picture]},
            ]
        )
    assert str(caught.value) == (
        "messages[1] is an assistant message with an image: images and documents may only be sent in user messages."
    )


def test_hand_built_blocks_are_checked_too():
    with pytest.raises(ContentError, match="The document name 'a.b' is not allowed"):
        content.check_messages(
            [
                {
                    "role": "user",
                    "content": [
                        {"text": "Read."},
                        {"document": {"format": "txt", "name": "a.b", "source": {"bytes": b"x"}}},
                    ],
                }
            ]
        )


def test_a_message_without_content_is_caught_before_sending():
    with pytest.raises(content.ContentError, match=r"messages\[0\] has no content"):
        content.user_message()
