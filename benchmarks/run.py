"""Time ragbook's consolidation against a plain-openpyxl baseline and the floors, in fresh processes.

    python benchmarks/run.py              # 20,000 actions, 40 returns of 500 rows; several minutes
    python benchmarks/run.py --smoke      # 400 actions, 4 returns; well under a minute
    python benchmarks/run.py --profile    # also: cProfile of one ragbook consolidation, top 15

Each measurement is one ``python -m benchmarks.worker`` process; the contenders take turns within each round
(round 1: each once, round 2: each once, ...), so a slow spell of the machine hits them all alike. Medians are
printed with the min–max over the rounds, each worker's peak memory, and the ratios of issue 6. The exit
status is 1 only when a consolidation was wrong (an update not applied, a return refused, an exception) —
never because of a timing.
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

from benchmarks.generate import SIZES, ensure  # noqa: E402

CONTENDERS = ("ragbook", "baseline", "unzip", "compress")
TARGETS = {"ragbook_baseline": 0.35, "read_unzip": 2.5, "write_compress": 2.0, "peak_mb": 400}
SCALING = (1, 5, 10, 20, 40)


class Failed(Exception):
    """A worker reported a correctness problem or crashed."""


def worker(contender: str, *args: object, timeout: float = 1800) -> dict:
    command = [sys.executable, "-m", "benchmarks.worker", contender, *map(str, args)]
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise Failed(f"{contender}: the worker printed no result (exit {done.returncode}): "
                     f"{(done.stderr or done.stdout).strip()[-2000:]}")
    result = json.loads(lines[-1])
    if result.get("problems") or done.returncode:
        detail = "; ".join(result.get("problems") or [f"exit {done.returncode}"])
        raise Failed(f"{contender}: {detail}\n{result.get('traceback', '')}".rstrip())
    return result


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


def median(values: list[float]) -> float:
    return statistics.median(values)


def seconds(values: list[float]) -> str:
    return f"{median(values):9.3f} s   {min(values):8.3f} – {max(values):<8.3f}"


def print_table(label: str, data: Path, manifest: dict, results: dict[str, list[dict]], rounds: int) -> dict:
    rag, base = results["ragbook"], results["baseline"]
    unzip, compress = results["unzip"], results["compress"]
    changes = sum(r["audit_entries"] for r in manifest["returns"].values())
    rows = sum(r["rows"] for r in manifest["returns"].values())
    print()
    print(f"ragbook consolidation benchmark — {label}: {manifest['actions']:,} actions, {manifest['agencies']} "
          f"agencies, {len(manifest['returns'])} returns ({rows:,} rows, {changes:,} changes); seed "
          f"{manifest['seed']}; {rounds} interleaved rounds, a fresh process per measurement")
    print(f"machine: {machine()}")
    print(f"data: {data}")
    print()
    print(f"{'':34}{'median':>11}   {'min – max':^19}  {'peak MB':>8}")

    def line(name: str, items: list[dict], key: str = "total", memory: bool = True) -> None:
        peak = f"{max(r['peak_mb'] for r in items):8.0f}" if memory else ""
        print(f"{name:34}{seconds([r[key] for r in items])}  {peak}")

    for r in rag:
        r["rest"] = r["total"] - r["read"] - r["write"]
    saves = rag[0]["calls"].get("save_master", 0)
    opens = rag[0]["calls"].get("open_master", 0)
    line("ragbook end-to-end", rag)
    line("  read phase", rag, "read", False)
    line("    reading the returns", rag, "read_returns", False)
    line(f"    opening the master ({opens}×)", rag, "open_master", False)
    line("    master read_register/ledger", rag, "read_master", False)
    line(f"  write phase ({saves} saves)", rag, "write", False)
    line("  the rest:", rag, "rest", False)
    line("    checks and merge (core)", rag, "core_checks_merge", False)
    line("    register/ledger/lists updates", rag, "master_updates", False)
    line("    summary: computing", rag, "summary_build", False)
    line("    summary: drawing the sheet", rag, "summary_draw", False)
    line("baseline (plain openpyxl)", base)
    line("floor: unzip the returns", unzip)
    line("floor: deflate the master's XML", compress)
    m = {name: median([r["total"] for r in items]) for name, items in results.items()}
    read, write = median([r["read"] for r in rag]), median([r["write"] for r in rag])
    read_returns = median([r["read_returns"] for r in rag])
    peak = max(r["peak_mb"] for r in rag)
    ratios = {
        "ragbook_baseline": m["ragbook"] / m["baseline"],
        "read_unzip": read / m["unzip"],
        "read_returns_unzip": read_returns / m["unzip"],
        "write_compress": write / m["compress"],
        "write_per_save_compress": write / max(saves, 1) / m["compress"],
        "peak_mb": peak,
    }

    def verdict(key: str) -> str:
        return "met" if ratios[key] <= TARGETS[key] else "NOT met"

    print()
    print(f"{'ratio (of medians)':42}{'measured':>10}   target")
    print(f"{'ragbook ÷ baseline':42}{ratios['ragbook_baseline']:10.2f}   ≤ 0.35   {verdict('ragbook_baseline')}")
    print(f"{'read phase ÷ unzip floor':42}{ratios['read_unzip']:10.2f}   ≤ 2.5    {verdict('read_unzip')}")
    print(f"{'  (reading the returns only ÷ unzip floor)':42}{ratios['read_returns_unzip']:10.2f}")
    print(f"{f'write phase ({saves} saves) ÷ compression floor':42}{ratios['write_compress']:10.2f}   ≤ 2      "
          f"{verdict('write_compress')}")
    print(f"{'  (per save ÷ compression floor)':42}{ratios['write_per_save_compress']:10.2f}")
    print(f"{'peak memory of ragbook (MB)':42}{peak:10.0f}   < 400    {verdict('peak_mb')}")
    return ratios


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
        curve.append((count, median(times)))
        print(f"  scaling: {count} returns in {median(times):.2f} s", file=sys.stderr)
    return curve


def print_scaling(curve: list[tuple[int, float]], rows_per_return: float) -> None:
    print()
    print(f"scaling (ragbook end-to-end, median of the runs; ~{rows_per_return:.0f} rows per return, into the "
          f"whole master each time)")
    print(f"{'returns':>8}{'total s':>10}{'s per return':>14}{'added s per return':>20}")
    first_count, first = curve[0]
    for count, total in curve:
        marginal = f"{(total - first) / (count - first_count):20.3f}" if count > first_count else f"{'':>20}"
        print(f"{count:8d}{total:10.2f}{total / count:14.3f}{marginal}")


def profile(data: Path, work: Path, top: int = 15) -> None:
    stats_path = work / "ragbook.prof"
    worker("ragbook", data / "master.xlsx", data / "returns", data / "manifest.json", "--profile", stats_path)
    for order, title in (("cumulative", "cumulative time"), ("tottime", "own time")):
        print()
        print(f"cProfile of one ragbook consolidation + summary refresh, top {top} by {title}:")
        stats = pstats.Stats(str(stats_path), stream=sys.stdout)
        stats.strip_dirs().sort_stats(order).print_stats(top)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="the small size (400 actions, 4 returns)")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds (default 5)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cache", type=Path, default=None, help="folder for generated data (default: temp)")
    parser.add_argument("--scaling-rounds", type=int, default=1, help="runs per point of the scaling curve")
    parser.add_argument("--no-scaling", action="store_true")
    parser.add_argument("--profile", action="store_true", help="also profile one ragbook consolidation")
    parser.add_argument("--json", type=Path, help="also write every measurement here")
    args = parser.parse_args(argv)
    size = SIZES["smoke" if args.smoke else "full"]
    started = time.perf_counter()
    try:
        data = ensure(size, args.seed, args.cache, say=lambda text: print(text, file=sys.stderr))
        manifest = json.loads((data / "manifest.json").read_text())
        with tempfile.TemporaryDirectory(prefix="ragbook-bench-run-") as folder:
            work = Path(folder)
            consolidated = work / "consolidated.xlsx"
            # A first consolidation (not timed) warms the file cache and leaves the master the write phase
            # writes, whose parts the compression floor deflates.
            worker("ragbook", data / "master.xlsx", data / "returns", data / "manifest.json", "--keep", consolidated)
            results: dict[str, list[dict]] = {name: [] for name in CONTENDERS}
            for number in range(1, args.rounds + 1):
                for name in CONTENDERS:
                    if name == "unzip":
                        result = worker(name, data / "returns")
                    elif name == "compress":
                        result = worker(name, consolidated)
                    else:
                        result = worker(name, data / "master.xlsx", data / "returns", data / "manifest.json")
                    results[name].append(result)
                print(f"  round {number}/{args.rounds}: " + ", ".join(
                    f"{name} {results[name][-1]['total']:.2f} s" for name in CONTENDERS), file=sys.stderr)
            counts = [n for n in (SCALING if not args.smoke else (1, 2, 4)) if n <= len(manifest["returns"])]
            curve = [] if args.no_scaling else scaling(data, counts, args.scaling_rounds, work)
            ratios = print_table(size.name, data, manifest, results, args.rounds)
            if curve:
                rows = sum(r["rows"] for r in manifest["returns"].values()) / len(manifest["returns"])
                print_scaling(curve, rows)
            if args.profile:
                profile(data, work)
            if args.json:
                args.json.write_text(json.dumps({"machine": machine(), "size": size.name, "ratios": ratios,
                                                 "results": results, "scaling": curve}, indent=1, default=str))
    except Failed as exc:
        print(f"\ncorrectness error: {exc}", file=sys.stderr)
        return 1
    print(f"\n(benchmark took {time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
