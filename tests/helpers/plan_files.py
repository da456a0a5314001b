"""Builders for plan files in the formats partnerships keep them in (real files, written with the real libraries)."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import docx
from docx.enum.section import WD_ORIENT
from openpyxl import Workbook

REC_1 = "The partnership should review its escalation procedure within six months."
REC_2 = "Agencies should audit the quality of written care plans for neglect cases."

PLAN_ROWS = [
    # ref, recommendation, action, lead, target, progress, evidence, rating
    ("1.1", REC_1, "Review and recirculate the escalation policy.", "Partnership Business Unit", "31/03/2026",
     "Policy recirculated in January.", "Policy v2 on website", "Blue"),
    ("1.2", REC_1, "Agencies report on use of the escalation policy.", "Police", "30/06/2026",
     "Two agencies have reported.", "", "green"),
    ("2.1", REC_2, "Audit ten neglect cases.", "Children's Social Care", "31/12/2025",
     "Audit delayed by staffing.", "", "A"),
]


def write_docx(path: Path, rows: Sequence[tuple] = PLAN_ROWS, title: str = "SAR Adult D Action Plan",
               merge_recommendations: bool = True) -> Path:
    """A Word plan like the ones boards receive: title, a landscape table, the recommendation cell merged down."""
    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    document.add_paragraph(title)
    headers = ("Ref", "Recommendation", "Actions", "Lead Agency", "Target Date", "Progress/Comments",
               "Evidence/Outcome", "RAG Rating")
    table = document.add_table(rows=1 + len(rows), cols=len(headers))
    for i, header in enumerate(headers):
        table.cell(0, i).text = header
    for r, row in enumerate(rows, start=1):
        for i, value in enumerate(row):
            if i == 1 and merge_recommendations and r > 1 and rows[r - 2][1] == value:
                continue
            table.cell(r, i).text = value
    if merge_recommendations:
        start = 1
        for r in range(2, len(rows) + 2):
            if r == len(rows) + 1 or rows[r - 1][1] != rows[start - 1][1]:
                if r - 1 > start:
                    table.cell(start, 1).merge(table.cell(r - 1, 1))
                    table.cell(start, 1).text = rows[start - 1][1]
                start = r
    document.add_paragraph("The following index indicates how the rating is decided:")
    key = document.add_table(rows=4, cols=2)
    for i, (label, meaning) in enumerate((
        ("Blue", "Completed and evidenced."), ("Green", "On track."), ("Amber", "Needs monitoring."),
        ("Red", "Not on track, remedial action required."),
    )):
        key.cell(i, 0).text = label
        key.cell(i, 1).text = meaning
    document.save(path)
    return path


def write_xlsx(path: Path, rows: Sequence[tuple] = PLAN_ROWS, title: str | None = "DHR Family E Action Plan",
               headers: Sequence[str] = ("Ref No.", "Recommendation", "Action(s)", "Lead", "By when",
                                         "Progress update", "Evidence", "BRAG")) -> Path:
    book = Workbook()
    ws = book.active
    ws.title = "Plan"
    if title:
        ws.append([title])
        ws.append([])
    ws.append(list(headers))
    for row in rows:
        ws.append(list(row))
    book.save(path)
    return path
