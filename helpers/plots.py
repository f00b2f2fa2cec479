"""Pictures and charts for the notebooks: plain data in, a figure out, drawn the same on every run.

    from helpers import plots
    plots.images([("landscape.png", png_bytes)])                  # pictures, small, with format and size
    plots.images([("original", big), ("downscaled", small)], same_scale=True)
    plots.images([("page 1", plots.pdf_page(pdf_bytes))])          # a PDF page, rendered by PDFium
    plots.video_strip(path)                                        # a few frames of a video (ffmpeg)
    plots.stream_timeline(kinds, times_ms)                         # ConverseStream events against time
    plots.model_prices(names, input_usd, output_usd, context)      # price and context window by model
    plots.run_history(frame)                                       # tokens, cost and latency per run

Stored notebook outputs are the workbook's regression baseline, so a chart must not change between runs
or machines. Every figure is a `Chart` (a matplotlib Figure) drawn by the Agg renderer, never through
pyplot's global state, at a fixed size and dpi, in matplotlib's default style with the font it ships
(DejaVu Sans) whatever style the learner has set; its PNG carries no software version or timestamp.
In Jupyter a Chart shows itself as that PNG, with `<Chart size 900x300 with 2 Axes>` as its text:
nbval skips image/png when comparing outputs and compares that line, which depends only on the layout.
"""

from __future__ import annotations

import base64
import io
import math
import shutil
import subprocess
from collections.abc import Sequence
from contextlib import contextmanager
from pathlib import Path

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

DPI = 100
THUMBNAIL_SIDE = 480  # pixels: pictures are drawn from a copy at most this large
STYLE = {
    "font.family": "DejaVu Sans",  # shipped inside matplotlib: the same glyphs on every machine
    "font.size": 9,
    "axes.titlesize": 9,
    "figure.dpi": DPI,
    "savefig.dpi": DPI,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "svg.hashsalt": "bedrock-converse-workbook",  # fixed ids should a learner save a chart as SVG
    "svg.fonttype": "path",
}
PNG_METADATA = {"Software": None}  # matplotlib writes its version there; nothing else is written
EVENT_ROWS = ["messageStart", "contentBlockStart", "contentBlockDelta", "contentBlockStop", "messageStop", "metadata"]
NO_FFMPEG = "ffmpeg is not installed:\nno frames to show\n(apt-get install ffmpeg,\nbrew install ffmpeg)"


@contextmanager
def _style():
    """matplotlib's defaults plus STYLE, for the duration of a drawing; the learner's rcParams come back after."""
    with matplotlib.rc_context():
        matplotlib.rcdefaults()
        matplotlib.rcParams.update(STYLE)
        yield


class Chart(Figure):
    """A Figure that Jupyter shows as a reproducible PNG (`png(self)`), with its usual repr as text."""

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"image/png": base64.b64encode(png(self)).decode("ascii"), "text/plain": repr(self)}


def png(figure: Figure) -> bytes:
    """The figure as PNG bytes: fixed dpi, no metadata beyond the pixels' own."""
    buffer = io.BytesIO()
    with _style():
        FigureCanvasAgg(figure)
        figure.savefig(buffer, format="png", dpi=DPI, metadata=PNG_METADATA)
    return buffer.getvalue()


def _chart(width: float, height: float, **subplots) -> tuple[Chart, object]:
    """A Chart of width x height inches, rounded to whole pixels, with its axes (call inside `_style()`)."""
    figure = Chart(figsize=(round(width * DPI) / DPI, round(height * DPI) / DPI), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    return figure, figure.subplots(**subplots)


# ---- pictures ------------------------------------------------------------------------------------------------


def _picture(source):
    """A Pillow image from bytes, a path or an image; JPEGs are decoded at a reduced scale (fast on 12 MP)."""
    from PIL import Image

    if isinstance(source, Image.Image):
        return source
    data = Path(source).read_bytes() if isinstance(source, (str, Path)) else bytes(source)
    picture = Image.open(io.BytesIO(data))
    picture.draft("RGB", (THUMBNAIL_SIDE, THUMBNAIL_SIDE))
    return picture


def caption(source) -> str:
    """'PNG, 640 x 400 px, 2,161 bytes' for image bytes or a path; 'rendered 360 x 510 px' for a Pillow image."""
    from PIL import Image

    if isinstance(source, Image.Image):
        return f"rendered {source.width} x {source.height} px"
    data = Path(source).read_bytes() if isinstance(source, (str, Path)) else bytes(source)
    with Image.open(io.BytesIO(data)) as picture:
        return f"{picture.format}, {picture.width} x {picture.height} px, {len(data):,} bytes"


def images(pictures: Sequence[tuple[str, object]], same_scale: bool = False, height: float = 2.4) -> Chart:
    """Pictures side by side, each titled with its name and `caption` (format, pixels, bytes).

    `pictures` holds (name, bytes | path | Pillow image). With `same_scale` every picture is drawn at
    the same pixels-per-inch, so a downscaled copy looks as much smaller as it is, with pixel axes."""
    loaded = [(name, _picture(source), caption(source)) for name, source in pictures]
    sizes = [_full_size(source, picture) for (_, source), (_, picture, _) in zip(pictures, loaded)]
    ratios = [w for w, _ in sizes] if same_scale else [w / h for w, h in sizes]
    tallest = max(h for _, h in sizes)
    with _style():
        width = 1.3 * height * len(loaded) if same_scale else sum(max(2.4, height * w / h) for w, h in sizes)
        figure, axes = _chart(width, height, ncols=len(loaded), squeeze=False, width_ratios=ratios)
        for ax, (name, picture, text), (wide, high) in zip(axes[0], loaded, sizes):
            thumb = picture.convert("RGB")
            thumb.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
            ax.imshow(thumb, extent=(0, wide, high, 0), interpolation="antialiased")
            ax.set_title(f"{name}\n{text}", fontsize=8)
            if same_scale:
                ax.set_xlim(0, wide)
                ax.set_ylim(tallest, 0)
                ax.set_anchor("S")
                ax.tick_params(labelsize=7)
            else:
                ax.set_axis_off()
    return figure


def _full_size(source, picture) -> tuple[int, int]:
    """The picture's real size (a JPEG drafted at a reduced scale reports the reduced one)."""
    from PIL import Image

    if isinstance(source, Image.Image):
        return source.size
    data = Path(source).read_bytes() if isinstance(source, (str, Path)) else bytes(source)
    with Image.open(io.BytesIO(data)) as full:
        return full.size


def pdf_page(data: bytes, page: int = 0, width: int = 360):
    """One page of a PDF rendered by PDFium (pypdfium2) as a Pillow image `width` pixels wide."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(bytes(data))
    try:
        sheet = document[page]
        image = sheet.render(scale=width / sheet.get_width()).to_pil()
        sheet.close()
        return image
    finally:
        document.close()


def pdf_pages(data: bytes) -> int:
    """How many pages a PDF has (PDFium's count)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(bytes(data))
    try:
        return len(document)
    finally:
        document.close()


def document_preview(name: str, data: bytes, lines: int = 3) -> str:
    """The first `lines` lines a reader of the file sees: raw text for txt, md, csv and html, the
    paragraphs of a docx, the rows of an xlsx (cells joined by ' | ')."""
    suffix = Path(name).suffix.lower()
    if suffix == ".docx":
        import docx

        found = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs if p.text.strip()]
    elif suffix == ".xlsx":
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        rows = book.worksheets[0].iter_rows(values_only=True, max_row=lines)
        found = [" | ".join("" if cell is None else str(cell) for cell in row) for row in rows]
        book.close()
    else:
        found = [line for line in bytes(data).decode("utf-8").splitlines() if line.strip()]
    return "\n".join(found[:lines])


# ---- video -----------------------------------------------------------------------------------------------------


def video_facts(path: str | Path) -> dict:
    """Duration (s), width and height from the MP4 header: what the offline model reads, no ffmpeg needed."""
    from .offline.media import mp4_header

    return mp4_header(Path(path).read_bytes()) or {}


def video_frames(path: str | Path, count: int = 4) -> list[tuple[float, object]] | None:
    """`count` frames evenly spread over the video, as (seconds, Pillow image), decoded by ffmpeg;
    None when ffmpeg is not on the PATH (Pillow cannot read MP4)."""
    from PIL import Image

    ffmpeg = shutil.which("ffmpeg")
    facts = video_facts(path)
    if ffmpeg is None or not facts:
        return None
    width, height = facts["width"], facts["height"]
    frames = []
    for i in range(count):
        seconds = round((i + 0.5) * facts["duration"] / count, 3)
        command = [ffmpeg, "-v", "error", "-ss", f"{seconds}", "-i", str(path), "-frames:v", "1"]
        command += ["-f", "rawvideo", "-pix_fmt", "rgb24", "-"]
        raw = subprocess.run(command, capture_output=True, check=True, timeout=60).stdout
        frames.append((seconds, Image.frombytes("RGB", (width, height), raw[: width * height * 3])))
    return frames


def video_strip(path: str | Path, count: int = 4) -> Chart:
    """A strip of `count` frames with the video's duration and resolution in the title. Without
    ffmpeg the strip has the same layout, each frame saying how to install it."""
    facts = video_facts(path)
    frames = video_frames(path, count)
    with _style():
        figure, axes = _chart(2.4 * count, 2.3, ncols=count, squeeze=False)
        for i, ax in enumerate(axes[0]):
            ax.set_xticks([])
            ax.set_yticks([])
            if frames is None:
                ax.text(0.5, 0.5, NO_FFMPEG, ha="center", va="center", fontsize=7, transform=ax.transAxes)
                ax.set_title(f"frame {i + 1}")
            else:
                seconds, picture = frames[i]
                ax.imshow(picture, interpolation="antialiased")
                ax.set_title(f"at {seconds:.1f} s")
        size = f"{facts['width']} x {facts['height']} px" if "width" in facts else "size unknown"
        length = f"{facts['duration']:.1f} s" if "duration" in facts else "duration unknown"
        figure.suptitle(f"{Path(path).name}: {length}, {size}")
    return figure


# ---- charts ----------------------------------------------------------------------------------------------------


def stream_timeline(kinds: Sequence[str], times_ms: Sequence[float], title: str = "ConverseStream events") -> Chart:
    """Each stream event as a mark on its row (messageStart ... metadata) at its time; dashed lines at
    the first contentBlockDelta (time to first token) and at the last event (total time)."""
    rows = [row for row in EVENT_ROWS if row in kinds] + sorted(set(kinds) - set(EVENT_ROWS))
    first = next((t for k, t in zip(kinds, times_ms) if k == "contentBlockDelta"), None)
    total = max(times_ms) if times_ms else 0
    with _style():
        figure, ax = _chart(9, 3)
        ax.scatter(times_ms, [rows.index(k) for k in kinds], marker="|", s=160, linewidths=1.5, zorder=3)
        ax.set_yticks(range(len(rows)), rows)
        ax.invert_yaxis()
        ax.set_xlabel("time since the request (ms)")
        ax.set_title(title)
        for at, label, colour in ((first, "time to first token", "tab:green"), (total, "total", "tab:red")):
            if at is not None:
                ax.axvline(at, linestyle="--", color=colour, zorder=1)
                ax.annotate(f"{label}: {at:,.0f} ms", (at, 0.02), xycoords=ax.get_xaxis_transform(), xytext=(4, 0),
                            textcoords="offset points", color=colour, va="bottom", fontsize=8)  # fmt: skip
        ax.set_xlim(-0.02 * max(total, 1), max(total, 1) * 1.2)
    return figure


def model_prices(
    names: Sequence[str],
    input_usd: Sequence[float],
    output_usd: Sequence[float],
    context_tokens: Sequence[int],
    title: str = "",
) -> Chart:
    """Two panels of bars by model: price per million tokens (input and output, log scale) and the
    context window in thousands of tokens."""
    position = range(len(names))
    with _style():
        figure, (cost, window) = _chart(9, 0.32 * len(names) + 1.2, ncols=2, sharey=True, width_ratios=[3, 2])
        cost.barh([p - 0.2 for p in position], input_usd, height=0.4, label="input", color="tab:blue")
        cost.barh([p + 0.2 for p in position], output_usd, height=0.4, label="output", color="tab:orange")
        cost.set_xscale("log")
        cost.set_xlabel("USD per 1M tokens (log scale)")
        cost.set_yticks(list(position), names)
        cost.invert_yaxis()
        cost.legend(loc="lower right", bbox_to_anchor=(1, 1), ncols=2, fontsize=7, frameon=False)
        window.barh(list(position), [c / 1000 for c in context_tokens], height=0.6, color="tab:gray")
        window.set_xlabel("context window (thousand tokens)")
        for p, tokens in zip(position, context_tokens):
            window.annotate(f"{tokens / 1000:,.0f}k", (tokens / 1000, p), xytext=(3, 0),
                            textcoords="offset points", va="center", fontsize=7)  # fmt: skip
        window.set_xlim(0, max(context_tokens, default=1) / 1000 * 1.2)
        if title:
            figure.suptitle(title)
    return figure


def _numbers(values) -> list[float]:
    """Plain floats, None and missing values as NaN (no bar)."""
    out = []
    for value in values:
        try:
            out.append(math.nan if value is None else float(value))
        except (TypeError, ValueError):
            out.append(math.nan)
    return out


def run_history(frame, title: str = "History of runs") -> Chart:
    """Tokens (input and output, stacked), estimated cost and latency of each run, from a table with
    the columns input_tokens, output_tokens, cost_usd and latency_ms (a DataFrame or a dict of lists;
    `run` numbers the runs, 1, 2, ... when absent)."""
    count = len(frame["input_tokens"])
    runs = list(frame["run"]) if "run" in frame else list(range(1, count + 1))
    inputs, outputs = _numbers(frame["input_tokens"]), _numbers(frame["output_tokens"])
    costs = _numbers(frame["cost_usd"]) if "cost_usd" in frame else [math.nan] * count
    latency = _numbers(frame["latency_ms"]) if "latency_ms" in frame else [math.nan] * count
    with _style():
        figure, (tokens, cost, wait) = _chart(9, 2.6, ncols=3)
        tokens.bar(runs, [0 if math.isnan(v) else v for v in inputs], label="input", color="tab:blue")
        tokens.bar(
            runs, outputs, bottom=[0 if math.isnan(v) else v for v in inputs], label="output", color="tab:orange"
        )
        tokens.set_title("tokens")
        tokens.legend(fontsize=7)
        cost.bar(runs, [v * 1_000_000 for v in costs], color="tab:green")
        cost.set_title("estimated cost (micro-USD)")
        wait.bar(runs, latency, color="tab:purple")
        wait.set_title("latency (ms)")
        for ax in (tokens, cost, wait):
            ax.set_xlabel("run")
            ax.set_xticks(runs)
            if runs:  # room for five runs at least, so one run is not one wall of colour
                ax.set_xlim(min(runs) - 0.6, max(max(runs), min(runs) + 4) + 0.6)
        figure.suptitle(title)
    return figure


__all__ = [
    "Chart",
    "caption",
    "document_preview",
    "images",
    "model_prices",
    "pdf_page",
    "pdf_pages",
    "png",
    "run_history",
    "stream_timeline",
    "video_facts",
    "video_frames",
    "video_strip",
]
