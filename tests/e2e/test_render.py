"""What a person sees: LibreOffice renders the coloured Register the CLI wrote, the Summary sheet's charts, and
the board report as PDF."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner

from ragbook import commands
from ragbook.cli import cli
from tests.helpers.reporting import REPORT_HEADERS, ROUND_ISSUED, TODAY, count_colour, ppm_pixels

pytestmark = pytest.mark.libreoffice

SOFFICE = shutil.which("soffice")


def test_the_rendered_register_shows_the_rating_colours(tmp_path, sample, soffice):
    plan = tmp_path / "ActionPlan.xlsx"
    run = [sys.executable, "-m", "ragbook"]
    assert subprocess.run(run + ["new", str(plan), "--from", str(sample)], capture_output=True).returncode == 0
    assert subprocess.run(run + ["colour", str(plan)], capture_output=True).returncode == 0
    subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(plan)],
                   check=True, capture_output=True, timeout=180)
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(tmp_path / "ActionPlan.pdf"), str(tmp_path / "page")],
                   check=True, capture_output=True, timeout=60)
    colours = set().union(*(png_colours(page) for page in tmp_path.glob("page*.png")))
    assert (0x00, 0x70, 0xC0) in colours  # Blue
    assert (0xFF, 0xC0, 0x00) in colours  # Amber


@pytest.mark.libreoffice
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_renders_the_summary_charts(history_plan, tmp_path):
    commands.summary_plan(history_plan, since=ROUND_ISSUED, today=TODAY)
    out = tmp_path / "pdf"
    subprocess.run([SOFFICE, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(out), str(history_plan)], check=True, capture_output=True,
                   timeout=180)
    pdf = out / "ActionPlan.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = text.split("\f")
    number = next(i for i, page in enumerate(pages, start=1) if "Ratings per recommendation" in page)
    assert "Ratings overall" in pages[number - 1]
    subprocess.run(["pdftoppm", "-r", "40", "-f", str(number), "-l", str(number), str(pdf), str(tmp_path / "page")],
                   check=True, timeout=60)
    (page,) = tmp_path.glob("page*.ppm")
    _, _, rgb = ppm_pixels(page)
    # The charts' Blue and Amber come from the index: many pixels of each, well beyond the table headers'.
    assert count_colour(rgb, "0070C0") > 300
    assert count_colour(rgb, "FFC000") > 30


@pytest.mark.libreoffice
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_pdf_report_renders_the_table(history_plan, tmp_path):
    out = tmp_path / "board-report.pdf"
    result = CliRunner().invoke(cli, ["report", str(history_plan), "--out", str(out), "--today", "01/06/2021"])
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:5] == b"%PDF-"
    text = subprocess.run(["pdftotext", "-layout", "-f", "1", "-l", "1", str(out), "-"], capture_output=True,
                          text=True, check=True).stdout
    for header in REPORT_HEADERS:
        assert header in text
    assert "Escalation Policy finalised in July" in text
    subprocess.run(["pdftoppm", "-r", "40", "-f", "1", "-l", "1", str(out), str(tmp_path / "page")], check=True,
                   timeout=60)
    (page,) = tmp_path.glob("page*.ppm")
    width, height, rgb = ppm_pixels(page)
    assert width > height  # landscape
    assert count_colour(rgb, "0070C0") > 500  # the Blue of the rating bar and the RAG cells
    assert count_colour(rgb, "1F3864") > 100  # the table's header row


def png_colours(path) -> set[tuple[int, int, int]]:
    """The set of RGB colours in a PNG pdftoppm wrote (8-bit RGB, no interlace), read with the standard library."""
    import struct
    import zlib

    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width, height = 8, b"", 0, 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour_type = struct.unpack(">IIBB", body[:10])
            assert (depth, colour_type) == (8, 2)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * 3
    previous = bytearray(stride)
    found = set()
    for row in range(height):
        start = row * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            left = line[i - 3] if i >= 3 else 0
            up = previous[i]
            upper_left = previous[i - 3] if i >= 3 else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - upper_left
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - upper_left)
                predictor = left if pa <= pb and pa <= pc else up if pb <= pc else upper_left
                line[i] = (line[i] + predictor) & 0xFF
        found.update(zip(line[0::3], line[1::3], line[2::3]))
        previous = line
    return found
