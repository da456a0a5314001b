"""Property tests: consolidating a set of valid returns in any order, or twice, gives the same master, and no
update is lost or applied to the wrong action."""

from __future__ import annotations

import shutil
import tempfile
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from ragbook.commands import consolidate_plan, issue_plan

from tests.helpers.returns import CONSOLIDATED, fill_return, register_rows
ORDER = "BGAR"
SECOND_ROUND = date(2026, 1, 20)

text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=40).filter(
    lambda s: s.strip() == s and s.strip())
answer = st.fixed_dictionaries({}, optional={
    "New Rating": st.sampled_from("GAR"),
    "Progress Update": st.one_of(text, st.just("=SUM(A1:A9) is text"), st.just("-1 and +1 are text")),
    "Evidence": text,
    "Revised Date": st.dates(date(2026, 1, 1), date(2027, 12, 31)),
    "Updated By": text,
})


def refs_in(path: Path) -> list[str]:
    book = load_workbook(path, read_only=True)
    refs = [str(row[1]) for row in book["Actions"].iter_rows(min_row=2, values_only=True) if row[1]]
    book.close()
    return refs


@st.composite
def returns_sets(draw, issued):
    """A subset of the issued returns (two rounds of Police), each with random answers on random rows."""
    chosen = draw(st.lists(st.sampled_from(range(len(issued))), min_size=1, max_size=len(issued), unique=True))
    filled = []
    for number in chosen:
        agency, round_, path, refs = issued[number]
        rows = draw(st.lists(st.sampled_from(refs), unique=True, max_size=len(refs)))
        filled.append((number, {ref: draw(answer) for ref in rows}))
    order = draw(st.permutations(range(len(filled))))
    return filled, order


def expected_register(before, issued, filled):
    """The register the returns describe, field by field: the newest round wins; sharing agencies combine."""
    offers: dict[tuple[str, str], list[tuple[int, str, dict]]] = {}
    for number, answers in filled:
        agency, round_, _, _ = issued[number]
        for ref, values in answers.items():
            offers.setdefault(ref, []).append((round_, agency, values))
    expected = {key: dict(row) for key, row in before.items()}
    for (review, ref), row in expected.items():
        # A name in Updated By alone is no update: only rows with a rating, progress, evidence or date count.
        contributing = [(r, a, v) for r, a, v in offers.get(ref, []) if set(v) - {"Updated By"}]
        for column, field in (("RAG", "New Rating"), ("Progress", "Progress Update"), ("Evidence", "Evidence"),
                              ("Revised Date", "Revised Date")):
            offering = [(r, a, v[field]) for r, a, v in contributing if field in v]
            if not offering:
                continue
            newest = max(r for r, _, _ in offering)
            winners = sorted(((a, v) for r, a, v in offering if r == newest), key=lambda i: i[0].casefold())
            if column == "RAG":
                row[column] = max((v for _, v in winners), key=ORDER.index)
            elif column == "Revised Date":
                row[column] = max(v for _, v in winners)
            elif len(winners) == 1:
                row[column] = winners[0][1]
            else:
                row[column] = "\n\n".join(f"{a}: {v}" for a, v in winners)
        if contributing:
            newest = max(r for r, _, _ in contributing)
            people = {v.get("Updated By") or a for r, a, v in contributing if r == newest}
            row["Updated By"] = "; ".join(sorted(people, key=str.casefold))
    return expected


def comparable(register):
    return {key: {c: v for c, v in row.items() if c != "Last Updated"} for key, row in register.items()}


# Each example writes and consolidates real workbooks (about two seconds), so examples are few and failures are
# reported as found rather than shrunk for minutes.
@settings(max_examples=10, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(data=st.data())
def test_any_order_or_twice_gives_the_same_master(issued_template, data) -> None:
    folder, report = issued_template
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        shutil.copytree(folder, work / "cycle")
        plan = work / "cycle" / "ActionPlan.xlsx"
        second = issue_plan(plan, work / "round2", agencies=["Police"], today=SECOND_ROUND)
        issued = [(r.agency, 1, work / "cycle" / "returns" / r.path.name, None) for r in report.returns]
        issued += [(r.agency, 2, r.path, None) for r in second.returns]
        issued = [(a, rnd, p, refs_in(p)) for a, rnd, p, _ in issued]
        filled, order = data.draw(returns_sets(issued))
        paths = []
        for number, answers in filled:
            target = work / "returned" / f"{number}-{issued[number][2].name}"
            target.parent.mkdir(exist_ok=True)
            shutil.copyfile(issued[number][2], target)
            fill_return(target, answers)
            paths.append(target)
        before = register_rows(plan)
        other = work / "other.xlsx"
        shutil.copyfile(plan, other)

        together = consolidate_plan(plan, paths, today=CONSOLIDATED)
        assert not together.has_problems, [o.reasons for o in together.outcomes]
        once = register_rows(plan)
        assert comparable(once) == comparable(expected_register(before, issued, filled))

        for position in order:  # another order, one return at a time
            consolidate_plan(other, [paths[position]], today=CONSOLIDATED)
        assert register_rows(other) == once

        again = consolidate_plan(plan, list(reversed(paths)), today=date(2026, 3, 1))
        assert again.changes == 0
        assert register_rows(plan) == once
