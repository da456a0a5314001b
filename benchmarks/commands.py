"""The commands people run, each timed as they run it: one ``python -m ragbook ...`` process, start to end.

``run_command`` times one command on a copy of a master (the copy is not timed) and reads the child's peak
memory from the operating system. ``startup`` measures what a command costs before it does any work: the
command is run once under ``-X importtime`` to learn the modules it imports, then a process importing exactly
those (and doing nothing else) is timed. A command on a small plan should end within about twice that.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TODAY = "01/05/2026"


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}


def _timed(argv: list[str], cwd: Path) -> tuple[float, float, int, str]:
    """Wall time, peak memory (MB) and exit status of one child process, and the end of what it printed.

    The child writes into files rather than pipes, so that it can be waited for with ``os.wait4``, which gives
    that child's own peak memory (the rusage of all children would be the largest so far).
    """
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        child = subprocess.Popen(argv, cwd=cwd, env=_env(), stdout=out, stderr=subprocess.STDOUT)
        if hasattr(os, "wait4"):
            _, status, usage = os.wait4(child.pid, 0)
            total = time.perf_counter() - started
            child.returncode = os.waitstatus_to_exitcode(status)
            peak = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
        else:
            child.wait()
            total, peak = time.perf_counter() - started, 0.0
        out.seek(0)
        said = out.read()[-2000:].decode("utf-8", "replace")
    return total, peak, child.returncode, said


def arguments(command: str, plan: Path, work: Path, data: Path) -> list[str]:
    """The command line a person types for ``command`` on ``plan`` (the generated data is in ``data``)."""
    if command == "new":
        return ["new", str(work / "New.xlsx"), "--from", str(data / "plan.csv")]
    if command == "import":
        return ["import", str(data / "plan.csv"), "--into", str(plan)]
    if command in {"validate", "summary"}:
        return [command, str(plan), "--today", TODAY]
    if command == "colour":
        return ["colour", str(plan)]
    if command == "returns":
        return ["returns", str(plan), "--out", str(work / "returns"), "--today", TODAY]
    if command == "consolidate":
        return ["consolidate", str(plan), str(data / "returns"), "--today", TODAY]
    if command == "report":
        return ["report", str(plan), "--out", str(work / "report.docx"), "--today", TODAY]
    raise ValueError(command)


# What each command may exit with when it worked: validate and consolidate say 1 when they found problems.
_DONE = {"validate": {0, 1}, "consolidate": {0, 1}, "report": {0, 1}}


def run_command(command: str, master: Path, data: Path) -> dict:
    """One command on a fresh copy of ``master``, as a new process; the copy is made before the clock starts."""
    with tempfile.TemporaryDirectory(prefix="ragbook-bench-command-") as folder:
        work = Path(folder)
        plan = work / "ActionPlan.xlsx"
        shutil.copyfile(master, plan)
        argv = [sys.executable, "-m", "ragbook", *arguments(command, plan, work, data)]
        total, peak, status, said = _timed(argv, work)
    problems = [] if status in _DONE.get(command, {0}) else [f"ragbook {command} exited {status}: {said}"]
    return {"total": total, "peak_mb": peak, "exit": status, "problems": problems}


def imported_modules(command: str, master: Path, data: Path) -> list[str]:
    """The modules ``command`` imports, outermost first in the order it imports them (from ``-X importtime``)."""
    with tempfile.TemporaryDirectory(prefix="ragbook-bench-imports-") as folder:
        work = Path(folder)
        plan = work / "ActionPlan.xlsx"
        shutil.copyfile(master, plan)
        argv = [sys.executable, "-X", "importtime", "-m", "ragbook", *arguments(command, plan, work, data)]
        done = subprocess.run(argv, cwd=work, env=_env(), capture_output=True, text=True)
    modules = []
    for line in done.stderr.splitlines():
        parts = line.split("|")
        if not line.startswith("import time:") or len(parts) != 3 or not parts[1].strip().isdigit():
            continue  # not a line of -X importtime, or its header
        name = parts[2]
        if name.startswith("  "):  # nested: imported by an outer module, which brings it again
            continue
        name = name.strip()
        if name and not name.endswith("__main__") and name not in modules:
            modules.append(name)
    return modules


def run_startup(modules: list[str]) -> dict:
    """A process that imports ``modules`` and does nothing else: the start-up its command cannot avoid."""
    code = "import importlib, sys\nfor name in sys.argv[1:]:\n    importlib.import_module(name)\n"
    with tempfile.TemporaryDirectory(prefix="ragbook-bench-startup-") as folder:
        total, peak, status, said = _timed([sys.executable, "-c", code, *modules], Path(folder))
    return {"total": total, "peak_mb": peak, "problems": [] if status == 0 else [f"start-up: {said}"]}


def import_time(module: str) -> dict:
    """``-X importtime``'s cumulative time for importing ``module`` in a fresh Python, and the wall time."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", f"import {module}"], cwd=ROOT, env=_env(),
                          capture_output=True, text=True)
    wall = time.perf_counter() - started
    cumulative = 0.0
    for line in done.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[2].strip() == module:
            cumulative = int(parts[1]) / 1e6
    problems = [] if done.returncode == 0 else [f"import {module}: {done.stderr[-500:]}"]
    return {"total": cumulative, "wall": wall, "problems": problems}


def prepare(data: Path) -> None:
    """``plan.csv`` beside a generated master: its actions as the plan file ``new --from`` and ``import`` read."""
    import csv  # noqa: PLC0415

    from ragbook.io.master.workbook import MasterWorkbook  # noqa: PLC0415

    target = data / "plan.csv"
    if target.exists():
        return
    actions = MasterWorkbook.open(data / "master.xlsx").read_register().actions
    with target.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Review", "Ref", "Recommendation", "Action", "Lead Agency", "Target Date", "Progress", "RAG"])
        for a in actions:
            writer.writerow([a.review, a.ref, a.recommendation, a.action, a.lead_agency,
                             a.target_date.strftime("%d/%m/%Y") if a.target_date else "", a.progress, a.rag])
