"""Writing an agency's return: a plain, macro-free .xlsx an agency fills in with Excel alone.

It opens on an Instructions sheet (who it is for, the due date, how to fill it in, the rating index with
meanings and colours). The Actions sheet holds only that agency's actions: context is locked, inputs are
open, the rating has a dropdown and live colours, the revised date a date check. The return's identity
(return id, agency, round, issue date) is written in two hidden places — the workbook's custom document
properties and a very hidden sheet — which consolidation checks against each other and the ledger. Sheet
protection only stops accidents (it is removable with any zip tool), so the locked content is verified by
its keyed hash when the return comes back.
"""

from __future__ import annotations

import hashlib
import io
from copy import copy
from pathlib import Path

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.packaging.custom import IntProperty, StringProperty
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter

from ...core.model import Action
from ...core.ratings import RatingIndex
from ...core.returns import (ACTIONS_SHEET, IDENTITY_SHEET, INSTRUCTIONS_SHEET, LOCKED_COLUMNS, RETURN_HEADERS,
                             Identity, ReturnSpec)
from ..xlsx.cells import add_rating_rules, drop_empty_protection, landscape_fit_to_width, put
from ..xlsx.strings import escape_package
from ..xlsx.validation import footer_text, rating_list, rating_prompt, validation

PROPERTY_PREFIX = "ragbook."
IDENTITY_FIELDS = ("return_id", "agency", "round", "issued")
NOT_ACCEPTED_HEADING = "Updates from your last return that were not accepted:"

HEADER_FILL = PatternFill("solid", fgColor="1F3864")
INPUT_HEADER_FILL = PatternFill("solid", fgColor="375623")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
LOCKED_FILL = PatternFill("solid", fgColor="F2F2F2")
WHITE_BOLD = Font(bold=True, color="FFFFFF")
WRAP = Alignment(wrap_text=True, vertical="top")
THIN = Side(style="thin", color="BFBFBF")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WIDTHS = (12, 6, 34, 34, 16, 11, 9, 38, 10, 44, 30, 12, 16)


def build_return(spec: ReturnSpec, protection_secret: str) -> Workbook:
    book = Workbook()
    instructions = book.active
    instructions.title = INSTRUCTIONS_SHEET
    index_row = _instructions(instructions, spec)
    _actions(book.create_sheet(ACTIONS_SHEET), spec, protection_secret, index_row)
    _identity(book, spec.identity)
    book.active = 0
    drop_empty_protection(book)
    return book


def return_bytes(spec: ReturnSpec, protection_secret: str) -> bytes:
    buffer = io.BytesIO()
    build_return(spec, protection_secret).save(buffer)
    return escape_package(buffer.getvalue())


def write_return(spec: ReturnSpec, path: Path, protection_secret: str, password: str | None = None) -> None:
    data = return_bytes(spec, protection_secret)
    if password:
        from .crypto import encrypt  # noqa: PLC0415

        data = encrypt(data, password)
    path.write_bytes(data)


def _identity(book: Workbook, identity: Identity) -> None:
    values = _identity_values(identity)
    for name, value in values.items():
        prop = IntProperty if isinstance(value, int) else StringProperty
        book.custom_doc_props.append(prop(name=PROPERTY_PREFIX + name, value=value))
    sheet = book.create_sheet(IDENTITY_SHEET)
    for number, (name, value) in enumerate(values.items(), start=1):
        sheet.cell(number, 1, name)
        put(sheet.cell(number, 2), value if isinstance(value, int) else str(value))
    sheet.sheet_state = "veryHidden"
    sheet.protection.sheet = True


def _identity_values(identity: Identity) -> dict[str, object]:
    return {"return_id": identity.return_id, "agency": identity.agency, "round": identity.round,
            "issued": identity.issued.isoformat() if identity.issued else ""}


def _instructions(ws, spec: ReturnSpec) -> int:
    """Fill the Instructions sheet; returns the row of its first rating code (the dropdown may list from there)."""
    identity = spec.identity
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 14
    ws.column_dimensions["C"].width = 80
    ws["A1"] = f"Action plan return for {identity.agency}"
    ws["A1"].font = Font(bold=True, size=16, color="1F3864")
    due = f"{spec.due:%d/%m/%Y}" if spec.due else "as agreed with the partnership"
    # The plan's name and the contact are the Settings sheet's (the partnership, the business unit's email)
    # when the issue passes them, else the master's file name.
    facts = [
        ("Plan", spec.plan_name),
        ("Return ID", identity.return_id),
        ("Issued", f"{identity.issued:%d/%m/%Y}" if identity.issued else ""),
        ("Please return by", due),
        ("Actions", f"{len(spec.actions)} actions led by {identity.agency}"),
    ] + ([("Questions to", spec.contact)] if spec.contact else [])
    for number, (label, value) in enumerate(facts, start=3):
        ws.cell(number, 1, label).font = Font(bold=True)
        put(ws.cell(number, 2), value)
    steps = [
        "How to fill in this return",
        f"1. Go to the {ACTIONS_SHEET} sheet. Each row is one action your agency leads (or shares).",
        "2. The grey columns show the action as the partnership holds it; they are locked.",
        "3. Fill in the yellow columns: New Rating (choose from the list), Progress Update (what has been done "
        "since the last return), Evidence (how you know it is embedded), Revised Date (only if the target "
        "will be missed) and Updated By (your name).",
        "4. Leave a cell blank when nothing has changed. Rating an action Blue (complete) needs evidence.",
        "5. Do not add, delete, move or copy rows or columns, and do not rename the file's sheets: the return "
        "is checked when it comes back, and changed rows cannot be accepted.",
        "6. Save the file as it is (Excel Workbook, .xlsx) and email it back to the partnership"
        + (f" ({spec.contact})." if spec.contact else "."),
    ]
    row = len(facts) + 4
    for number, text in enumerate(steps):
        cell = ws.cell(row + number, 1, text)
        ws.merge_cells(start_row=row + number, start_column=1, end_row=row + number, end_column=3)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.font = Font(bold=True, size=12) if number == 0 else Font()
        ws.row_dimensions[row + number].height = 18 if number == 0 else 32
    row += len(steps) + 1
    row = _not_accepted(ws, spec, row)
    ws.cell(row, 1, "Rating index").font = Font(bold=True, size=12)
    for offset, header in enumerate(("Code", "Label", "Meaning"), start=1):
        cell = ws.cell(row + 1, offset, header)
        cell.fill, cell.font = HEADER_FILL, WHITE_BOLD
    for number, rating in enumerate(spec.index.ratings, start=row + 2):
        for offset, value in enumerate((rating.code, rating.label, rating.meaning), start=1):
            cell = ws.cell(number, offset)
            put(cell, value)
            cell.alignment = WRAP
            cell.border = BOX
            if offset < 3:
                cell.fill = PatternFill("solid", fgColor=rating.fill)
                cell.font = Font(color=rating.font, bold=True)
    ws.protection.sheet = True
    ws.page_setup.orientation = "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    return row + 2


def _not_accepted(ws, spec: ReturnSpec, row: int) -> int:
    """List the updates of the agency's last return that were rejected on review, from ``row``; the next free
    row. The agency can send them again, changed, on this return: they are not in the plan as it stands."""
    if not spec.not_accepted:
        return row
    ws.cell(row, 1, NOT_ACCEPTED_HEADING).font = Font(bold=True, size=12)
    for number, (review, ref, reason) in enumerate(spec.not_accepted, start=row + 1):
        cell = ws.cell(number, 1)
        put(cell, f"{review} {ref} — {reason}" if reason else f"{review} {ref}")
        ws.merge_cells(start_row=number, start_column=1, end_row=number, end_column=3)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    return row + len(spec.not_accepted) + 2


def _actions(ws, spec: ReturnSpec, secret: str, index_row: int) -> None:
    locked = len(LOCKED_COLUMNS)
    for position, (header, width) in enumerate(zip(RETURN_HEADERS, WIDTHS), start=1):
        cell = ws.cell(1, position, header)
        cell.fill = HEADER_FILL if position <= locked else INPUT_HEADER_FILL
        cell.font = WHITE_BOLD
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(position)].width = width
    ws.row_dimensions[1].height = 32
    styles = _column_styles(ws)
    for number, action in enumerate(spec.actions, start=2):
        for position, (_, attribute) in enumerate(LOCKED_COLUMNS, start=1):
            cell = ws.cell(number, position)
            cell._style = copy(styles[position - 1])
            put(cell, getattr(action, attribute))
        for position in range(locked + 1, len(RETURN_HEADERS) + 1):
            ws.cell(number, position)._style = copy(styles[position - 1])
        ws.row_dimensions[number].height = min(409, 15 * max(2, _lines(action)) + 3)
    last = max(len(spec.actions) + 1, 2)
    _validations(ws, spec.index, last, index_row)
    _live_colours(ws, spec.index, last)
    ws.freeze_panes = "C2"
    landscape_fit_to_width(ws)
    ws.oddFooter.center.text = footer_text(spec.identity.agency, f"return {spec.identity.return_id}",
                                           codes="page &P of &N")
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # agencies may widen columns and rows to read; nothing more
    ws.protection.formatRows = False
    ws.protection.password = hashlib.sha256(f"{secret}:{spec.identity.return_id}".encode()).hexdigest()[:16]


def _column_styles(ws) -> list:
    """One style per column, built once on a scratch cell and copied to every row: setting fill, border and
    protection cell by cell costs openpyxl a style lookup each, seconds for a return of thousands of rows."""
    locked = len(LOCKED_COLUMNS)
    styles = []
    for position in range(1, len(RETURN_HEADERS) + 1):
        scratch = ws.cell(1, 100)
        is_input = position > locked
        scratch.fill = INPUT_FILL if is_input else LOCKED_FILL
        scratch.alignment, scratch.border = WRAP, BOX
        scratch.protection = Protection(locked=not is_input)
        if position == 2:
            scratch.number_format = "@"  # refs such as 1.10 stay text
        elif position in (6, locked + 4):
            scratch.number_format = "dd/mm/yyyy"
        styles.append(copy(scratch._style))
        del ws._cells[(1, 100)]
    return styles


def _lines(action: Action) -> int:
    return max(-(-len(str(getattr(action, a) or "")) // 40) for a in ("recommendation", "action", "progress"))


def _validations(ws, index: RatingIndex, last: int, index_row: int) -> None:
    locked = len(LOCKED_COLUMNS)
    rating, revised = get_column_letter(locked + 1), get_column_letter(locked + 4)
    ws.add_data_validation(validation(
        "list", f"{rating}2:{rating}{last}", formula1=rating_list(index, INSTRUCTIONS_SHEET, "A", index_row),
        title="New rating", error="Choose a rating from the list (see the Instructions sheet).",
        prompt=rating_prompt(index)))
    ws.add_data_validation(validation(
        "date", f"{revised}2:{revised}{last}", operator="between", formula1="DATE(2000,1,1)",
        formula2="DATE(2100,12,31)", title="Revised date", error="Enter a date, such as 31/03/2026."))


def _live_colours(ws, index: RatingIndex, last: int) -> None:
    locked = len(LOCKED_COLUMNS)
    for column in (get_column_letter(7), get_column_letter(locked + 1)):
        add_rating_rules(ws, f"{column}2:{column}{last}", index)
    # A filled-in input turns white, so what is still to do stays yellow at a glance.
    first, end = get_column_letter(locked + 2), get_column_letter(len(RETURN_HEADERS))
    ws.conditional_formatting.add(f"{first}2:{end}{last}", FormulaRule(
        formula=[f'LEN({first}2)>0'], fill=PatternFill("solid", fgColor="FFFFFF", bgColor="FFFFFF")))
