"""Make the workbook's sample images, documents and video, from scratch and byte for byte the same
on every run (no third-party media: Pillow draws, fpdf2 typesets, ffmpeg renders a test pattern).

    python data/make_assets.py            # the small committed samples in data/samples/
    python data/make_assets.py --large    # also the oversized phone photo in data/generated/

Needs Pillow, python-docx and openpyxl (project dependencies), fpdf2 (`pip install -e ".[test]"`)
and ffmpeg (`apt-get install -y ffmpeg`) on the PATH.

The oversized photo is not committed: it only exists to show Bedrock's 3.75 MB image limit, so
`large_photo()` makes it on demand (notebooks and tests call it).
"""

from __future__ import annotations

import csv
import io
import random
import re
import shutil
import subprocess
import sys
import zipfile
from datetime import datetime, timezone
from pathlib import Path

from PIL import Image, ImageDraw

DATA = Path(__file__).resolve().parent
SAMPLES = DATA / "samples"
GENERATED = DATA / "generated"
FIXED_TIME = datetime(2025, 7, 24, 9, 0, tzinfo=timezone.utc)
STAMP = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()

COMPANY = "Brightwater Instruments, Inc."
# Revenue in millions of USD: (segment, Q2 2025, Q1 2025, Q2 2024).
REVENUE = [
    ("Field sensors", 48.6, 44.1, 39.8),
    ("Lab instruments", 31.2, 30.5, 29.7),
    ("Software and services", 17.9, 16.2, 12.4),
]
TOTAL = tuple(round(sum(row[i] for row in REVENUE), 1) for i in (1, 2, 3))  # (97.7, 90.8, 81.9)


# --- images -------------------------------------------------------------------------------------


def landscape_png(path: Path) -> None:
    """A drawn landscape: blue sky, yellow sun, green hills, a small house with a red roof."""
    image = Image.new("RGB", (640, 400), (110, 170, 230))
    draw = ImageDraw.Draw(image)
    draw.ellipse((480, 40, 570, 130), fill=(250, 210, 60))
    draw.ellipse((-200, 250, 450, 650), fill=(70, 150, 70))
    draw.ellipse((250, 270, 900, 700), fill=(50, 120, 55))
    draw.rectangle((300, 250, 390, 320), fill=(235, 225, 200))
    draw.polygon([(290, 250), (345, 205), (400, 250)], fill=(190, 40, 40))
    draw.rectangle((335, 285, 355, 320), fill=(110, 70, 40))
    image.save(path, optimize=True)


def shapes_jpeg(path: Path) -> None:
    """Three shapes on white: a red circle, a blue square and a yellow triangle."""
    image = Image.new("RGB", (480, 320), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.ellipse((30, 90, 170, 230), fill=(220, 30, 30))
    draw.rectangle((190, 90, 330, 230), fill=(30, 60, 200))
    draw.polygon([(350, 230), (420, 90), (470, 230)], fill=(245, 200, 20))
    image.save(path, quality=85)


def revenue_chart_png(path: Path) -> None:
    """A bar chart of total quarterly revenue, the same figures as the PDF report."""
    quarters = [("Q2 2024", TOTAL[2]), ("Q1 2025", TOTAL[1]), ("Q2 2025", TOTAL[0])]
    image = Image.new("RGB", (480, 320), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.text((20, 12), f"{COMPANY} - total revenue (USD millions)", fill=(0, 0, 0))
    draw.line((60, 280, 460, 280), fill=(0, 0, 0), width=2)
    for i, (label, value) in enumerate(quarters):
        left, height = 90 + i * 130, int(value * 2.2)
        draw.rectangle((left, 280 - height, left + 80, 280), fill=(40, 110, 180))
        draw.text((left + 18, 265 - height), f"{value:.1f}", fill=(0, 0, 0))
        draw.text((left + 14, 288), label, fill=(0, 0, 0))
    image.save(path, optimize=True)


def large_photo(path: Path | None = None) -> Path:
    """A 4032 x 3024 'phone photo' of about 6 MB (over Bedrock's 3.75 MB): fine grain keeps JPEG large.

    Generated on demand into data/generated/ (gitignored); returns its path."""
    path = path or GENERATED / "large_photo.jpg"
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    width, height = 4032, 3024
    sky = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    tint = Image.new("RGB", (width, height), (90, 150, 220))
    photo = Image.blend(sky, tint, 0.6)
    noise = Image.frombytes("L", (width, height), random.Random(7).randbytes(width * height)).convert("RGB")
    photo = Image.blend(photo, noise, 0.25)
    ImageDraw.Draw(photo).ellipse((2900, 500, 3500, 1100), fill=(250, 210, 60))
    photo.save(path, quality=92)
    return path


# --- documents ----------------------------------------------------------------------------------

HANDBOOK = """Brightwater Instruments - Remote Work Policy

Employees may work remotely up to three days a week, agreed with their manager.
Core hours are 10:00 to 15:00 in the employee's home time zone.
Company laptops must use the VPN for every connection to internal systems.
Home office equipment up to 500 USD a year is reimbursed against receipts.
Questions go to the People team at people@brightwater.example.
"""

RELEASE_NOTES = """# Brightwater Field Sensor firmware 4.2

## What's new
- Battery life up to 18 months with the new low-power sampling mode.
- Readings are signed, so the cloud service can reject tampered data.

## Fixed
- The humidity sensor no longer reports 0% after a cold start.

## Upgrade
Install from the Brightwater Console; sensors update overnight.
"""

PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Brightwater Instruments - Careers</title></head>
<body>
<h1>Join Brightwater Instruments</h1>
<p>We build sensors and lab instruments that help scientists measure the natural world.</p>
<h2>Open positions</h2>
<ul>
<li>Embedded firmware engineer (Portland, hybrid)</li>
<li>Field applications scientist (Remote, US)</li>
<li>Data platform engineer (Portland, hybrid)</li>
</ul>
</body>
</html>
"""


def earnings_pdf(path: Path) -> None:
    """A two-page quarterly earnings report with a revenue table (text-based PDF)."""
    from fpdf import FPDF

    q2, q1, last_year = TOTAL
    pdf = FPDF()
    pdf.set_creation_date(FIXED_TIME)
    pdf.set_title(f"{COMPANY} Q2 2025 earnings report")
    pdf.set_author(COMPANY)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 10, f"{COMPANY}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 13)
    pdf.cell(0, 8, "Second quarter 2025 earnings report (fictitious company)", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("Helvetica", "", 11)
    pdf.multi_cell(
        0,
        6,
        (
            f"Revenue for the second quarter of 2025 was {q2:.1f} million USD, up "
            f"{(q2 / q1 - 1) * 100:.1f}% from {q1:.1f} million USD in the first quarter of 2025 and up "
            f"{(q2 / last_year - 1) * 100:.1f}% from {last_year:.1f} million USD in the second quarter of 2024. "
            "Growth came mostly from field sensors, where two water utilities began multi-year deployments, "
            "and from software and services, where subscriptions to the Brightwater Console grew."
        ),
    )
    pdf.ln(3)
    pdf.set_font("Helvetica", "B", 12)
    pdf.cell(0, 8, "Revenue by segment (USD millions)", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 11)
    with pdf.table(col_widths=(70, 35, 35, 35), text_align=("LEFT", "RIGHT", "RIGHT", "RIGHT")) as table:
        table.row(["Segment", "Q2 2025", "Q1 2025", "Q2 2024"])
        for name, *values in REVENUE:
            table.row([name, *(f"{v:.1f}" for v in values)])
        table.row(["Total", *(f"{v:.1f}" for v in TOTAL)])
    pdf.ln(4)
    pdf.multi_cell(
        0,
        6,
        (
            "Gross margin was 58.2%, compared with 57.4% in the first quarter of 2025. Operating income was "
            "14.1 million USD. Cash and equivalents at the end of the quarter were 64.3 million USD."
        ),
    )
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 12)
    pdf.cell(0, 8, "Outlook", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 11)
    pdf.multi_cell(
        0,
        6,
        (
            "For the third quarter of 2025 the company expects revenue between 99 and 103 million USD. "
            "This report describes a fictitious company and was made for the Bedrock Converse Workbook."
        ),
    )
    pdf.output(str(path))


def sales_csv(path: Path) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["quarter", "segment", "revenue_usd_millions"])
        for quarter, column in (("Q2 2024", 3), ("Q1 2025", 2), ("Q2 2025", 1)):
            for row in REVENUE:
                writer.writerow([quarter, row[0], f"{row[column]:.1f}"])


def memo_docx(path: Path) -> None:
    from docx import Document

    document = Document()
    document.core_properties.created = FIXED_TIME.replace(tzinfo=None)
    document.core_properties.modified = FIXED_TIME.replace(tzinfo=None)
    document.core_properties.author = COMPANY
    document.add_heading("Memo: office move", level=1)
    document.add_paragraph("The Portland team moves to 200 River Street on 1 September 2025.")
    document.add_paragraph("Pack your desk by Friday 29 August; movers label and carry the boxes.")
    document.add_paragraph("The new office has twelve meeting rooms and a sensor test lab.")
    document.save(str(path))


def budget_xlsx(path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.properties.created = FIXED_TIME.replace(tzinfo=None)
    workbook.properties.modified = FIXED_TIME.replace(tzinfo=None)
    workbook.properties.creator = COMPANY
    sheet = workbook.active
    sheet.title = "Budget 2025"
    sheet.append(["Department", "Budget (USD thousands)"])
    for row in (("Engineering", 4200), ("Sales", 2600), ("Operations", 1900), ("People", 600)):
        sheet.append(list(row))
    workbook.save(str(path))


def normalise_zip(path: Path) -> None:
    """Office files are zip archives stamped with the current time; fix the stamps so reruns match."""
    source = io.BytesIO(path.read_bytes())
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            data = old.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps `modified` at save time
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + STAMP, data)
            new.writestr(fixed, data)


# --- video --------------------------------------------------------------------------------------


def clip_mp4(path: Path) -> None:
    """A 4-second 320x240 test pattern (colour gradients, moving shapes, a running timer) from ffmpeg."""
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        raise SystemExit("ffmpeg is needed for the sample video: apt-get install -y ffmpeg")
    subprocess.run(
        [
            ffmpeg,
            "-y",
            "-loglevel",
            "error",
            "-f",
            "lavfi",
            "-i",
            "testsrc2=size=320x240:rate=12:duration=4",
            "-c:v",
            "libx264",
            "-preset",
            "veryslow",
            "-crf",
            "32",
            "-pix_fmt",
            "yuv420p",
            "-threads",
            "1",
            "-map_metadata",
            "-1",
            "-fflags",
            "+bitexact",
            "-flags:v",
            "+bitexact",
            "-movflags",
            "+faststart",
            str(path),
        ],
        check=True,
    )


SAMPLES_MADE = {
    "landscape.png": landscape_png,
    "shapes.jpg": shapes_jpeg,
    "revenue_chart.png": revenue_chart_png,
    "Q2_2025_earnings.v1.pdf": earnings_pdf,
    "MyDocument.txt": lambda p: p.write_bytes(HANDBOOK.encode()),  # bytes: "\n" line ends on every OS
    "release_notes.md": lambda p: p.write_bytes(RELEASE_NOTES.encode()),
    "careers.html": lambda p: p.write_bytes(PAGE.encode()),
    "quarterly_sales.csv": sales_csv,
    "office_move.docx": memo_docx,
    "budget_2025.xlsx": budget_xlsx,
    "clip.mp4": clip_mp4,
}


def main(argv: list[str]) -> int:
    SAMPLES.mkdir(parents=True, exist_ok=True)
    for name, make in SAMPLES_MADE.items():
        path = SAMPLES / name
        make(path)
        if path.suffix in (".docx", ".xlsx"):
            normalise_zip(path)
        print(f"{path.relative_to(DATA)}: {path.stat().st_size:,} bytes")
    if "--large" in argv:
        path = large_photo()
        print(f"{path.relative_to(DATA)}: {path.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
