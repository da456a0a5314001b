"""The benchmark's printed tables: medians with min–max and peak memory, and every ratio beside its target."""

from __future__ import annotations

import statistics


def median(values: list[float]) -> float:
    return statistics.median(values)


def spread(values: list[float]) -> str:
    return f"{median(values):8.3f} s {min(values):7.2f} – {max(values):<6.2f}"


def verdict(value: float, target: float) -> str:
    return "met" if value <= target else "NOT met"


def failures(items: list[dict]) -> list[str]:
    """What went wrong in these runs, each on one line."""
    return [" ".join(problem.split())[:400] for r in items for problem in r.get("problems", [])]


def _ratio_line(name: str, values: list[float | None], target: float, unit: str = "") -> None:
    shown = "".join(f"{v:10.2f}{unit}" if v is not None else f"{'—':>10}" for v in values)
    verdicts = " / ".join(verdict(v, target) for v in values if v is not None)
    print(f"{name:46}{shown}   ≤ {target:<5g}{unit} {verdicts}")


# ---------------------------------------------------------------------------- consolidation, two rounds
def consolidation(manifests: dict[int, dict], results: dict[int, dict[str, list[dict]]],
                  targets: dict[str, float]) -> dict[str, float]:
    print()
    for number, manifest in manifests.items():
        changes = sum(r["audit_entries"] for r in manifest["returns"].values())
        rows = sum(r["rows"] for r in manifest["returns"].values())
        held = ("a new master" if number == 1 else
                "a master holding a Summary, an Audit Log of round 1 and a ledger of two rounds")
        print(f"returns round {number}: {manifest['actions']:,} actions, {manifest['agencies']} agencies, "
              f"{len(manifest['returns'])} returns ({rows:,} rows, {changes:,} changes), into {held}")
    print()
    print(f"{'consolidation':36}" + "".join(f"{f'round {n}: median':>21} {'min – max':^14}{'peak MB':>9}"
                                            for n in results))
    for rounds in results.values():
        for r in rounds["ragbook"]:
            r["rest"] = r["total"] - r["read"] - r["write"]
    first = results[1]["ragbook"][0]
    saves, opens = first["calls"].get("save_master", 0), first["calls"].get("open_master", 0)

    def line(name: str, contender: str, key: str = "total", memory: bool = True) -> None:
        cells = []
        for rounds in results.values():
            items = rounds[contender]
            peak = f"{max(r['peak_mb'] for r in items):8.0f}" if memory else f"{'':8}"
            cells.append(f"{spread([r[key] for r in items]):>36}{peak}")
        print(f"{name:36}" + "".join(cells))

    line("ragbook end-to-end", "ragbook")
    line("  read phase", "ragbook", "read", False)
    line("    reading the returns", "ragbook", "read_returns", False)
    line(f"    opening the master ({opens}×)", "ragbook", "open_master", False)
    line("    master read_register/ledger", "ragbook", "read_master", False)
    line(f"  write phase ({saves} saves)", "ragbook", "write", False)
    line("  the rest:", "ragbook", "rest", False)
    line("    checks and merge (core)", "ragbook", "core_checks_merge", False)
    line("    register/ledger/lists updates", "ragbook", "master_updates", False)
    line("    summary: computing", "ragbook", "summary_build", False)
    line("    summary: drawing the sheet", "ragbook", "summary_draw", False)
    line("baseline (plain openpyxl)", "baseline")
    line("floor: unzip the returns", "unzip")
    line("floor: deflate the master's XML", "compress")
    ratios: dict[str, float] = {}
    measured: dict[str, list[float]] = {key: [] for key in
                                        ("ragbook_baseline", "read_unzip", "read_returns_unzip", "write_compress",
                                         "write_per_save_compress", "peak_mb")}
    for number, rounds in results.items():
        m = {name: median([r["total"] for r in items]) for name, items in rounds.items()}
        rag = rounds["ragbook"]
        read, write = median([r["read"] for r in rag]), median([r["write"] for r in rag])
        values = {
            "ragbook_baseline": m["ragbook"] / m["baseline"],
            "read_unzip": read / m["unzip"],
            "read_returns_unzip": median([r["read_returns"] for r in rag]) / m["unzip"],
            "write_compress": write / m["compress"],
            "write_per_save_compress": write / max(saves, 1) / m["compress"],
            "peak_mb": max(r["peak_mb"] for r in rag),
        }
        for key, value in values.items():
            measured[key].append(value)
            ratios[key if number == 1 else f"{key}_round{number}"] = value
    print()
    print(f"{'ratio (of medians)':46}{'round 1':>10}{'round 2':>10}   target")
    _ratio_line("ragbook ÷ baseline", measured["ragbook_baseline"], targets["ragbook_baseline"])
    _ratio_line("reading the returns ÷ unzip floor", measured["read_returns_unzip"], targets["read_returns_unzip"])
    print(f"{'  (read phase ÷ unzip floor: the master too)':46}"
          + "".join(f"{v:10.2f}" for v in measured["read_unzip"]))
    _ratio_line(f"write phase ({saves} saves) ÷ compression floor", measured["write_compress"],
                targets["write_compress"])
    print(f"{'  (per save ÷ compression floor)':46}"
          + "".join(f"{v:10.2f}" for v in measured["write_per_save_compress"]))
    _ratio_line("peak memory of ragbook (MB)", measured["peak_mb"], targets["peak_mb"])
    return ratios


def scaling(curve: list[tuple[int, float]], rows_per_return: float) -> None:
    print()
    print(f"scaling (ragbook end-to-end, returns round 1, median of the runs; ~{rows_per_return:.0f} rows per "
          f"return, into the whole master each time)")
    print(f"{'returns':>8}{'total s':>10}{'s per return':>14}{'added s per return':>20}")
    first_count, first = curve[0]
    for count, total in curve:
        marginal = f"{(total - first) / (count - first_count):20.3f}" if count > first_count else f"{'':>20}"
        print(f"{count:8d}{total:10.2f}{total / count:14.3f}{marginal}")


# ---------------------------------------------------------------------------- the commands people run
def commands(actions: dict[str, int], results: dict[str, dict[int, dict[str, list[dict]]]],
             consolidated: dict[int, dict[str, list[dict]]], large: str,
             targets: dict[str, float], rounds: int) -> dict[str, float]:
    print()
    print("the commands people run: `python -m ragbook COMMAND` in a fresh process, start to end "
          "(median, min – max, peak MB)")
    header = "".join(f"{f'{actions[size]:,} actions, round {number}':>32}"
                     for size in results for number in results[size])
    print(f"{'command':14}{header}")
    failed: list[str] = []
    once = False
    for name in next(iter(next(iter(results.values())).values())):
        cells = []
        for size in results:
            for number, by_name in results[size].items():
                items = by_name[name]
                total = [r["total"] for r in items]
                if failures(items):
                    failed += [f"{name}, {actions[size]:,} actions, round {number}: {failures(items)[0]}"]
                    cells.append("failed (see below)")
                    continue
                if len(items) < rounds:
                    once = True
                    cells.append(f"{total[0]:9.2f} s {'(run once)':>13}{items[0]['peak_mb']:6.0f}")
                    continue
                cells.append(f"{median(total):9.2f} s {min(total):6.2f}–{max(total):<6.2f}"
                             f"{max(r['peak_mb'] for r in items):6.0f}")
        print(f"{name:14}" + "".join(f"{cell:>32}" for cell in cells))
    if once:
        print("  (run once: a command slower than --once seconds is not run again in later rounds)")
    for line in failed:
        print(f"  FAILED: {line.strip()}")
    ratios: dict[str, float] = {}
    print()
    print(f"{'ratio (of medians)':46}{'round 1':>10}{'round 2':>10}   target")

    def seconds(items: list[dict]) -> float | None:
        return None if failures(items) else median([r["total"] for r in items])

    for size in results:
        values: list[float | None] = []
        for number, by_name in results[size].items():
            validate, consolidate = seconds(by_name["validate"]), seconds(by_name["consolidate"])
            value = validate / consolidate if validate is not None and consolidate is not None else None
            values.append(value)
            if value is not None:
                ratios[f"validate_consolidate_{size}_round{number}"] = value
        if size == large:
            _ratio_line(f"validate ÷ consolidate, {actions[size]:,} actions", values, targets["validate_consolidate"])
        else:  # the target is for partnership scale; at a tenth of it a command's start-up weighs more
            print(f"{f'validate ÷ consolidate, {actions[size]:,} actions':46}"
                  + "".join(f"{v:10.2f}" if v is not None else f"{'—':>10}" for v in values) + "   (no target)")
    if consolidated:
        shares = [seconds(results[large][n]["consolidate"]) for n in results[large]]
        print(f"{'  (consolidate command ÷ its in-process run)':46}" + "".join(
            f"{share / median([r['total'] for r in consolidated[n]['ragbook']]):10.2f}" if share else f"{'—':>10}"
            for n, share in zip(results[large], shares)))
    return ratios


def startups(actions: int, measured: dict, targets: dict[str, float]) -> dict[str, float]:
    print()
    print(f"start-up: each command on a {actions}-action plan, beside a process that only imports what that "
          f"command imports")
    print(f"{'command':14}{'modules':>8}{'start-up s':>12}{'run s':>10}{'run ÷ start-up':>16}   target")
    ratios: dict[str, float] = {}
    for name, items in measured["commands"].items():
        start = median([r["total"] for r in items["startup"]])
        if failures(items["run"]):
            print(f"{name:14}{measured['modules'][name]:8d}{start:12.3f}   FAILED: {failures(items['run'])[0].strip()}")
            continue
        run = median([r["total"] for r in items["run"]])
        ratios[f"run_startup_{name}"] = run / start
        print(f"{name:14}{measured['modules'][name]:8d}{start:12.3f}{run:10.3f}{run / start:16.2f}   "
              f"≤ {targets['run_startup']:g}    {verdict(run / start, targets['run_startup'])}")
    print()
    print(f"{'entry import (python -X importtime, cumulative)':50}{'median':>8}   {'wall':>6}   target")
    for module, items in measured["entries"].items():
        value = median([r["total"] for r in items])
        ratios[f"entry_import_{module}"] = value
        print(f"{'import ' + module:50}{value:8.3f} s {median([r['wall'] for r in items]):6.3f} s   "
              f"≤ {targets['entry_import']:g} s  {verdict(value, targets['entry_import'])}")
    return ratios
