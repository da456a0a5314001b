"""The one mapping between the contract's sheet rows and the domain's values, used by both adapters.

The file adapter (openpyxl, and the streaming reader for the list sheets) and the live adapter (xlwings) each read a sheet as a block of
values — a header row, then rows — and hand it here; they write back the rows made here. So the Register's
actions, the Rating Index, the Agencies, the Exceptions' findings, the Audit Log's entries and the Returns
sheet's records are turned into rows and back in exactly one place, by the contract's column headers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Sequence

from ...core.errors import InputError
from ...core.model import FIELD_LABELS, Action, ActionKey, Agency, Register
from ...core.ratings import Rating, RatingIndex
from ...core.records import AuditEntry, Finding, HeldRecord, ReturnRecord, ReturnStatus, UpdateRecord
from ...core.repair import CellNote
from ...core.round import RoundSettings
from ...core.settings import Settings
from . import contract as c
from .values import date_of, text_of

Row = Sequence[object]
HeadedRow = dict[str, object]


def header_map(header: Row) -> dict[str, int]:
    """Column header -> 1-based column number (the first column of a repeated header wins)."""
    headers: dict[str, int] = {}
    for position, value in enumerate(header, start=1):
        if value not in (None, ""):
            headers.setdefault(str(value).strip(), position)
    return headers


def headed_rows(header: Row, rows: Iterable[Row], first_number: int = 2) -> list[tuple[int, HeadedRow]]:
    """(row number, {header: value}) for every non-blank row under the header row."""
    headers = header_map(header)
    result = []
    for number, row in enumerate(rows, start=first_number):
        if all(v in (None, "") for v in row):
            continue
        result.append((number, {h: row[i - 1] for h, i in headers.items() if i - 1 < len(row)}))
    return result


def list_rows(values: Sequence[Row]) -> list[tuple[int, HeadedRow]]:
    """``headed_rows`` of a whole sheet read as one block (header first)."""
    return headed_rows(values[0], values[1:]) if values else []


# ---------------------------------------------------------------------------- the Register
@dataclass
class RegisterRows:
    """The Register's actions, and the columns a user added beyond the contract (kept through every save)."""

    actions: list[Action]
    extra_headers: list[str] = field(default_factory=list)
    extra_values: dict[ActionKey, list[object]] = field(default_factory=dict)


def actions_from(headers: Sequence[str], rows: Iterable[Row], where: str) -> RegisterRows:
    positions = {header: i for i, header in reversed(list(enumerate(headers)))}
    missing = [col.header for col in c.REGISTER_COLUMNS if col.header not in positions]
    if missing:
        raise InputError(f"{where}: sheet '{c.REGISTER}' has no {', '.join(missing)} column; restore the header "
                         f"row (row 1).")
    contract_headers = {col.header for col in c.REGISTER_COLUMNS}
    extra_headers = [h for h in headers if h and h not in contract_headers]
    extra_positions = [positions[h] for h in extra_headers]
    result = RegisterRows([], extra_headers)
    for values in rows:
        def at(position: int) -> object:
            return values[position] if position < len(values) else None

        fields: dict[str, object] = {}
        for col in c.REGISTER_COLUMNS:
            raw = at(positions[col.header])
            if col.kind == "date":
                fields[col.attribute] = date_of(raw)
            elif col.kind == "datetime":
                fields[col.attribute] = raw if raw != "" else None
            else:
                fields[col.attribute] = text_of(raw)
        if not any(v not in (None, "") for v in fields.values()):
            continue
        action = Action(**fields)
        result.actions.append(action)
        if extra_positions:
            result.extra_values[action.key] = [at(p) for p in extra_positions]
    return result


def register_values(actions: Iterable[Action]) -> list[list[object]]:
    return [[getattr(a, col.attribute) for col in c.REGISTER_COLUMNS] for a in actions]


def finding_notes(register: Register, findings: Sequence[Finding], headers: dict[str, int]) -> dict[tuple[int, int], str]:
    """(row, column) of each Register cell a finding points at -> the note it gets, one line per finding."""
    row_of: dict[tuple[str, str], int] = {}
    for number, action in enumerate(register.actions, start=2):
        row_of.setdefault((action.review, action.ref), number)  # a duplicated ref: the first row, as on file
    lines: dict[tuple[int, int], list[str]] = {}
    for f in findings:
        row, column = row_of.get((f.review, f.ref)), headers.get(f.field)
        if row is None or column is None:
            continue
        lines.setdefault((row, column), []).append(f"{f.severity.upper()} {f.rule}: {f.message}")
    return {cell: "\n".join(text) for cell, text in lines.items()}


def cell_note_places(register: Register, notes: Sequence[CellNote]) -> dict[tuple[int, int], str]:
    """(row, column) of the Register cell each continued text belongs to -> the note's text."""
    row_of: dict[tuple[str, str], int] = {}
    for number, action in enumerate(register.actions, start=2):
        row_of.setdefault((action.review, action.ref), number)
    columns = header_map([col.header for col in c.REGISTER_COLUMNS])
    places = {}
    for note in notes:
        row, column = row_of.get((note.review, note.ref)), columns.get(FIELD_LABELS.get(note.attribute, ""))
        if row is not None and column is not None:
            places[(row, column)] = note.text
    return places


# ---------------------------------------------------------------------------- Rating Index and Agencies
def index_from(rows: list[tuple[int, HeadedRow]], where: str) -> RatingIndex:
    ratings = []
    for row_number, row in rows:
        code, label, meaning, fill, font = (text_of(row.get(h)).strip() for h in ("Code", "Label", "Meaning", "Fill", "Font"))
        if not code and not label:
            continue
        try:
            ratings.append(Rating(code or label[:1].upper(), label or code, meaning, fill or "D9D9D9", font or "000000"))
        except ValueError as exc:
            raise InputError(f"{where}: sheet '{c.RATING_INDEX}' row {row_number}: {exc}.") from None
    try:
        return RatingIndex(tuple(ratings))
    except ValueError as exc:
        raise InputError(f"{where}: sheet '{c.RATING_INDEX}': {exc}; fix the index before going on.") from None


def index_values(ratings: Iterable[Rating]) -> list[list[object]]:
    return [[r.code, r.label, r.meaning, r.fill, r.font] for r in ratings]


NOT_IN_ROUND = {"no", "n", "false", "0", "out", "not this round"}


def agencies_from(rows: list[tuple[int, HeadedRow]]) -> list[Agency]:
    """The Agencies sheet; an In This Round left blank (or a sheet from before the column) means Yes."""
    agencies = []
    for _, row in rows:
        name = text_of(row.get("Agency")).strip()
        if name:
            in_round = " ".join(text_of(row.get("In This Round")).split()).casefold() not in NOT_IN_ROUND
            agencies.append(Agency(name, text_of(row.get("Contact")).strip(), text_of(row.get("Email")).strip(),
                                   in_round))
    return agencies


def agency_values(agencies: Iterable[Agency]) -> list[list[object]]:
    return [[a.name, a.contact, a.email, "Yes" if a.in_round else "No"] for a in agencies]


# ---------------------------------------------------------------------------- Settings
def settings_from(rows: list[tuple[int, HeadedRow]]) -> Settings:
    return Settings.from_pairs((text_of(row.get("Setting")), text_of(row.get("Value"))) for _, row in rows)


def settings_values(settings: Settings) -> list[list[object]]:
    return [list(row) for row in settings.pairs()]


def round_from(rows: list[tuple[int, HeadedRow]], where: str) -> RoundSettings:
    return RoundSettings.from_rows(((number, text_of(row.get("Setting")), row.get("Value")) for number, row in rows),
                                   where)


def round_values(settings: RoundSettings) -> list[list[object]]:
    return [list(row) for row in settings.pairs()]


# ---------------------------------------------------------------------------- Exceptions, Audit Log, Returns
def _text(row: HeadedRow, header: str) -> str:
    value = row.get(header)
    return "" if value is None else str(value)


def findings_from(rows: list[tuple[int, HeadedRow]]) -> list[Finding]:
    return [Finding(_text(row, "Severity"), _text(row, "Rule"), _text(row, "Review"), _text(row, "Ref"),
                    _text(row, "Field"), _text(row, "Message")) for _, row in rows]


def _ref_order(ref: str) -> tuple:
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in ref.strip().split("."))


def finding_values(findings: Iterable[Finding]) -> list[list[object]]:
    """The Exceptions sheet's rows, worst first: errors, then warnings, each in the plan's order."""
    findings = list(findings)
    reviews = {review: i for i, review in enumerate(dict.fromkeys(f.review for f in findings))}
    ordered = sorted(findings, key=lambda f: (not f.is_error, reviews[f.review], _ref_order(f.ref)))
    return [[str(f.severity), f.rule, f.review, f.ref, f.field, f.message] for f in ordered]


def audit_from(rows: list[tuple[int, HeadedRow]]) -> list[AuditEntry]:
    def text(row: HeadedRow, header: str) -> str:
        value = row.get(header)
        return "" if value is None else text_of(value)

    return [AuditEntry(row.get("When"), text(row, "Source"), text(row, "Agency"), text(row, "Review"),
                       text(row, "Ref"), text(row, "Field"), row.get("Old"), row.get("New")) for _, row in rows]


def audit_values(entries: Iterable[AuditEntry]) -> list[list[object]]:
    return [[e.when, e.source, e.agency, e.review, e.ref, e.field, e.old, e.new] for e in entries]


def returns_from(rows: list[tuple[int, HeadedRow]]) -> list[ReturnRecord]:
    def text(row: HeadedRow, header: str) -> str:
        value = row.get(header)
        return "" if value is None else text_of(value)

    return [ReturnRecord(text(row, "Return ID"), text(row, "Agency"), row.get("Issued"), row.get("Due"),
                         row.get("Received"), ReturnStatus.parse(row.get("Status")), text(row, "File"),
                         text(row, "Notes"), row.get("Chased") or None, _count(row.get("Chases")))
            for _, row in rows]


def _count(value: object) -> int:
    """A count a person may have typed over: anything that is not a whole number counts as none."""
    try:
        number = float(str(value).strip()) if value not in (None, "") else 0.0
    except ValueError:
        return 0
    return int(number) if number.is_integer() and number > 0 else 0


def return_values(records: Iterable[ReturnRecord]) -> list[list[object]]:
    return [[r.return_id, r.agency, r.issued, r.due, r.received, str(r.status) if r.status else None, r.file,
             r.notes, r.chased, r.chases or None] for r in records]


def updates_from(rows: list[tuple[int, HeadedRow]]) -> list[UpdateRecord]:
    return [UpdateRecord(row.get("When"), _count(row.get("Round")), _text(row, "Return ID"), _text(row, "Agency"),
                         _text(row, "Review"), _text(row, "Ref"), _text(row, "Rating"), _text(row, "Progress"),
                         _text(row, "Evidence"), row.get("Revised Date") or None, _text(row, "Updated By"),
                         _text(row, "Accepted")) for _, row in rows]


def update_values(updates: Iterable[UpdateRecord]) -> list[list[object]]:
    return [[u.when, u.round, u.return_id, u.agency, u.review, u.ref, u.rating, u.progress, u.evidence,
             u.revised_date, u.updated_by, u.accepted] for u in updates]


def held_from(rows: list[tuple[int, HeadedRow]]) -> list[HeldRecord]:
    return [HeldRecord(_text(row, "Return ID"), _count(row.get("Round")), _text(row, "Agency"), _text(row, "Review"),
                       _text(row, "Ref"), _text(row, "Rating"), _text(row, "Progress"), _text(row, "Evidence"),
                       row.get("Revised Date") or None, _text(row, "Updated By"), row.get("Received") or None,
                       _text(row, "Reason"), _text(row, "Decision"), _text(row, "Decision Note"),
                       _text(row, "Decided By")) for _, row in rows]


def held_values(held: Iterable[HeldRecord]) -> list[list[object]]:
    return [[h.return_id, h.round, h.agency, h.review, h.ref, h.rating, h.progress, h.evidence, h.revised_date,
             h.updated_by, h.received, h.reason, h.decision or None, h.decision_note or None, h.decided_by or None]
            for h in held]


class ListSheets:
    """The typed list-sheet methods of ``app.ports.Master``, the same for both adapters.

    An adapter provides the two primitives — read a sheet as headed rows, replace a list sheet's rows — and
    gets findings, audit entries and return records read and written through this module's one mapping.
    """

    def _headed_rows(self, sheet: str) -> list[tuple[int, HeadedRow]]:
        raise NotImplementedError

    def _write_list(self, sheet: str, rows: Iterable[Row]) -> None:
        raise NotImplementedError

    def read_findings(self) -> list[Finding]:
        return findings_from(self._headed_rows(c.EXCEPTIONS))

    def write_findings(self, findings: Sequence[Finding]) -> None:
        self._write_list(c.EXCEPTIONS, finding_values(findings))

    def read_audit(self) -> list[AuditEntry]:
        return audit_from(self._headed_rows(c.AUDIT_LOG))

    def append_audit(self, entries: Iterable[AuditEntry]) -> None:
        self._write_list(c.AUDIT_LOG, audit_values([*self.read_audit(), *entries]))

    def read_returns(self) -> list[ReturnRecord]:
        return returns_from(self._headed_rows(c.RETURNS))

    def write_returns(self, returns: Sequence[ReturnRecord]) -> None:
        self._write_list(c.RETURNS, return_values(returns))

    def read_settings(self) -> Settings:
        """The Settings sheet; a master without it (or a blank setting) gives the defaults."""
        return settings_from(self._headed_rows(c.SETTINGS))

    def write_settings(self, settings: Settings) -> None:
        self._write_list(c.SETTINGS, settings_values(settings))

    def read_round(self) -> RoundSettings:
        """The Round sheet; a master without it (or a blank setting) gives the defaults."""
        return round_from(self._headed_rows(c.ROUND), self.name)

    def write_round(self, settings: RoundSettings) -> None:
        self._write_list(c.ROUND, round_values(settings))

    def read_updates(self) -> list[UpdateRecord]:
        return updates_from(self._headed_rows(c.UPDATES))

    def append_updates(self, updates: Iterable[UpdateRecord]) -> None:
        """The Updates sheet is append-only: the new lines go under the existing ones, which stay as they are."""
        self._write_list(c.UPDATES, [*self._raw_rows(c.UPDATES), *update_values(updates)])

    def read_held(self) -> list[HeldRecord]:
        return held_from(self._headed_rows(c.HELD_UPDATES))

    def write_held(self, held: Sequence[HeldRecord]) -> None:
        self._write_list(c.HELD_UPDATES, held_values(held))

    def _raw_rows(self, sheet: str) -> list[list[object]]:
        """A list sheet's rows as they are, in the contract's column order (for appending beneath them)."""
        headers = [col.header for col in c.LIST_SHEETS[sheet]]
        return [[row.get(h) for h in headers] for _, row in self._headed_rows(sheet)]
