"""Time what people wait for: consolidation against a plain-openpyxl baseline and the floors, the commands
people run at two sizes, and each command's start-up; for a first round and a second, in fresh processes.

    python benchmarks/run.py              # 20,000 actions, 40 returns of 500 rows; commands at 2,000 and 20,000
    python benchmarks/run.py --smoke      # 400 actions, 4 returns; three commands' start-up; well under a minute
    python benchmarks/run.py --profile    # also: cProfile of one ragbook consolidation, top 15

Each measurement is one fresh process (``python -m benchmarks.worker`` for a consolidation and the floors,
``python -m ragbook ...`` for a command); the contenders take turns within each round (round 1: each once,
round 2: each once, ...), so a slow spell of the machine hits them all alike. Two rounds of returns are
measured side by side: the first on a new master, the second on the master a partnership has a quarter later
(a Summary, an Audit Log of the first round, a ledger of two rounds). Medians are printed with the min–max over
the rounds, each process's peak memory, and every ratio with its target and whether it is met. The exit
status is 1 only when a consolidation went wrong (an update not applied, a return refused, an exception) —
never because of a timing; a command that fails is shown as failed, with what it said, and the run goes on.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: the checkout's ragbook and benchmarks come first
    sys.path.insert(0, str(ROOT))

from benchmarks import tables  # noqa: E402
from benchmarks.commands import import_time, imported_modules, prepare, run_command, run_startup  # noqa: E402
from benchmarks.generate import SIZES, ensure  # noqa: E402

CONTENDERS = ("ragbook", "baseline", "unzip", "compress")
ROUNDS = (1, 2)  # the first round of returns, and the second
COMMANDS = ("validate", "summary", "report", "consolidate")
STARTUP_COMMANDS = ("new", "import", "validate", "colour", "returns", "consolidate", "summary", "report")
SMOKE_STARTUP_COMMANDS = ("validate", "consolidate", "report")
ENTRY_MODULES = ("ragbook.cli", "ragbook.ribbon")
SCALING = (1, 5, 10, 20, 40)


class Failed(Exception):
    """A worker or a command reported a correctness problem or crashed."""


def checked(result: dict, what: str) -> dict:
    if result.get("problems"):
        raise Failed(f"{what}: {'; '.join(result['problems'])}\n{result.get('traceback', '')}".rstrip())
    return result


def worker(contender: str, *args: object, timeout: float = 1800) -> dict:
    command = [sys.executable, "-m", "benchmarks.worker", contender, *map(str, args)]
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise Failed(f"{contender}: the worker printed no result (exit {done.returncode}): "
                     f"{(done.stderr or done.stdout).strip()[-2000:]}")
    result = json.loads(lines[-1])
    if done.returncode and not result.get("problems"):
        result["problems"] = [f"exit {done.returncode}"]
    return checked(result, contender)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        memory = f", {pages / 2**30:.0f} GB RAM"
    except (ValueError, OSError, AttributeError):
        pass
    return (f"{cpu}, {os.cpu_count()} CPUs{memory}; {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}")


def round_data(data: Path, number: int) -> Path:
    """The folder of a round: ``master.xlsx`` (as it is when that round's returns come back), ``returns/``
    and ``manifest.json``."""
    return data if number == 1 else data / "round2"


def consolidations(data: Path, rounds: int, work: Path) -> dict[int, dict[str, list[dict]]]:
    """Each round of returns consolidated by ragbook and by the baseline, and the floors, interleaved."""
    kept = {}
    for number in ROUNDS:
        folder = round_data(data, number)
        # A first consolidation (not timed) warms the file cache and leaves the master the write phase
        # writes, whose parts the compression floor deflates.
        kept[number] = work / f"consolidated-{number}.xlsx"
        worker("ragbook", folder / "master.xlsx", folder / "returns", folder / "manifest.json", "--keep", kept[number])
    results: dict[int, dict[str, list[dict]]] = {number: {name: [] for name in CONTENDERS} for number in ROUNDS}
    for turn in range(1, rounds + 1):
        for number in ROUNDS:
            folder = round_data(data, number)
            for name in CONTENDERS:
                if name == "unzip":
                    result = worker(name, folder / "returns")
                elif name == "compress":
                    result = worker(name, kept[number])
                else:
                    result = worker(name, folder / "master.xlsx", folder / "returns", folder / "manifest.json")
                results[number][name].append(result)
        say(f"  consolidation round {turn}/{rounds}: " + "; ".join(
            f"returns round {number}: " + ", ".join(f"{name} {results[number][name][-1]['total']:.2f} s"
                                                    for name in CONTENDERS) for number in ROUNDS))
    return results


def command_timings(sizes: dict[str, Path], rounds: int, once: float) -> dict[str, dict[int, dict[str, list[dict]]]]:
    """validate, summary, report and consolidate as commands, at each size and on each round's master; a command
    whose first run took longer than ``once`` seconds is not run again (the table says so)."""
    results = {size: {number: {name: [] for name in COMMANDS} for number in ROUNDS} for size in sizes}
    for turn in range(1, rounds + 1):
        for size, data in sizes.items():
            for number in ROUNDS:
                folder = round_data(data, number)
                for name in COMMANDS:
                    done = results[size][number][name]
                    if done and (done[0]["total"] > once or done[0]["problems"]):
                        continue
                    done.append(run_command(name, folder / "master.xlsx", folder))
            say(f"  commands round {turn}/{rounds}, {size}: " + "; ".join(
                f"round {number}: " + ", ".join(f"{name} {results[size][number][name][-1]['total']:.2f} s"
                                                for name in COMMANDS) for number in ROUNDS))
    return results


def startups(data: Path, rounds: int, names: tuple[str, ...]) -> dict[str, dict[str, list[dict]]]:
    """Each command on a small plan, and a process importing just what that command imports."""
    prepare(data)
    modules = {name: imported_modules(name, data / "master.xlsx", data) for name in names}
    results: dict[str, dict[str, list[dict]]] = {name: {"startup": [], "run": []} for name in names}
    entries: dict[str, list[dict]] = {name: [] for name in ENTRY_MODULES}
    for turn in range(1, rounds + 1):
        for name in names:
            results[name]["startup"].append(checked(run_startup(modules[name]), f"{name} start-up"))
            results[name]["run"].append(run_command(name, data / "master.xlsx", data))
        for module in ENTRY_MODULES:
            entries[module].append(checked(import_time(module), f"import {module}"))
        say(f"  start-up round {turn}/{rounds}: " + ", ".join(
            f"{name} {results[name]['run'][-1]['total']:.2f}/{results[name]['startup'][-1]['total']:.2f} s"
            for name in names))
    return {"commands": results, "entries": entries, "modules": {k: len(v) for k, v in modules.items()}}


def scaling(data: Path, counts: list[int], rounds: int, work: Path) -> list[tuple[int, float]]:
    returns = sorted((data / "returns").iterdir())
    curve = []
    for count in counts:
        subset = work / f"returns-{count}"
        subset.mkdir()
        for path in returns[:count]:
            shutil.copyfile(path, subset / path.name)
        times = [worker("ragbook", data / "master.xlsx", subset, data / "manifest.json")["total"]
                 for _ in range(rounds)]
        curve.append((count, statistics.median(times)))
        say(f"  scaling: {count} returns in {statistics.median(times):.2f} s")
    return curve


def profile(data: Path, work: Path, top: int = 15) -> None:
    stats_path = work / "ragbook.prof"
    worker("ragbook", data / "master.xlsx", data / "returns", data / "manifest.json", "--profile", stats_path)
    for order, title in (("cumulative", "cumulative time"), ("tottime", "own time")):
        print()
        print(f"cProfile of one ragbook consolidation + summary refresh, top {top} by {title}:")
        stats = pstats.Stats(str(stats_path), stream=sys.stdout)
        stats.strip_dirs().sort_stats(order).print_stats(top)


def say(text: str) -> None:
    print(text, file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="the small sizes (400 actions, 4 returns)")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds (default 5)")
    parser.add_argument("--command-rounds", type=int, default=None,
                        help="rounds of the commands and start-ups (default: --rounds; 1 with --smoke)")
    parser.add_argument("--once", type=float, default=120,
                        help="a command slower than this many seconds is measured once (default 120)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cache", type=Path, default=None, help="folder for generated data (default: temp)")
    parser.add_argument("--scaling-rounds", type=int, default=1, help="runs per point of the scaling curve")
    parser.add_argument("--no-scaling", action="store_true")
    parser.add_argument("--profile", action="store_true", help="also profile one ragbook consolidation")
    parser.add_argument("--json", type=Path, help="also write every measurement here")
    args = parser.parse_args(argv)
    size = SIZES["smoke" if args.smoke else "full"]
    command_sizes = ("smoke",) if args.smoke else ("medium", "full")
    command_rounds = args.command_rounds or (1 if args.smoke else args.rounds)
    started = time.perf_counter()
    try:
        data = ensure(size, args.seed, args.cache, say=say)
        sizes = {name: data if name == size.name else ensure(SIZES[name], args.seed, args.cache, say=say)
                 for name in command_sizes}
        small = ensure(SIZES["tiny" if args.smoke else "startup"], args.seed, args.cache, say=say)
        manifests = {number: json.loads((round_data(data, number) / "manifest.json").read_text()) for number in ROUNDS}
        with tempfile.TemporaryDirectory(prefix="ragbook-bench-run-") as folder:
            work = Path(folder)
            results = consolidations(data, args.rounds, work)
            counts = [n for n in (SCALING if not args.smoke else (1, 2, 4)) if n <= len(manifests[1]["returns"])]
            curve = [] if args.no_scaling else scaling(data, counts, args.scaling_rounds, work)
            commands = command_timings(sizes, command_rounds, args.once)
            started_up = startups(small, command_rounds, SMOKE_STARTUP_COMMANDS if args.smoke else STARTUP_COMMANDS)
            print(f"ragbook benchmark — {size.name}; seed {args.seed}; {args.rounds} interleaved rounds of the "
                  f"consolidations, {command_rounds} of the commands; a fresh process per measurement")
            print(f"machine: {machine()}")
            print(f"data: {data}")
            ratios = tables.consolidation(manifests, results, TARGETS)
            if curve:
                rows = sum(r["rows"] for r in manifests[1]["returns"].values()) / len(manifests[1]["returns"])
                tables.scaling(curve, rows)
            ratios.update(tables.commands({name: SIZES[name].actions for name in command_sizes}, commands,
                                          results, size.name, TARGETS, command_rounds))
            ratios.update(tables.startups(SIZES["tiny" if args.smoke else "startup"].actions, started_up, TARGETS))
            if args.profile:
                profile(data, work)
            if args.json:
                args.json.write_text(json.dumps({
                    "machine": machine(), "size": size.name, "ratios": ratios, "results": results[1],
                    "results_round2": results[2], "scaling": curve, "commands": commands, "startup": started_up,
                }, indent=1, default=str))
    except Failed as exc:
        print(f"\ncorrectness error: {exc}", file=sys.stderr)
        return 1
    print(f"\n(benchmark took {time.perf_counter() - started:.0f} s)")
    return 0


TARGETS = {"ragbook_baseline": 0.35, "read_returns_unzip": 6.0, "write_compress": 2.5, "peak_mb": 400,
           "validate_consolidate": 0.5, "run_startup": 2.0, "entry_import": 0.15}


if __name__ == "__main__":
    sys.exit(main())
