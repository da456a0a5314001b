"""The benchmark's smoke run: the small size end to end, in fresh processes, checked for correctness.

Timings are printed, never asserted: the run fails only when a consolidation (ragbook's or the baseline's)
did not apply exactly the updates the generated returns hold.
"""

from __future__ import annotations

import json
import subprocess
import sys
from tests.helpers.paths import ROOT



def test_smoke_run_prints_the_table_and_ratios(tmp_path):
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--smoke", "--rounds", "3", "--cache",
         str(tmp_path / "data"), "--json", str(tmp_path / "results.json")],
        cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    out = done.stdout
    for label in ("ragbook end-to-end", "read phase", "write phase", "baseline (plain openpyxl)",
                  "floor: unzip the returns", "floor: deflate the master's XML", "ragbook ÷ baseline",
                  "reading the returns ÷ unzip floor", "read phase ÷ unzip floor", "÷ compression floor", "peak memory of ragbook", "s per return",
                  "returns round 2:", "a ledger of two rounds", "the commands people run", "validate ÷ consolidate",
                  "run ÷ start-up", "import ragbook.cli", "import ragbook.ribbon"):
        assert label in out, label
    for name in ("validate", "summary", "report", "consolidate"):
        assert any(line.startswith(name + " ") for line in out.splitlines()), name
    results = json.loads((tmp_path / "results.json").read_text())
    assert [len(results["results"][name]) for name in ("ragbook", "baseline", "unzip", "compress")] == [3] * 4
    assert [len(results["results_round2"][name]) for name in ("ragbook", "baseline", "unzip", "compress")] == [3] * 4
    manifest = json.loads(next((tmp_path / "data").glob("smoke-*/manifest.json")).read_text())
    expected = sum(r["changed_cells"] for r in manifest["returns"].values())
    assert expected > 0
    for name in ("ragbook", "baseline"):
        assert {r["changed_cells"] for r in results["results"][name]} == {expected}
    second = json.loads(next((tmp_path / "data").glob("smoke-*/round2/manifest.json")).read_text())
    assert {r["changed_cells"] for r in results["results_round2"]["ragbook"]} == {
        sum(r["changed_cells"] for r in second["returns"].values())}
    assert [count for count, _ in results["scaling"]] == [1, 2, 4]
    assert set(results["commands"]["smoke"]["1"]) == {"validate", "summary", "report", "consolidate"}
    assert all(r["exit"] in (0, 1) for r in results["commands"]["smoke"]["1"]["validate"])
    # Every ratio printed has its target and its verdict beside it.
    for line in out.splitlines():
        if "≤" in line:
            assert line.rstrip().endswith("met"), line


def test_a_wrong_consolidation_fails_the_smoke_run(tmp_path):
    """A manifest that expects one more change than the returns hold must make the run exit 1."""
    data = tmp_path / "data"
    subprocess.run([sys.executable, "-m", "benchmarks.generate", "--size", "smoke", "--cache", str(data)],
                   cwd=ROOT, check=True, capture_output=True)
    manifest_path = next(data.glob("smoke-*/manifest.json"))
    manifest = json.loads(manifest_path.read_text())
    first = next(iter(manifest["returns"].values()))
    first["changed_cells"] += 1
    manifest_path.write_text(json.dumps(manifest))
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--smoke", "--rounds", "1", "--no-scaling",
         "--cache", str(data)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "correctness error: ragbook:" in done.stderr
    assert "Register cells changed, the returns hold" in done.stderr
