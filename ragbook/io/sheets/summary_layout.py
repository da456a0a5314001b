"""Where each table and chart of the Summary sheet goes, and how it prints: values, positions, widths, heights
and page breaks, no drawing.

Both the file adapter (openpyxl) and the live workbook adapter (xlwings) draw the same ``SheetLayout``, so
the dashboard looks the same whichever way it was refreshed. A block is a table of plain values placed at a
row; a chart names the block (and its columns) it plots, so a live refresh can write the values in bulk and
point the charts at the new ranges.

The sheet prints on as many A4 landscape pages as it needs, at a scale that keeps text at 9 pt or more: the
columns are as wide as their content (and no wider than a page), long text wraps in its column with the row
as tall as it needs, and a table starts on a new page rather than splitting when it fits on one. The first
page holds the ratings overall and by review, and the two charts under them. The history comes last: the
agencies to escalate, the counts by round with their chart under them, and the actions by round (those that
moved or stand Red or Amber, worst first, at most ``ROUND_ROWS``; the title says how many more there are).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ...core.history import ESCALATE_AFTER, what_is_listed
from ...core.summary import UNRATED, Summary, Tally
from ...core.wording import dates_age, elapsed, plural, shorten
from .printing import CHARACTERS_PER_WIDTH, EXCEL_POINTS_PER_WIDTH, LINE_POINTS, capacity, column_points, fit_scale, page_points, points, row_points, wrapped_lines

UNRATED_FILL, UNRATED_FONT = "D9D9D9", "000000"
FIRST_BLOCK_ROW = 5  # rows 1-3: the title, what it is and when, the protective marking
WRAP_WIDTHS = (42.0, 18.0, 8.7)  # the widest a column of wrapping text grows: A, B, the others
READABLE_SCALE = 9 / 11  # the smallest print scale that keeps the sheet's 11 pt text at 9 pt
# Columns C onwards are one of two widths, a number's or a date's, so that the live workbook sets them in a few
# calls (one per run of equal widths).
NARROW, WIDE = 8.7, 11.0
CHART_ROWS = 17  # rows left free under the first tables for the two charts
DOUGHNUT_CM, POINTS_PER_CM = 10.5, 28.35
RECOMMENDATION_CHARACTERS = 80
ROUNDS_SHOWN = 8  # two years of quarters: the table of ratings by round stays a page wide
# The most actions the table of ratings by round lists (the worst first): a dashboard, not the Updates sheet;
# it keeps the sheet's values within two blocks of Excel's at 20,000 actions (Refresh summary's 25 actions).
ROUND_ROWS = 1000


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
    wrap_columns: tuple[int, ...] = (0,)  # column offsets whose text wraps (the row grows to hold it)

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
    category_column: int = 0  # the column offset of the categories (the stacked chart's short names)


@dataclass(frozen=True)
class SheetLayout:
    title: str
    subtitle: str
    blocks: tuple[Block, ...]
    charts: tuple[Chart, ...]
    marking: str = ""  # row 3: the protective marking, and a warning when the plan's dates are years old
    widths: tuple[float, ...] = ()  # of columns A onwards, in characters
    heights: tuple[tuple[int, float], ...] = ()  # (row, points) of every row taller than one line
    breaks: tuple[int, ...] = ()  # rows a new printed page starts after
    labels: tuple[tuple[str, str, str], ...] = ()  # (rating label, fill, font): cells holding one are coloured
    page_marking: str = ""  # printed at the top of every page

    def block(self, key: str) -> Block:
        return next(b for b in self.blocks if b.key == key)

    @property
    def last_row(self) -> int:
        return max((b.last_row for b in self.blocks), default=3)

    @property
    def header_rows(self) -> tuple[int, ...]:
        return tuple(b.header_row for b in self.blocks)

    @property
    def title_rows(self) -> tuple[int, ...]:
        return tuple(b.row for b in self.blocks)


def _tally_rows(tallies: tuple[Tally, ...], detailed: bool = False) -> tuple[tuple[object, ...], ...]:
    """One row per group: its name (with ``detailed``, its wording), counts, total, shares (and with ``detailed``,
    last, the short name the chart shows)."""
    rows = []
    for t in tallies:
        if not detailed:
            rows.append((t.group, *t.counts, t.total, *t.shares()))
            continue
        number = t.group.rsplit(" ", 1)[-1]
        wording = f"{number}. {shorten(t.detail, RECOMMENDATION_CHARACTERS)}" if t.detail else t.group
        rows.append((wording, *t.counts, t.total, *t.shares(), t.group.replace("Recommendation ", "Rec. ")))
    return tuple(rows)


def _text(value: object) -> object:
    return value if isinstance(value, str) else ""


def _shown(value: object, percent: bool, is_date: bool) -> int:
    """How many characters a value takes on the sheet."""
    if value is None or value == "":
        return 0
    if is_date or isinstance(value, date):
        return 10
    if percent:
        return 4
    if isinstance(value, float):
        return len(f"{value:g}")
    return len(str(value))


def _fit_widths(blocks: list[Block], columns: int) -> tuple[float, ...]:
    """Each column as wide as the widest thing in it (a header wraps between words; long text wraps in its
    column up to ``WRAP_WIDTHS``), columns C on either ``NARROW`` or ``WIDE``; then the wrapping columns are narrowed
    until the sheet fits one page wide at a scale that keeps 11 pt text at 9 pt or more."""
    needed = [NARROW] * columns
    for block in blocks:
        for offset, header in enumerate(block.header):
            longest = max((len(word) for word in header.split()), default=0)
            needed[offset] = max(needed[offset], longest * 1.1 / CHARACTERS_PER_WIDTH)
        for values in block.rows:
            for offset, value in enumerate(values):
                size = _shown(value, offset in block.percent_columns, offset in block.date_columns) + 1
                if offset in block.wrap_columns:
                    size = min(size, WRAP_WIDTHS[min(offset, len(WRAP_WIDTHS) - 1)])
                needed[offset] = max(needed[offset], size)
    needed[0] = max(needed[0], WRAP_WIDTHS[0] * 0.75)  # the titles and notes run across from column A
    needed[2:] = [NARROW if w <= NARROW else WIDE for w in needed[2:]]
    for column, floor in ((1, 14.0), (0, 26.0)):
        while fit_scale(needed) < READABLE_SCALE and needed[column] > floor:
            needed[column] -= 1
    return tuple(round(w, 1) for w in needed)


def _height(block: Block, widths: tuple[float, ...]) -> tuple[float | None, list[float | None]]:
    """The header's and each data row's height (None: one line), from the text in the wrapped columns."""
    header_lines = max(wrapped_lines(h, capacity(widths[i], bold=True)) for i, h in enumerate(block.header))
    wrapped = [(i, capacity(widths[i])) for i in block.wrap_columns if i < len(widths)]
    rows = [row_points([_text(v) for v in values], wrapped) for values in block.rows]
    return (points(header_lines) if header_lines > 1 else None), rows


def _paginate(blocks: list[Block], heights: dict[int, float], page: float) -> tuple[int, ...]:
    """Page breaks so that each table starts on a new page when it would not fit on what is left of this one."""
    breaks: list[int] = []
    used = 0.0
    for block, after in zip(blocks, [b.row for b in blocks[1:]] + [blocks[-1].last_row + 2]):
        # A block prints down to the next one's title: the rows left under it for a chart go with it.
        size = sum(heights.get(r, LINE_POINTS) for r in range(block.row, after))
        if used and used + size > page:
            breaks.append(block.row - 1)
            used = 0.0
        used += size
        used = min(used, page)  # a table longer than a page runs on; the next starts on a page of its own
    return tuple(breaks)


def _column_at(widths: tuple[float, ...], cm: float) -> int:
    """The first column (1-based) whose left edge is at least ``cm`` from the sheet's left edge."""
    left = 0.0
    for number, width in enumerate(widths, start=1):
        if left >= cm:
            return number
        left += column_points(width, EXCEL_POINTS_PER_WIDTH) / POINTS_PER_CM
    return len(widths) + 1


def layout(summary: Summary) -> SheetLayout:
    """Place every part of the summary on the sheet, top to bottom, the charts under the first tables."""
    settings = summary.settings
    buckets = summary.buckets
    n = len(buckets)
    colours = tuple((r.fill, r.font) for r in summary.index.ratings) + ((UNRATED_FILL, UNRATED_FONT),)
    tally_header = (*buckets, "Total", *(f"{b} %" for b in buckets))
    several = len(summary.by_review) > 1
    row = FIRST_BLOCK_ROW
    blocks: list[Block] = []

    def add(key: str, title: str, header: tuple[str, ...], rows: tuple, note: str = "", gap: int = 0, **extra) -> None:
        nonlocal row
        block = Block(key, title, header, rows, row, note=note, **extra)
        blocks.append(block)
        row = block.last_row + 2 + gap

    for key, title, first, tallies in (
        ("overall", "Ratings overall", ("",), (summary.overall,)),
        ("review", "By review", ("Review",), summary.by_review),
        ("recommendation", "By recommendation", ("Recommendation",), summary.by_recommendation),
        ("agency", "By lead agency (an action led jointly counts for each lead)", ("Lead agency",), summary.by_agency),
    ):
        fills = tuple((1 + i, fill, font) for i, (fill, font) in enumerate(colours)) + tuple(
            (2 + n + i, fill, font) for i, (fill, font) in enumerate(colours))
        detailed = key == "recommendation"
        add(key, title, (*first, *tally_header) + (("Short name",) if detailed else ()), _tally_rows(tallies, detailed),
            "No actions yet.", gap=CHART_ROWS if key == "review" else 0, fills=fills,
            percent_columns=tuple(range(2 + n, 2 + 2 * n)), wrap_columns=(0, 2 + 2 * n) if detailed else (0,))

    overdue_header = ("Action", "Lead agency", "Ref", "Due", "Overdue by", "Rating") + (("Review",) if several else ())
    add("overdue", f"Overdue: past the revised (or target) date and not complete, as at {summary.today:%d/%m/%Y}",
        overdue_header,
        tuple((o.action, o.lead_agency, o.ref, o.due, elapsed(o.days), summary.label(o.rating) if o.rating else UNRATED)
              + ((o.review,) if several else ()) for o in summary.overdue),
        "No action is overdue.", date_columns=(3,), wrap_columns=(0, 1, 4, 6))
    since = f"since {summary.since:%d/%m/%Y}" if summary.since else "over the whole audit log"
    add("movement", f"Movement of ratings {since}", ("Actions", "How many", "From", "To"),
        tuple((", ".join(m.refs), m.count, summary.label(m.old), summary.label(m.new)) for m in summary.movement),
        "No rating has moved.")
    add("slippage", "Target-date slippage: how many times each date was revised",
        ("Review", "Lead agency", "Ref", "Target", "Revised", "Beyond target", "Times revised"),
        tuple((s.review, s.lead_agency, s.ref, s.target, s.revised, elapsed(s.days) if s.days is not None else "",
               s.revisions) for s in summary.slippage),
        "No target date has been revised.", date_columns=(3, 4), wrap_columns=(0, 1, 5))
    # The dates of the last three tables share columns D and E (the live workbook formats them in one call).
    add("returns", "Returns: issued, came back, still pending",
        ("Agency", "Issued", "Came back", "Oldest pending", "Pending for", "Pending", "Pending past due", "Accepted",
         "Partly accepted", "Rejected"),
        tuple((r.agency, r.issued, r.returned, r.oldest_pending, elapsed(r.days_pending) if r.days_pending is not None
               else "", r.pending, r.overdue, r.accepted, r.partly, r.rejected) for r in summary.returns),
        "No returns have been issued.", date_columns=(3,), wrap_columns=(0, 4))
    history = summary.history
    # The escalation's dates share columns D and E with the tables above; the history's tables come last, so that
    # their counts break no run of dates and the longest table ends the sheet.
    add("escalate", "Agencies chased twice or more (escalate)",
        ("Agency", "Return ID", "Chases", "Due", "Last chased", "Past due by"),
        tuple((e.agency, e.return_id, e.chases, e.due, e.chased,
               elapsed((summary.today - e.due).days) if e.due and e.due < summary.today else "")
              for e in history.escalate),
        f"No return is still pending after {ESCALATE_AFTER} reminders.", date_columns=(3, 4), wrap_columns=(0, 1, 5))
    ratings = n - 1  # the index's ratings: every action with an update has one by the end of its first round
    add("round counts", "Ratings by round: where the actions with updates stood at the end of each round",
        ("Round", *buckets[:ratings], "Total"), tuple((f"R{c.round}", *c.counts, c.total) for c in history.by_round),
        "No updates yet: the Updates sheet fills as returns are consolidated.",
        gap=CHART_ROWS if history.by_round else 0, fills=tuple((1 + i, *colours[i]) for i in range(ratings)))
    shown = history.rounds[-ROUNDS_SHOWN:]
    listed = history.listed[:ROUND_ROWS]
    what = what_is_listed(summary.index)
    title = (f"Ratings by round: the {len(listed):,} worst of the {len(history.listed):,} actions that {what}"
             if len(listed) < len(history.listed) else f"Ratings by round: the actions that {what}, worst first")
    notes = [f"{history.omitted:,} {'other' if history.omitted == 1 else 'others'} not listed"] if history.omitted else []
    if len(shown) < len(history.rounds):
        notes.append(f"rounds before R{shown[0]} on the Updates sheet")
    title += f" ({'; '.join(notes)})" if notes else ""
    # The direction sits in column D, as wide as the dates above it, and the rounds wrap in narrow columns: the
    # columns keep the widths the other tables give them, so the live workbook sets them in as few calls.
    add("by round", title, ("Review", "Lead agency", "Ref", "Direction", *(f"R{number}" for number in shown)),
        tuple((a.review, a.lead_agency, a.ref, a.direction,
               *(summary.label(code) if code else "" for code in a.ratings[len(a.ratings) - len(shown):]))
              for a in listed),
        f"Nothing listed: of the {plural(len(history.actions), 'action')} with updates, none did." if history.actions
        else "No updates yet.", wrap_columns=(0, 1, *range(4, 4 + len(shown))))

    widths = _fit_widths(blocks, max(len(b.header) for b in blocks))
    heights: dict[int, float] = {}
    for block in blocks:
        header_height, row_heights = _height(block, widths)
        if header_height:
            heights[block.header_row] = header_height
        for number, height in enumerate(row_heights, start=block.first_data_row):
            if height:
                heights[number] = height
    review = next(b for b in blocks if b.key == "review")
    chart_row = review.last_row + 2
    # Excel's scale is the larger: fewest rows to a page, so a table placed to fit does fit in both programs.
    page = page_points(fit_scale(widths, EXCEL_POINTS_PER_WIDTH))
    breaks = (chart_row + CHART_ROWS - 1,) + _paginate(blocks[2:], heights, page)
    counts = tuple(range(1, n + 1))
    charts = (
        Chart("doughnut", "doughnut", "Ratings overall", "overall", counts, tuple(fill for fill, _ in colours),
              chart_row, 1, DOUGHNUT_CM, 8),
        Chart("stacked", "stacked", "Ratings per recommendation", "recommendation", counts,
              tuple(fill for fill, _ in colours), chart_row, _column_at(widths, DOUGHNUT_CM + 0.5),
              min(15.0, max(10.0, 4 + 1.6 * len(summary.by_recommendation))), 8, category_column=2 + 2 * n),
        Chart("rounds", "stacked", "Ratings by round", "round counts", tuple(range(1, n)),
              tuple(fill for fill, _ in colours[:-1]), next(b for b in blocks if b.key == "round counts").last_row + 2,
              1, min(15.0, 8 + 1.2 * len(summary.history.rounds)), 8),
    )
    subtitle = (f"As at {summary.today:%d/%m/%Y}: {summary.actions} actions. Rebuilt by Refresh summary "
                f"('ragbook summary'); edits made here are replaced at the next refresh.")
    age = dates_age(summary.today, [o.due for o in summary.overdue])
    marking = settings.protective_marking + (f". {age}" if age else "")
    labels = tuple((label, fill, font) for label, (fill, font) in zip(buckets, colours))
    title = f"Summary: {settings.partnership}" if settings.partnership else "Summary"
    return SheetLayout(title, subtitle, tuple(blocks), charts, marking, widths, tuple(sorted(heights.items())),
                       breaks, labels, settings.protective_marking)
