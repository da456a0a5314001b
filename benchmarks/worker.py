"""One benchmark measurement in a fresh process; prints one line of JSON.

    python -m benchmarks.worker ragbook  MASTER RETURNS_DIR MANIFEST [--keep PATH] [--profile PATH]
    python -m benchmarks.worker baseline MASTER RETURNS_DIR MANIFEST
    python -m benchmarks.worker unzip    RETURNS_DIR
    python -m benchmarks.worker compress MASTER

``ragbook`` and ``baseline`` work on a temporary copy of the master (the copy is not timed) and are checked
afterwards, outside the timing: the Register cells that changed and the Audit Log rows added must be exactly
what the generator's manifest says the returns hold. The phases of ``ragbook`` are timed by wrapping, in this
process only, the functions that read (``read_return``; ``MasterWorkbook.open``, ``read_register`` and
``read_ledger``) and write (``MasterWorkbook.save``) — nothing in ragbook is changed for the benchmark.
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import shutil
import sys
import tempfile
import time
import traceback
import zipfile
import zlib
from datetime import date, datetime
from pathlib import Path


class Timers:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.calls: dict[str, int] = {}

    def wrap(self, name: str, function):
        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started
                self.calls[name] = self.calls.get(name, 0) + 1
        return timed


def peak_mb() -> float:
    """This process's peak resident memory. VmHWM belongs to the process image, while Linux carries
    ru_maxrss over from the parent across fork and exec (it would report the runner's size for a tiny worker)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024 if sys.platform == "darwin" else 1024)  # bytes on macOS, kilobytes elsewhere


def _manifest_expectation(manifest: Path, returns: Path) -> dict[str, int]:
    data = json.loads(manifest.read_text())
    expected = {"changed_cells": 0, "audit_entries": 0, "returns": 0}
    for path in sorted(returns.iterdir()):
        item = data["returns"][path.name]
        expected["changed_cells"] += item["changed_cells"]
        expected["audit_entries"] += item["audit_entries"]
        expected["returns"] += 1
    return expected


def _consolidated_on(manifest: Path) -> date:
    return date.fromisoformat(json.loads(manifest.read_text())["consolidated"])


# ---------------------------------------------------------------------------- checks (never timed)
def _plain(value: object) -> object:
    if value is None or value == "":
        return ""
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        return value.date()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return value.strip()
    return value


def _sheet(path: Path, name: str) -> list[list[object]]:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    return [[_plain(v) for v in row] for row in rows if any(v not in (None, "") for v in row)]


def check_result(before: Path, after: Path, expected: dict[str, int]) -> dict[str, object]:
    """Compare the Register cell by cell and count the Audit Log rows; the numbers must match the manifest."""
    old, new = _sheet(before, "Register"), _sheet(after, "Register")
    width = len(old[0])
    problems = []
    if len(old) != len(new):
        problems.append(f"the Register has {len(new) - 1} rows after, {len(old) - 1} before")
    changed = 0
    for a, b in zip(old[1:], new[1:]):
        a, b = (a + [""] * width)[:width], (b + [""] * width)[:width]
        changed += sum(x != y for x, y in zip(a, b))
    audit = len(_sheet(after, "Audit Log")) - len(_sheet(before, "Audit Log"))
    if changed != expected["changed_cells"]:
        problems.append(f"{changed} Register cells changed, the returns hold {expected['changed_cells']}")
    if audit != expected["audit_entries"]:
        problems.append(f"{audit} Audit Log rows added, the returns hold {expected['audit_entries']}")
    return {"changed_cells": changed, "audit_entries": audit, "expected": expected, "problems": problems}


# ---------------------------------------------------------------------------- contenders
def run_ragbook(master: Path, returns: Path, manifest: Path, keep: Path | None, profile: Path | None) -> dict:
    from ragbook import commands
    from ragbook.app import reports, returns as returns_cycle
    from ragbook.io.master.workbook import MasterWorkbook
    from ragbook.io.returns import folder

    timers = Timers()
    folder.read_return = timers.wrap("read_returns", folder.read_return)
    opener = MasterWorkbook.open.__func__
    MasterWorkbook.open = classmethod(timers.wrap("open_master", opener))
    MasterWorkbook.save = timers.wrap("save_master", MasterWorkbook.save)
    MasterWorkbook.read_register = timers.wrap("read_master", MasterWorkbook.read_register)
    MasterWorkbook.read_ledger = timers.wrap("read_master", MasterWorkbook.read_ledger)
    # Where the rest goes (neither reading nor saving): for the breakdown only.
    returns_cycle.consolidate_return = timers.wrap("core_checks_merge", returns_cycle.consolidate_return)
    reports.build_summary = timers.wrap("summary_build", reports.build_summary)
    MasterWorkbook.write_summary = timers.wrap("summary_draw", MasterWorkbook.write_summary)
    for name in ("write_register", "write_ledger", "append_audit", "write_returns", "write_findings"):
        setattr(MasterWorkbook, name, timers.wrap("master_updates", getattr(MasterWorkbook, name)))
    today = _consolidated_on(manifest)
    expected = _manifest_expectation(manifest, returns)
    with tempfile.TemporaryDirectory(prefix="ragbook-bench-") as folder:
        plan = Path(folder) / "ActionPlan.xlsx"
        shutil.copyfile(master, plan)

        def work():
            # consolidate_plan refreshes the Summary sheet in the same save.
            report = commands.consolidate_plan(plan, [returns], today=today)
            return report

        started = time.perf_counter()
        if profile:
            import cProfile

            profiler = cProfile.Profile()
            report = profiler.runcall(work)
            profiler.dump_stats(str(profile))
        else:
            report = work()
        total = time.perf_counter() - started
        result = check_result(master, plan, expected)
        statuses = [o.status for o in report.outcomes]
        if len(statuses) != expected["returns"] or any(s != "Received" for s in statuses):
            refused = [f"{Path(o.path).name}: {o.status}: {'; '.join(o.reasons[:2])}" for o in report.outcomes
                       if o.status != "Received"]
            result["problems"].append(f"{len(statuses)} returns checked, not all received: {refused[:3]}")
        if report.changes != expected["audit_entries"]:
            result["problems"].append(f"the report counts {report.changes} changes, the returns hold "
                                      f"{expected['audit_entries']}")
        if keep:
            shutil.copyfile(plan, keep)
    phases = {name: timers.seconds.get(name, 0.0) for name in ("read_returns", "open_master", "read_master")}
    other = {name: timers.seconds.get(name, 0.0)
             for name in ("core_checks_merge", "master_updates", "summary_build", "summary_draw")}
    return {"total": total, "read": sum(phases.values()), "write": timers.seconds.get("save_master", 0.0),
            **phases, **other, "calls": timers.calls, **result}


def run_baseline(master: Path, returns: Path, manifest: Path) -> dict:
    from benchmarks.baseline import consolidate

    today = _consolidated_on(manifest)
    expected = _manifest_expectation(manifest, returns)
    with tempfile.TemporaryDirectory(prefix="ragbook-bench-") as folder:
        plan = Path(folder) / "ActionPlan.xlsx"
        shutil.copyfile(master, plan)
        started = time.perf_counter()
        counts = consolidate(plan, sorted(returns.iterdir()), datetime.combine(today, datetime.min.time()))
        total = time.perf_counter() - started
        result = check_result(master, plan, expected)
        if counts["refused_rows"]:
            result["problems"].append(f"the baseline refused {counts['refused_rows']} rows")
    return {"total": total, **result}


def run_unzip(returns: Path) -> dict:
    """The floor of reading: every member of every return read and decompressed, nothing parsed."""
    started = time.perf_counter()
    size = 0
    for path in sorted(returns.iterdir()):
        with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as archive:
            for info in archive.infolist():
                size += len(archive.read(info))
    return {"total": time.perf_counter() - started, "bytes": size, "problems": []}


def run_compress(master: Path) -> dict:
    """The floor of writing: every part of a ragbook-written master deflated from memory at zipfile's level."""
    with zipfile.ZipFile(master) as archive:
        parts = [archive.read(info) for info in archive.infolist()]
    started = time.perf_counter()
    size = 0
    for data in parts:
        # What zipfile does for ZIP_DEFLATED at its default level (raw deflate, level 6 by zlib's default).
        compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
        size += len(compressor.compress(data) + compressor.flush())
    return {"total": time.perf_counter() - started, "bytes": sum(map(len, parts)), "compressed": size,
            "problems": []}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("contender", choices=("ragbook", "baseline", "unzip", "compress"))
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--keep", type=Path, help="ragbook: keep the consolidated master here")
    parser.add_argument("--profile", type=Path, help="ragbook: write cProfile stats here")
    args = parser.parse_args(argv)
    try:
        if args.contender == "ragbook":
            result = run_ragbook(*args.paths[:3], keep=args.keep, profile=args.profile)
        elif args.contender == "baseline":
            result = run_baseline(*args.paths[:3])
        elif args.contender == "unzip":
            result = run_unzip(args.paths[0])
        else:
            result = run_compress(args.paths[0])
    except Exception as exc:  # noqa: BLE001 - the worker's entry point: report any failure as JSON
        print(json.dumps({"contender": args.contender, "problems": [f"{exc.__class__.__name__}: {exc}"],
                          "traceback": traceback.format_exc()}))
        return 1
    result["contender"] = args.contender
    result["peak_mb"] = peak_mb()
    print(json.dumps(result, default=str))
    return 1 if result["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
