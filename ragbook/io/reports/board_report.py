"""The board report: a Word document in the layout of the plans partnerships publish.

Per review: a title, the date, a short summary (counts, movement, overdue), a rating bar (a one-row table
whose cells are as wide as each rating's share, shaded from the index), a native chart of the ratings per
recommendation (``docx_chart``), then the action table (Ref, Recommendation, Actions,
Progress/Comments, RAG) with each recommendation's cell merged down across its actions, rating cells shaded
from the Rating Index and the header row repeated on every page. Landscape A4; the rating index key at the end.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Sequence

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table, _Cell

from ...core.model import Action, Register
from ...core.ratings import RatingIndex
from ...core.summary import UNRATED, ReviewPart, Summary, headline
from .docx_chart import add_chart, stacked_chart_xml
from ..sheets.summary_layout import UNRATED_FILL, UNRATED_FONT

HEADER_FILL, HEADER_FONT = "1F3864", "FFFFFF"
COLUMNS = (("Ref", 1.4), ("Recommendation", 6.2), ("Actions", 6.4), ("Progress/Comments", 10.6), ("RAG", 2.0))
BAR_WIDTH_CM = 24.0
OVERDUE_LISTED = 10
# Elements that must follow w:shd inside w:tcPr (the schema's order; Word rejects a file that breaks it).
_AFTER_SHD = {qn(f"w:{name}") for name in ("noWrap", "tcMar", "textDirection", "tcFitText", "vAlign", "hideMark")}


def write_report(out: Path, register: Register, parts: Sequence[ReviewPart], today: date, public_note: str = "") -> None:
    document = Document()
    _landscape(document)
    _styles(document)
    for number, part in enumerate(parts):
        if number:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        _review_section(document, register, part, today, public_note)
    document.add_heading("Rating index", level=2)
    _index_table(document, register.index)
    document.save(str(out))


# ---------------------------------------------------------------------------- page and styles
def _landscape(document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(1.5))
    section.top_margin = section.bottom_margin = Cm(1.5)


def _styles(document) -> None:
    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10)
    for level in (1, 2):
        style = document.styles[f"Heading {level}"]
        style.font.name = "Arial"
        style.font.color.rgb = RGBColor.from_string(HEADER_FILL)


# ---------------------------------------------------------------------------- one review
def _review_section(document, register: Register, part: ReviewPart, today: date, public_note: str) -> None:
    document.add_heading(f"{part.review}: action plan progress", level=1)
    document.add_paragraph(f"Report date: {today.day} {today:%B %Y}")
    document.add_paragraph(headline(part.summary))
    if public_note:
        note = document.add_paragraph(public_note)
        note.runs[0].italic = True
    if part.summary.actions:
        _rating_bar(document, part.summary)
        _recommendation_chart(document, part.summary)
    if part.summary.overdue:
        document.add_paragraph("Overdue actions, oldest first:")
        for item in part.summary.overdue[:OVERDUE_LISTED]:
            lead = f", {item.lead_agency}" if item.lead_agency else ""
            document.add_paragraph(f"{item.ref}{lead}: due {item.due:%d/%m/%Y}, {item.days} days ago",
                                   style="List Bullet")
        if len(part.summary.overdue) > OVERDUE_LISTED:
            document.add_paragraph(f"and {len(part.summary.overdue) - OVERDUE_LISTED} more, listed on the Summary "
                                   f"sheet.", style="List Bullet")
    _action_table(document, register.index, part.actions)


def _rating_bar(document, summary: Summary) -> None:
    """A stacked bar of the ratings: one cell per rating present, as wide as its share of the actions."""
    colours = [(r.fill, r.font) for r in summary.index.ratings] + [(UNRATED_FILL, UNRATED_FONT)]
    present = [(label, n, colour) for label, n, colour in zip(summary.buckets, summary.overall.counts, colours) if n]
    widths = _bar_widths([n for _, n, _ in present], BAR_WIDTH_CM)
    table = document.add_table(rows=1, cols=len(present))
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    _fixed_widths(table, widths)
    for cell, (label, n, (fill, font)) in zip(table.rows[0].cells, present):
        _shade(cell, fill)
        _cell_text(cell, f"{label} {n}", font=font, bold=True, size=9, align=WD_ALIGN_PARAGRAPH.CENTER)
    document.add_paragraph()


def _recommendation_chart(document, summary: Summary) -> None:
    """A native stacked column chart of the ratings of each recommendation (series only for ratings in use)."""
    colours = [r.fill for r in summary.index.ratings] + [UNRATED_FILL]
    tallies = summary.by_recommendation
    series = [(label, colour, [t.counts[i] for t in tallies])
              for i, (label, colour) in enumerate(zip(summary.buckets, colours)) if any(t.counts[i] for t in tallies)]
    categories = [t.group.replace("Recommendation ", "Rec. ") for t in tallies]
    xml = stacked_chart_xml("Ratings per recommendation", categories, series)
    width = min(BAR_WIDTH_CM, 8 + 2.2 * len(categories))
    add_chart(document, document.add_paragraph(), xml, width, 7.0,
              "Ratings per recommendation: " + "; ".join(
                  f"{c}: " + ", ".join(f"{n} {label}" for label, _, values in series if (n := values[i]))
                  for i, c in enumerate(categories)))


def _bar_widths(counts: Sequence[int], total_cm: float, minimum_cm: float = 1.8) -> list[float]:
    """Widths proportional to the counts, each wide enough for its label."""
    total = sum(counts)
    widths = [max(minimum_cm, total_cm * n / total) for n in counts]
    excess = sum(widths) - total_cm
    if excess > 0:
        wide = [i for i, w in enumerate(widths) if w > minimum_cm]
        room = sum(widths[i] - minimum_cm for i in wide)
        for i in wide:
            widths[i] -= excess * (widths[i] - minimum_cm) / room if room else 0
    return widths


def _action_table(document, index: RatingIndex, actions: Sequence[Action]) -> Table:
    table = document.add_table(rows=1, cols=len(COLUMNS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _fixed_widths(table, [width for _, width in COLUMNS])
    header = table.rows[0]
    _repeat_as_header(header)
    for cell, (title, _) in zip(header.cells, COLUMNS):
        _shade(cell, HEADER_FILL)
        _cell_text(cell, title, font=HEADER_FONT, bold=True)
    groups: list[list[Action]] = []
    for action in actions:
        if groups and groups[-1][0].recommendation_number == action.recommendation_number:
            groups[-1].append(action)
        else:
            groups.append([action])
    for group in groups:
        recommendation_cells = []
        for action in group:
            cells = table.add_row().cells  # new rows take the grid's widths
            recommendation_cells.append(cells[1])
            _cell_text(cells[0], action.ref, bold=True)
            _cell_text(cells[2], action.action)
            _cell_text(cells[3], action.progress)
            rating = index.get(index.normalise(action.rag).code)
            fill, font = (rating.fill, rating.font) if rating else (UNRATED_FILL, UNRATED_FONT)
            _shade(cells[4], fill)
            _cell_text(cells[4], rating.label if rating else (action.rag.strip() or UNRATED), font=font, bold=True,
                       align=WD_ALIGN_PARAGRAPH.CENTER)
        merged = recommendation_cells[0]
        if len(group) > 1:
            merged = merged.merge(recommendation_cells[-1])
        _cell_text(merged, max((a.recommendation for a in group), key=len, default=""))
    return table


def _index_table(document, index: RatingIndex) -> None:
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    _fixed_widths(table, [3.0, 20.0])
    for rating in index.ratings:
        cells = table.add_row().cells
        _shade(cells[0], rating.fill)
        _cell_text(cells[0], rating.label, font=rating.font, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        _cell_text(cells[1], rating.meaning)
    _fixed_widths(table, [3.0, 20.0])


# ---------------------------------------------------------------------------- cell helpers
def _cell_text(cell: _Cell, text: str, *, font: str | None = None, bold: bool = False, size: float | None = None,
               align=None) -> None:
    """Replace the cell's text; line breaks in the text become paragraphs."""
    lines = (text or "").split("\n")
    paragraphs = cell.paragraphs
    for extra in paragraphs[1:]:
        extra._p.getparent().remove(extra._p)
    first = paragraphs[0]
    for run in list(first.runs):
        run._r.getparent().remove(run._r)
    for number, line in enumerate(lines):
        paragraph = first if number == 0 else cell.add_paragraph()
        run = paragraph.add_run(line)
        run.bold = bold or None
        if font:
            run.font.color.rgb = RGBColor.from_string(font)
        if size:
            run.font.size = Pt(size)
        if align is not None:
            paragraph.alignment = align
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP


def _shade(cell: _Cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    for old in tc_pr.findall(qn("w:shd")):
        tc_pr.remove(old)
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    successor = next((child for child in tc_pr if child.tag in _AFTER_SHD), None)
    if successor is not None:
        successor.addprevious(shd)
    else:
        tc_pr.append(shd)


def _repeat_as_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _fixed_widths(table: Table, widths_cm: Sequence[float]) -> None:
    """Fixed column widths, set on the grid (LibreOffice reads it) and on each cell (Word reads those)."""
    table.autofit = False
    grid = table._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths_cm):
        col.set(qn("w:w"), str(int(Cm(width).twips)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm):
            cell.width = Cm(width)
