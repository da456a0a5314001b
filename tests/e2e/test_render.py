"""What a person sees: LibreOffice renders the coloured Register the CLI wrote, the Summary sheet's charts, every
sheet as it prints (9 pt or more, no text over the next row, nothing past the page), and the board report as a
tagged PDF that reads as a committee paper."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from ragbook import commands
from ragbook.cli import cli
from ragbook.core.settings import Settings
from ragbook.io.plans import FilePlans
from ragbook.io.sheets.printing import fit_scale
from tests.helpers.history import TODAY as ROUNDS_TODAY, build_two_rounds
from tests.helpers.rendering import info, outside, overprinted, pages, smallest_size, structure_tags, to_pdf
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
def test_the_pdf_report_reads_as_a_paper(history_plan, tmp_path):
    with FilePlans(history_plan).editing() as master:
        master.write_settings(Settings(partnership="Thurrock Safeguarding Children Partnership",
                                       marking="OFFICIAL-SENSITIVE"))
    out = tmp_path / "board-report.pdf"
    result = CliRunner().invoke(cli, ["report", str(history_plan), "--out", str(out), "--today", "01/06/2021"])
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:5] == b"%PDF-"
    # Tagged, with the document's structure: headings, lists, tables with header cells, the chart a figure.
    assert "Tagged:          yes" in info(out)
    assert "Title:           Action plan progress report: SCR Sam and Kyle" in info(out)
    tags = set(structure_tags(out))
    assert {"H1", "H2", "L", "LI", "Table", "TR", "TH", "TD", "Figure"} <= tags
    printed = pages(out)
    first_two = printed[0].text + " " + printed[1].text
    # Within the first two pages: what the board is asked to decide, and each exception with its lead and dates.
    assert "The board is asked to" in first_two and "Exceptions: Red, Amber, overdue" in first_two
    for ref, lead, due in (("2.3", "Partnership Business Unit", "31/03/2022"), ("1.3", "Partnership", "31/12/2020"),
                           ("4.2", "Children's Social Care;", "31/03/2021")):
        assert f" {ref} " in first_two and lead in first_two and due in first_two
    for page in printed:
        assert page.width > page.height  # landscape
        assert "OFFICIAL-SENSITIVE" in page.text and f"Page {page.number} of {len(printed)}" in page.text
        assert smallest_size(page) >= 8.9, (page.number, smallest_size(page))
        assert not overprinted(page) and not outside(page)
    for header in REPORT_HEADERS:
        assert header.split(" /")[0] in " ".join(p.text for p in printed)
    subprocess.run(["pdftoppm", "-r", "40", "-f", "1", "-l", "2", str(out), str(tmp_path / "page")], check=True,
                   timeout=60)
    (_, _, cover), (_, _, exceptions) = (ppm_pixels(page) for page in sorted(tmp_path.glob("page*.ppm")))
    assert count_colour(cover, "0070C0") > 100  # the ratings table's Blue
    assert count_colour(exceptions, "FFC000") > 300 and count_colour(exceptions, "1F3864") > 100


@pytest.mark.libreoffice
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_every_sheet_prints_at_9_pt_or_more_without_overprinting(history_plan, tmp_path):
    commands.validate_plan(history_plan, TODAY)
    commands.summary_plan(history_plan, since=ROUND_ISSUED, today=TODAY)
    book = load_workbook(history_plan)
    for ws in book.worksheets:
        if ws.sheet_state != "visible":
            continue
        widths = [ws.column_dimensions[get_column_letter(i)].width or 8.43 for i in range(1, ws.max_column + 1)]
        fitted = ws.sheet_properties.pageSetUpPr.fitToPage
        scale = fit_scale(widths) if fitted else ws.page_setup.scale / 100
        assert ws.page_setup.orientation == "landscape" and 11 * scale >= 9, (ws.title, fitted, scale)
    summary = book["Summary"]
    assert not summary.print_title_rows and [b.id for b in summary.row_breaks.brk]  # a table to a page
    printed = pages(to_pdf(history_plan, tmp_path / "pdf"))
    for page in printed:
        assert smallest_size(page) >= 8.9, (page.number, page.text[:80], smallest_size(page))
        assert not overprinted(page), (page.number, overprinted(page)[:5])
        assert not outside(page), (page.number, outside(page)[:5])
    # Each table's columns print on one page: no header is cut off to another page (a table wider than the page).
    first = next(p for p in printed if "Ratings overall" in p.text and "By review" in p.text)
    words = [w.text for w in first.words]
    assert words.count("Total") == 2 and words.count("%") + words.count("%\u200b") >= 10  # "Unrated %" etc., twice
    overdue = next(p for p in printed if "Overdue: past the revised" in p.text)
    assert "Rating" in overdue.text and "5 months" in overdue.text and "Unrated" in overdue.text


@pytest.mark.libreoffice
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_two_rounds_print_their_ratings_by_round_on_the_summary_and_in_the_report(tmp_path):
    (tmp_path / "plan").mkdir()
    plan = build_two_rounds(tmp_path / "plan")
    commands.summary_plan(plan, today=ROUNDS_TODAY)
    printed = pages(to_pdf(plan, tmp_path / "pdf"))
    for page in printed:
        assert smallest_size(page) >= 8.9, (page.number, page.text[:80], smallest_size(page))
        assert not overprinted(page) and not outside(page), page.number
    counts = next(p for p in printed if "Ratings by round: where" in p.text)
    table = next(p for p in printed if "Ratings by round: the actions" in p.text)
    assert "escalate" in " ".join(p.text for p in printed) and "improved" in table.text and "worse" in table.text
    pdf = tmp_path / "pdf" / "ActionPlan.pdf"
    subprocess.run(["pdftoppm", "-r", "40", "-f", str(counts.number), "-l", str(counts.number), str(pdf),
                    str(tmp_path / "summary")], check=True, timeout=60)
    (_, _, rgb) = ppm_pixels(next(tmp_path.glob("summary*.ppm")))
    assert count_colour(rgb, "C00000") > 100 and count_colour(rgb, "FFC000") > 100  # the chart's Red and Amber
    out = tmp_path / "board-report.pdf"
    result = CliRunner().invoke(cli, ["report", str(plan), "--out", str(out), "--today", "01/06/2021"])
    assert result.exit_code == 0, result.output
    report = pages(out)
    section = next(p for p in report if "Ratings by round" in p.text and "Direction" in p.text)
    assert smallest_size(section) >= 8.9 and not overprinted(section) and not outside(section)
    assert "Figure" in set(structure_tags(out))


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
