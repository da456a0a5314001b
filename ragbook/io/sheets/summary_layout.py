"""Where each table and chart of the Summary sheet goes: values and positions, no drawing.

Both the file adapter (openpyxl) and the live workbook adapter (xlwings) draw the same ``SheetLayout``, so
the dashboard looks the same whichever way it was refreshed. A block is a table of plain values placed at a
row; a chart names the block (and its columns) it plots, so a live refresh can write the values in bulk and
point the charts at the new ranges.
"""

from __future__ import annotations

from dataclasses import dataclass
from ...core.summary import UNRATED, Summary, Tally

UNRATED_FILL, UNRATED_FONT = "D9D9D9", "000000"
FIRST_BLOCK_ROW = 4
CHART_COLUMN = 14  # column N: right of the widest table


@dataclass(frozen=True)
class Block:
    key: str
    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]
    row: int  # sheet row of the title; the header is the row under it
    fills: tuple[tuple[int, str, str], ...] = ()  # (column offset, fill, font) of the rating-coloured headers
    percent_columns: tuple[int, ...] = ()  # column offsets holding shares, shown as 0%
    date_columns: tuple[int, ...] = ()
    note: str = ""  # shown instead of rows when there are none

    @property
    def header_row(self) -> int:
        return self.row + 1

    @property
    def first_data_row(self) -> int:
        return self.row + 2

    @property
    def last_row(self) -> int:
        return self.first_data_row + max(len(self.rows), 1) - 1


@dataclass(frozen=True)
class Chart:
    key: str
    kind: str  # "doughnut" (one row of counts) | "stacked" (one series per rating column)
    title: str
    block: str
    columns: tuple[int, ...]  # column offsets (0 = the block's first column) of the plotted counts
    colours: tuple[str, ...]  # a fill per plotted column, from the Rating Index
    anchor_row: int
    anchor_column: int
    width_cm: float
    height_cm: float


@dataclass(frozen=True)
class SheetLayout:
    title: str
    subtitle: str
    blocks: tuple[Block, ...]
    charts: tuple[Chart, ...]

    def block(self, key: str) -> Block:
        return next(b for b in self.blocks if b.key == key)


def _tally_rows(tallies: tuple[Tally, ...]) -> tuple[tuple[object, ...], ...]:
    return tuple((t.group, *t.counts, t.total, *t.shares()) for t in tallies)


def layout(summary: Summary) -> SheetLayout:
    """Place every part of the summary on the sheet, top to bottom, charts on the right."""
    buckets = summary.buckets
    n = len(buckets)
    colours = tuple((r.fill, r.font) for r in summary.index.ratings) + ((UNRATED_FILL, UNRATED_FONT),)
    tally_header = ("", *buckets, "Total", *(f"{b} %" for b in buckets))
    tally_fills = tuple((1 + i, fill, font) for i, (fill, font) in enumerate(colours)) + tuple(
        (2 + n + i, fill, font) for i, (fill, font) in enumerate(colours))
    percents = tuple(range(2 + n, 2 + 2 * n))
    row = FIRST_BLOCK_ROW
    blocks: list[Block] = []

    def add(key: str, title: str, header: tuple[str, ...], rows: tuple, note: str = "", **extra) -> None:
        nonlocal row
        block = Block(key, title, header, rows, row, note=note, **extra)
        blocks.append(block)
        row = block.last_row + 2

    for key, title, first, tallies in (
        ("overall", "Ratings overall", "All actions", (summary.overall,)),
        ("review", "By review", "Review", summary.by_review),
        ("recommendation", "By recommendation", "Recommendation", summary.by_recommendation),
        ("agency", "By lead agency (an action led jointly counts for each lead)", "Lead agency", summary.by_agency),
    ):
        add(key, title, (first, *tally_header[1:]) if key != "overall" else ("", *tally_header[1:]),
            _tally_rows(tallies), "No actions yet.", fills=tally_fills, percent_columns=percents)

    # Long text goes in the wide first column (wrapped) or the last column (free to run on to the right).
    add("overdue", f"Overdue: past the revised (or target) date and not complete, as at {summary.today:%d/%m/%Y}",
        ("Action", "Review", "Ref", "Due", "Days overdue", "Rating", "Lead agency"),
        tuple((o.action, o.review, o.ref, o.due, o.days, summary.label(o.rating) if o.rating else UNRATED,
               o.lead_agency) for o in summary.overdue),
        "No action is overdue.", date_columns=(3,))
    since = f"since {summary.since:%d/%m/%Y}" if summary.since else "over the whole audit log"
    add("movement", f"Movement of ratings {since}", ("From", "To", "Actions", "Refs"),
        tuple((summary.label(m.old), summary.label(m.new), m.count, ", ".join(m.refs)) for m in summary.movement),
        "No rating has moved.")
    add("slippage", "Target-date slippage: how many times each date was revised",
        ("Review", "Ref", "Target", "Revised", "Revisions", "Days beyond target", "Lead agency"),
        tuple((s.review, s.ref, s.target, s.revised, s.revisions, s.days, s.lead_agency) for s in summary.slippage),
        "No target date has been revised.", date_columns=(2, 3))
    add("returns", "Returns: issued, came back, still pending",
        ("Agency", "Issued", "Came back", "Accepted", "Partly accepted", "Rejected", "Pending", "Oldest pending",
         "Days pending", "Pending past due"),
        tuple((r.agency, r.issued, r.returned, r.accepted, r.partly, r.rejected, r.pending, r.oldest_pending,
               r.days_pending, r.overdue) for r in summary.returns),
        "No returns have been issued.", date_columns=(7,))

    recommendation = next(b for b in blocks if b.key == "recommendation")
    charts = (
        Chart("doughnut", "doughnut", "Ratings overall", "overall", tuple(range(1, n + 1)),
              tuple(fill for fill, _ in colours), FIRST_BLOCK_ROW, CHART_COLUMN, 12, 8),
        Chart("stacked", "stacked", "Ratings per recommendation", "recommendation", tuple(range(1, n + 1)),
              tuple(fill for fill, _ in colours), FIRST_BLOCK_ROW + 17, CHART_COLUMN,
              max(12.0, 4 + 2.2 * len(recommendation.rows)), 9),
    )
    subtitle = (f"As at {summary.today:%d/%m/%Y}: {summary.actions} actions. Rebuilt by Refresh summary "
                f"('ragbook summary'); edits made here are replaced at the next refresh.")
    return SheetLayout("Summary", subtitle, tuple(blocks), charts)

