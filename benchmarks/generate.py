"""Fixed-seed benchmark data: a master, the returns issued from it, and those returns filled in by agencies.

The master is built straight through ``MasterWorkbook`` (create, write the register, save), returns are
issued with ``commands.issue_plan`` exactly as the command does, and each return is then typed into with
openpyxl the way an agency using Excel would (its validation, conditional formatting and protection stay as
issued) and re-saved with a shared-strings table, as Excel saves it.

What each return should change is recorded in ``manifest.json``, so a benchmark worker can check that a
consolidation really applied every update. Generated data is cached by size, seed and the code it depends
on, so rounds and later runs reuse it.

A second round sits in ``round2/``: the first round's returns consolidated into the master (which then
holds a Summary and an Audit Log of that round), a second round of returns issued from it (its ledger holds
two rounds) and filled in as the first were. Its ``master.xlsx`` is the master a partnership has in its
second quarter; its ``manifest.json`` and ``returns/`` are the second round's.

    python -m benchmarks.generate --size full      # prints the folder it wrote (or found)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
import tempfile
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from openpyxl import load_workbook

from ragbook import commands
from ragbook.core.model import Action, Agency, Register
from ragbook.core.ratings import DEFAULT_INDEX
from ragbook.core.returns import ACTIONS_SHEET, RETURN_HEADERS
from ragbook.io.master.workbook import MasterWorkbook

from .excel_like import share_strings

GENERATOR_VERSION = 2
ISSUED = date(2026, 1, 5)
DUE = date(2026, 2, 2)
CONSOLIDATED = date(2026, 2, 1)  # the "today" every consolidation of the first round runs with
ROUND2 = (date(2026, 4, 6), date(2026, 5, 4), date(2026, 5, 1))  # the second round: issued, due, consolidated


@dataclass(frozen=True)
class Size:
    name: str
    actions: int
    agencies: int


SIZES = {
    "full": Size("full", 20_000, 40),
    "medium": Size("medium", 2_000, 10),
    "smoke": Size("smoke", 400, 4),
    "tiny": Size("tiny", 100, 2),
    "startup": Size("startup", 300, 3),  # the small plan each command's start-up is measured on
}

# The code whose behaviour the cached data depends on: change it and the data is generated afresh.
_DEPENDS_ON = ("benchmarks/generate.py", "benchmarks/excel_like.py", "ragbook/io/returns/writer.py",
               "ragbook/core/returns.py", "ragbook/core/ledger.py", "ragbook/io/master/ledger_sheet.py")

_WORDS = (
    "multi-agency safeguarding training practice review referral strategy meeting assessment plan child family "
    "partners escalation policy supervision audit record information sharing threshold guidance neglect "
    "domestic abuse health visiting school attendance police protection early help social care consultation "
    "quality assurance dataset briefing learning workforce survey pathway protocol implementation evaluation "
    "template chronology voice of the child professional curiosity transition adult services housing mental "
    "health substance misuse exploitation missing episodes return interviews case file dip sample board report "
    "performance indicator escalation route named nurse designated lead governance committee"
).split()
_FIRST = ("Sam", "Alex", "Priya", "Tom", "Aisha", "Jo", "Chris", "Fatima", "Lee", "Morgan", "Ravi", "Kim",
          "Nadia", "Owen", "Grace", "Dev", "Hannah", "Ian", "Leila", "Mark")
_LAST = ("Shah", "Jones", "Patel", "Brown", "Khan", "Smith", "Evans", "Ahmed", "Taylor", "Wilson", "Hughes",
         "Okafor", "Murphy", "Clarke", "Singh", "Walker")
_AGENCY_KINDS = ("Children's Social Care", "Police", "Health", "Education", "Probation", "Housing",
                 "Adult Social Care", "Youth Justice", "Mental Health Trust", "Ambulance Service")
_REVIEW_KINDS = ("SCR", "CSPR", "DHR", "SAR", "LCSPR", "Thematic review")


def cache_key(size: Size, seed: int) -> str:
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(f"{GENERATOR_VERSION}:{size}:{seed}".encode())
    for name in _DEPENDS_ON:
        path = root / name
        digest.update(path.read_bytes() if path.exists() else b"-")
    return f"{size.name}-{size.actions}x{size.agencies}-seed{seed}-{digest.hexdigest()[:10]}"


def default_cache() -> Path:
    return Path(tempfile.gettempdir()) / "ragbook-benchmark-data"


def ensure(size: Size, seed: int = 1, cache: Path | None = None, say=print) -> Path:
    """The folder holding ``master.xlsx``, ``returns/`` and ``manifest.json`` for this size and seed."""
    cache = cache or default_cache()
    folder = cache / cache_key(size, seed)
    if (folder / "manifest.json").exists():
        return folder
    cache.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=folder.name + ".", dir=cache))
    started = time.perf_counter()
    say(f"generating {size.name} data ({size.actions} actions, {size.agencies} agencies, seed {seed}) ...")
    try:
        generate(size, seed, work)
        if folder.exists():  # another run finished first
            shutil.rmtree(work)
        else:
            work.rename(folder)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    say(f"generated in {time.perf_counter() - started:.1f} s: {folder}")
    return folder


# ---------------------------------------------------------------------------- the master
class _Text:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def sentence(self, low: int = 6, high: int = 16) -> str:
        words = self.rng.choices(_WORDS, k=self.rng.randint(low, high))
        return words[0].capitalize() + " " + " ".join(words[1:]) + "."

    def paragraph(self, sentences: int) -> str:
        return " ".join(self.sentence() for _ in range(sentences))

    def person(self) -> str:
        return f"{self.rng.choice(_FIRST)} {self.rng.choice(_LAST)}"


def agencies_for(count: int) -> list[Agency]:
    agencies = []
    for number in range(count):
        kind = _AGENCY_KINDS[number % len(_AGENCY_KINDS)]
        area = number // len(_AGENCY_KINDS) + 1
        name = kind if area == 1 else f"{kind} (Area {area})"
        slug = name.lower().replace("'", "").replace("(", "").replace(")", "").replace(" ", ".")
        agencies.append(Agency(name, f"Safeguarding lead, {name}", f"{slug}@example.org"))
    return agencies


def build_actions(size: Size, rng: random.Random, agencies: list[Agency]) -> list[Action]:
    """Reviews of 8 to 40 actions, each under 2 to 8 recommendations; every agency leads an equal share."""
    text = _Text(rng)
    leads = [agencies[i % len(agencies)].name for i in range(size.actions)]
    rng.shuffle(leads)
    actions: list[Action] = []
    review_number = 0
    while len(actions) < size.actions:
        review_number += 1
        review = f"{rng.choice(_REVIEW_KINDS)} {review_number:04d}"
        recommendations = rng.randint(2, 8)
        for rec in range(1, recommendations + 1):
            recommendation = text.paragraph(rng.randint(1, 3))
            for number in range(1, rng.randint(1, 6) + 1):
                if len(actions) == size.actions:
                    break
                target = date(2020, 1, 1) + timedelta(days=rng.randint(0, 8 * 365))
                rag = rng.choices(("B", "G", "A", "R", ""), weights=(25, 35, 25, 10, 5))[0]
                evidence = text.sentence(4, 12) if rag == "B" or rng.random() < 0.3 else ""
                actions.append(Action(
                    review=review, ref=f"{rec}.{number}", recommendation=recommendation,
                    action=text.paragraph(rng.randint(1, 2)), lead_agency=leads[len(actions)], target_date=target,
                    revised_date=target + timedelta(days=rng.randint(30, 300)) if rng.random() < 0.15 else None,
                    progress=text.paragraph(rng.randint(0, 3)), evidence=evidence, rag=rag,
                    last_updated=datetime(2025, rng.randint(1, 12), rng.randint(1, 28), rng.randint(8, 17),
                                          rng.randint(0, 59)),
                    updated_by=f"Officer {rng.randint(1, 300)}",
                ))
    return actions


def write_master(path: Path, actions: list[Action], agencies: list[Agency]) -> None:
    master = MasterWorkbook.create(path)
    master.write_register(Register(DEFAULT_INDEX, actions, agencies))
    master.save()


# ---------------------------------------------------------------------------- filling in the returns
_COLUMN = {header: position for position, header in enumerate(RETURN_HEADERS, start=1)}
_CODES = DEFAULT_INDEX.codes


def fill(path: Path, agency: str, actions: dict[tuple[str, str], Action], rng: random.Random,
         consolidated: date = CONSOLIDATED) -> dict[str, int]:
    """Type an agency's updates into its return with openpyxl; returns what consolidation must change.

    About seven rows in ten get an update, each with a new rating, progress, evidence and/or revised date
    (always different from what the master holds) and usually the person's name. Consolidation records the
    name (or the agency's, when none was typed) and the time on every changed row, so each updated row
    changes its content fields + Updated By + Last Updated.
    """
    text = _Text(rng)
    book = load_workbook(path)
    ws = book[ACTIONS_SHEET]
    rows = filled_rows = changed = audit = 0
    for number in range(2, ws.max_row + 1):
        review, ref = ws.cell(number, _COLUMN["Review"]).value, ws.cell(number, _COLUMN["Ref"]).value
        if review is None:
            continue
        rows += 1
        action = actions[(str(review), str(ref))]
        if rng.random() >= 0.7:
            continue
        values: dict[str, object] = {}
        while not values:
            if rng.random() < 0.6:
                code = rng.choice([c for c in _CODES if c != action.rag])
                style = rng.random()
                values["New Rating"] = code.lower() if style < 0.1 else f" {code} " if style < 0.15 else code
            if rng.random() < 0.85:
                values["Progress Update"] = f"Q4: {text.paragraph(rng.randint(1, 3))}"
            if rng.random() < 0.3:
                values["Evidence"] = f"Q4 evidence: {text.sentence(4, 12)}"
            if rng.random() < 0.15:
                base = action.revised_date or action.target_date or consolidated
                values["Revised Date"] = base + timedelta(days=rng.randint(30, 200))
        code = str(values.get("New Rating", "")).strip().upper()
        if code == "B" and "Evidence" not in values and not action.evidence:
            values["Evidence"] = f"Q4 evidence: {text.sentence(4, 12)}"  # Blue needs evidence, or it is held
        contents = len(values)
        who = f"{text.person()} ({agency})" if rng.random() < 0.9 else None
        while (who or agency) == action.updated_by:  # a second round: the name must differ from the last one
            who = f"{text.person()} ({agency})"
        if who is not None:
            values["Updated By"] = who
        for header, value in values.items():
            ws.cell(number, _COLUMN[header]).value = value
        filled_rows += 1
        audit += contents + 1  # + Updated By (typed, or the agency's name)
        changed += contents + 2  # + Updated By + Last Updated
    book.save(path)
    share_strings(path)
    return {"rows": rows, "filled_rows": filled_rows, "changed_cells": changed, "audit_entries": audit}




def generate(size: Size, seed: int, folder: Path) -> dict:
    rng = random.Random(seed)
    agencies = agencies_for(size.agencies)
    actions = build_actions(size, rng, agencies)
    master = folder / "master.xlsx"
    write_master(master, actions, agencies)
    manifest = issue_and_fill(master, folder, {(a.review, a.ref): a for a in actions}, seed, "",
                              (ISSUED, DUE, CONSOLIDATED))
    manifest.update({"size": size.name, "actions": size.actions, "agencies": size.agencies})
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=1))
    second_round(size, seed, folder)
    return manifest


def issue_and_fill(master: Path, folder: Path, by_key: dict[tuple[str, str], Action], seed: int, salt: str,
                   dates: tuple[date, date, date]) -> dict:
    """Issue a round of returns from ``master`` (which records them) and fill them in; the round's manifest."""
    issued_on, due, consolidated = dates
    issued = folder / "issued"
    report = commands.issue_plan(master, issued, due=due, today=issued_on)
    returned = folder / "returns"
    returned.mkdir()
    manifest = {"seed": seed, "issued": issued_on.isoformat(), "consolidated": consolidated.isoformat(),
                "returns": {}}
    for item in report.returns:
        target = returned / item.path.name
        shutil.copyfile(item.path, target)
        expected = fill(target, item.agency, by_key, random.Random(f"{seed}:{salt}{item.agency}"), consolidated)
        manifest["returns"][target.name] = {"agency": item.agency, "return_id": item.return_id, **expected}
    shutil.rmtree(issued)
    shutil.rmtree(folder / "backups", ignore_errors=True)  # the atomic saves' backups of the master
    return manifest


def second_round(size: Size, seed: int, folder: Path) -> None:
    """``round2/``: the first round consolidated (with its Summary), and a second round issued and filled in."""
    work = folder / "round2"
    work.mkdir()
    master = work / "master.xlsx"
    shutil.copyfile(folder / "master.xlsx", master)
    commands.consolidate_plan(master, [folder / "returns"], today=CONSOLIDATED)
    opened = MasterWorkbook.open(master)
    by_key = {(a.review, a.ref): a for a in opened.read_register().actions}
    del opened
    manifest = issue_and_fill(master, work, by_key, seed, "round 2:", ROUND2)
    manifest.update({"size": size.name, "actions": size.actions, "agencies": size.agencies, "round": 2})
    (work / "manifest.json").write_text(json.dumps(manifest, indent=1))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="full")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cache", type=Path, default=None, help="folder for generated data")
    args = parser.parse_args(argv)
    print(ensure(SIZES[args.size], args.seed, args.cache))


if __name__ == "__main__":
    main()
