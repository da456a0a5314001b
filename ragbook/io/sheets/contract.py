"""The workbook contract: the sheets' columns and widths that users, tests and returns rely on.

Change nothing here without a migration: returns issued last quarter and formulas users wrote point at these
names.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...core.sheets import (  # noqa: F401 - the sheet names, beside their columns
    AGENCIES, AUDIT_LOG, EXCEPTIONS, HELD_UPDATES, RATING_INDEX, REGISTER, RETURNS, ROUND, SETTINGS, SUMMARY,
    UPDATES, XLWINGS_CONF)


@dataclass(frozen=True)
class Column:
    header: str
    width: float
    attribute: str | None = None  # the Action attribute a Register column holds
    wrap: bool = False
    kind: str = "text"  # text | date | datetime
    number_format: str = "General"  # "@" keeps what is typed as text (a ref 1.10 must not become 1.1)


REGISTER_TABLE = "Register"

REGISTER_COLUMNS = (
    Column("Review", 12, "review", wrap=True),
    Column("Ref", 6, "ref", number_format="@"),
    Column("Recommendation", 40, "recommendation", wrap=True),
    Column("Action", 36, "action", wrap=True),
    Column("Lead Agency", 18, "lead_agency", wrap=True),
    Column("Target Date", 12, "target_date", kind="date"),
    Column("Revised Date", 12, "revised_date", kind="date"),
    Column("Progress", 50, "progress", wrap=True),
    Column("Evidence", 28, "evidence", wrap=True),
    Column("RAG", 7, "rag"),
    Column("Last Updated", 16, "last_updated", kind="datetime"),
    Column("Updated By", 13, "updated_by", wrap=True),
)
RATING_INDEX_COLUMNS = (
    Column("Code", 8), Column("Label", 12), Column("Meaning", 70, wrap=True), Column("Fill", 10), Column("Font", 10)
)
AGENCIES_COLUMNS = (Column("Agency", 40, wrap=True), Column("Contact", 28), Column("Email", 36),
                    Column("In This Round", 9, wrap=True))
# Widths (in characters) that print one page wide at 9 pt or more (see io.sheets.printing), the Register apart.
EXCEPTIONS_COLUMNS = (
    Column("Severity", 10), Column("Rule", 26), Column("Review", 18, wrap=True), Column("Ref", 7),
    Column("Field", 16), Column("Message", 71, wrap=True),
)
AUDIT_LOG_COLUMNS = (
    Column("When", 17, kind="datetime"), Column("Source", 19, wrap=True), Column("Agency", 18, wrap=True),
    Column("Review", 16, wrap=True), Column("Ref", 7), Column("Field", 14), Column("Old", 28, wrap=True),
    Column("New", 28, wrap=True),
)
RETURNS_COLUMNS = (
    Column("Return ID", 25), Column("Agency", 18, wrap=True), Column("Issued", 11, kind="date"),
    Column("Due", 11, kind="date"), Column("Received", 11, kind="date"), Column("Status", 15),
    Column("File", 25, wrap=True), Column("Notes", 31, wrap=True), Column("Chased", 11, kind="date"),
    Column("Chases", 8),
)
SETTINGS_COLUMNS = (Column("Setting", 22), Column("Value", 50, wrap=True), Column("What it is for", 76, wrap=True))
ROUND_COLUMNS = (Column("Setting", 22), Column("Value", 20, wrap=True), Column("What it is for", 90, wrap=True))
UPDATES_COLUMNS = (
    Column("When", 15, kind="datetime"), Column("Round", 6), Column("Return ID", 14, wrap=True),
    Column("Agency", 13, wrap=True), Column("Review", 12, wrap=True), Column("Ref", 6, number_format="@"),
    Column("Rating", 7), Column("Progress", 25, wrap=True), Column("Evidence", 14, wrap=True),
    Column("Revised Date", 10, kind="date"), Column("Updated By", 11, wrap=True), Column("Accepted", 12, wrap=True),
)
# Too many columns for one page at 9 pt: printed over two pages wide, each repeating Return ID to Ref.
HELD_UPDATES_COLUMNS = (
    Column("Return ID", 14, wrap=True), Column("Round", 6), Column("Agency", 12, wrap=True),
    Column("Review", 11, wrap=True), Column("Ref", 6, number_format="@"), Column("Rating", 7),
    Column("Progress", 30, wrap=True), Column("Evidence", 18, wrap=True), Column("Revised Date", 10, kind="date"),
    Column("Updated By", 11, wrap=True), Column("Received", 15, kind="datetime"), Column("Reason", 34, wrap=True),
    Column("Decision", 10), Column("Decision Note", 26, wrap=True), Column("Decided By", 12, wrap=True),
)
# The columns of Held Updates a person fills in; the others are ragbook's, rewritten at every consolidation.
DECISION_HEADERS = ("Decision", "Decision Note", "Decided By")

# Sheets that are lists under one header row, each kept as an Excel table of the same name (spaces removed).
LIST_SHEETS = {
    RATING_INDEX: RATING_INDEX_COLUMNS,
    AGENCIES: AGENCIES_COLUMNS,
    EXCEPTIONS: EXCEPTIONS_COLUMNS,
    AUDIT_LOG: AUDIT_LOG_COLUMNS,
    RETURNS: RETURNS_COLUMNS,
    SETTINGS: SETTINGS_COLUMNS,
    ROUND: ROUND_COLUMNS,
    UPDATES: UPDATES_COLUMNS,
    HELD_UPDATES: HELD_UPDATES_COLUMNS,
}
# The list sheets that grow with the plan (thousands of rows): streamed out of their XML and written as XML text
# rather than through openpyxl's cell objects. Their cell formatting is ragbook's own, rewritten on every save.
STREAMED_SHEETS = (REGISTER, EXCEPTIONS, AUDIT_LOG, RETURNS, UPDATES, HELD_UPDATES)
SHEET_ORDER = (REGISTER, SUMMARY, RATING_INDEX, AGENCIES, EXCEPTIONS, AUDIT_LOG, RETURNS, SETTINGS, ROUND, UPDATES,
               HELD_UPDATES)

NOTE_AUTHOR = "ragbook"  # notes ragbook puts on cells carry this author, so it can take them away again
CONTINUED_AUTHOR = "ragbook import"  # the note holding a text too long for its cell: Validate never takes it


def table_name(sheet: str) -> str:
    return sheet.replace(" ", "")
