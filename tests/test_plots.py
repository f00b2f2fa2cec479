"""helpers.plots draws the same bytes every time, whatever style the learner set, and the notebooks'
stored outputs hold the pictures they promise: PNGs of the size their text line states."""

from __future__ import annotations

import base64
import io
import json
import re
import struct

import matplotlib
import pytest
from PIL import Image

from conftest import require
from helpers import plots
from helpers.paths import DATA, NOTEBOOKS

SAMPLES = DATA / "samples"
KINDS = ["messageStart"] + ["contentBlockDelta"] * 6 + ["contentBlockStop", "messageStop", "metadata"]
CHART_LINE = re.compile(r"^<Chart size (\d+)x(\d+) with (\d+) Axes>$")

CHARTS = {
    "images": lambda: plots.images([(name, SAMPLES / name) for name in ("landscape.png", "shapes.jpg")]),
    "images_same_scale": lambda: plots.images(
        [("big", SAMPLES / "landscape.png"), ("small", SAMPLES / "shapes.jpg")], same_scale=True
    ),
    "pdf_page": lambda: plots.images([("page 1", plots.pdf_page((SAMPLES / "Q2_2025_earnings.v1.pdf").read_bytes()))]),
    "stream_timeline": lambda: plots.stream_timeline(KINDS, [i * 10.0 for i in range(len(KINDS))]),
    "model_prices": lambda: plots.model_prices(
        ["Nova Micro", "Claude Sonnet 4.6"], [0.035, 3], [0.14, 15], [128000, 1000000]
    ),
    "run_history": lambda: plots.run_history(
        {"input_tokens": [222, 17], "output_tokens": [31, 33], "cost_usd": [2.1e-5, None], "latency_ms": [289, None]}
    ),
}


def png_chunks(data: bytes) -> list[bytes]:
    """The chunk types of a PNG, in order."""
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    chunks, at = [], 8
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at : at + 8])
        chunks.append(kind)
        at += 12 + length
    return chunks


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_each_chart_renders_byte_identical_twice_and_ignores_the_learners_style(name):
    first = plots.png(CHARTS[name]())
    with matplotlib.rc_context({"font.size": 20, "axes.facecolor": "black", "figure.dpi": 300, "lines.linewidth": 5}):
        second = plots.png(CHARTS[name]())
    assert first == second
    assert matplotlib.rcParams["font.size"] != 20  # the learner's settings come back after drawing


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_a_chart_is_a_png_of_its_stated_size_without_software_or_time_metadata(name):
    figure = CHARTS[name]()
    data = plots.png(figure)
    width, height = (round(v) for v in figure.get_size_inches() * plots.DPI)
    assert repr(figure) == f"<Chart size {width}x{height} with {len(figure.axes)} Axes>"
    with Image.open(io.BytesIO(data)) as picture:
        assert (picture.format, picture.size) == ("PNG", (width, height))
    chunks = png_chunks(data)
    assert not {b"tEXt", b"iTXt", b"zTXt", b"tIME"} & set(chunks), chunks
    assert b"matplotlib" not in data.lower()


def test_in_jupyter_a_chart_shows_its_png_and_a_stable_text_line():
    figure = CHARTS["stream_timeline"]()
    bundle = figure._repr_mimebundle_()
    assert base64.b64decode(bundle["image/png"]) == plots.png(figure)
    assert bundle["text/plain"] == "<Chart size 900x300 with 1 Axes>"


def test_the_timeline_marks_time_to_first_token_and_total_time():
    figure = plots.stream_timeline(KINDS, [i * 10.0 for i in range(len(KINDS))], title="paced")
    texts = [text.get_text() for text in figure.axes[0].texts]
    assert texts == ["time to first token: 10 ms", "total: 90 ms"]
    assert [label.get_text() for label in figure.axes[0].get_yticklabels()] == [
        "messageStart",
        "contentBlockDelta",
        "contentBlockStop",
        "messageStop",
        "metadata",
    ]


def test_same_scale_draws_a_smaller_picture_smaller():
    big, small = CHARTS["images_same_scale"]().axes
    assert big.get_xlim() == (0, 640) and small.get_xlim() == (0, 480)
    assert big.get_ylim() == small.get_ylim() == (400, 0)  # one pixel scale for both
    assert "PNG, 640 x 400 px, 2,161 bytes" in big.get_title()


def test_the_pdf_page_is_rendered_at_the_asked_width_with_ink_on_it():
    data = (SAMPLES / "Q2_2025_earnings.v1.pdf").read_bytes()
    page = plots.pdf_page(data, width=300)
    assert page.width == 300 and 1.35 < page.height / page.width < 1.45  # a portrait A4 or Letter page
    assert page.convert("L").getextrema()[0] < 64  # some dark text, not a blank page
    assert plots.pdf_pages(data) == 2


def test_document_previews_show_the_first_lines_a_reader_sees():
    def preview(name):
        return plots.document_preview(name, (SAMPLES / name).read_bytes(), lines=2)

    assert preview("office_move.docx") == (
        "Memo: office move\nThe Portland team moves to 200 River Street on 1 September 2025."
    )
    assert preview("budget_2025.xlsx") == "Department | Budget (USD thousands)\nEngineering | 4200"
    assert preview("quarterly_sales.csv") == "quarter,segment,revenue_usd_millions\nQ2 2024,Field sensors,39.8"


def test_video_facts_come_from_the_header_without_ffmpeg():
    facts = plots.video_facts(SAMPLES / "clip.mp4")
    assert (round(facts["duration"], 1), facts["width"], facts["height"]) == (4.0, 320, 240)


def test_ffmpeg_decodes_distinct_frames_of_the_sample_video():
    require("ffmpeg")
    frames = plots.video_frames(SAMPLES / "clip.mp4", count=4)
    assert [seconds for seconds, _ in frames] == [0.5, 1.5, 2.5, 3.5]
    assert all(picture.size == (320, 240) for _, picture in frames)
    assert len({picture.tobytes() for _, picture in frames}) == 4  # the test pattern moves


def test_without_ffmpeg_the_strip_keeps_its_layout_and_says_how_to_install_it(monkeypatch):
    monkeypatch.setattr(plots.shutil, "which", lambda name: None)
    assert plots.video_frames(SAMPLES / "clip.mp4") is None
    figure = plots.video_strip(SAMPLES / "clip.mp4", count=4)
    assert repr(figure) == "<Chart size 960x230 with 4 Axes>"  # the stored output's line, with or without ffmpeg
    assert all("apt-get install ffmpeg" in ax.texts[0].get_text() for ax in figure.axes)
    assert figure.get_suptitle() == "clip.mp4: 4.0 s, 320 x 240 px"


def test_the_playground_draws_its_history_beside_the_table(runtime):
    from helpers.widgets import Playground

    pg = Playground(runtime, model_id="amazon.nova-lite-v1:0", prompt="What shapes do you see?")
    pg.send()
    pg.send()
    (shown,) = pg.history_chart.outputs
    assert shown["data"]["text/plain"] == "<Chart size 900x260 with 3 Axes>"
    assert base64.b64decode(shown["data"]["image/png"]) == plots.png(plots.run_history(pg.history()))
    assert len(pg.history()) == 2


# Each notebook promised a picture by issue 17, with the size of its stored PNG.
EXPECTED = {
    "02_list_models.ipynb": 1,
    "04_image_understanding.ipynb": 2,
    "05_document_understanding.ipynb": 1,
    "06_video_understanding.ipynb": 1,
    "07_streaming.ipynb": 1,
    "13_prompt_playground.ipynb": 1,
}


@pytest.mark.parametrize("notebook", sorted(EXPECTED))
def test_stored_notebook_pictures_are_pngs_of_the_size_their_text_states(notebook):
    cells = json.loads((NOTEBOOKS / notebook).read_text(encoding="utf-8"))["cells"]
    found = []
    for cell in cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "image/png" not in data:
                continue
            line = "".join(data["text/plain"])
            match = CHART_LINE.match(line)
            assert match, f"{cell['id']}: {line!r}"
            with Image.open(io.BytesIO(base64.b64decode(data["image/png"]))) as picture:
                assert picture.format == "PNG"
                assert picture.size == (int(match[1]), int(match[2])), cell["id"]
                low, high = picture.convert("L").getextrema()
                assert high - low > 64, f"{cell['id']}: a blank picture"
            found.append(cell["id"])
    assert len(found) == EXPECTED[notebook], found
