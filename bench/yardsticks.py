"""Every yardstick in one run, and one table of the ratios (Bookwise / the engine underneath).

    python bench/yardsticks.py                  # import (when bench/yardstick_import.py is there),
                                                # retention, commissions on their default data
    python bench/yardsticks.py --only retention,commissions
    python bench/yardsticks.py --retention-url sqlite:////tmp/b.sqlite3 --commissions-url sqlite:////tmp/c.sqlite3

Each yardstick runs as its own process, one after the other (never two at once: they would
share the 2 cores), and leaves its figures in a JSON file: `workload`, `bookwise` and
`yardstick` (each `wall` and `cpu` seconds), `yardstick_name`, `equal` (the results
compared), and optionally `command` (an end-to-end pair) or a list of such records. A
yardstick script that writes no JSON has its output shown and no row. The load average is
printed before and after, and with each row: wall times on a shared 2-core machine mean
little above a load of 2; the CPU ratio is the headline.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
# name -> (script, target ratio of CPU time, what the target is)
YARDSTICKS = {
    "import": ("yardstick_import.py", 3.0, "<= 3x"),
    "retention": ("yardstick_retention.py", 3.0, "<= 3x"),
    "commissions": ("yardstick_commissions.py", 10.0, "<= 10x"),
}


def load() -> str:
    return "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def accepts_json(script: Path) -> bool:
    done = subprocess.run(
        [sys.executable, str(script), "--help"], capture_output=True, text=True, check=False
    )
    return "--json" in done.stdout


def run_one(name: str, extra: list[str]) -> list[dict[str, Any]]:
    """Run one yardstick script; its records (none when it is missing or wrote no JSON)."""
    script = BENCH / YARDSTICKS[name][0]
    if not script.exists():
        print(f"== {name}: {script.name} is not there, skipped")
        return []
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / f"{name}.json"
        cmd = [sys.executable, str(script), *extra]
        cmd += ["--json", str(out)] if accepts_json(script) else []
        print(f"== {name}: {' '.join(cmd[1:])} (load {load()})", flush=True)
        done = subprocess.run(cmd, check=False)
        if done.returncode:
            print(f"   {script.name} exited with {done.returncode}")
        if not out.exists():
            return []
        data = json.loads(out.read_text())
    records = data if isinstance(data, list) else [data]
    return [r | {"name": name, "exit": done.returncode} for r in records]


def rows(records: list[dict[str, Any]]) -> list[list[str]]:
    table = []
    for r in records:
        pairs = [(r["workload"], r["bookwise"], r["yardstick"], r.get("yardstick_name", ""))]
        if r.get("command"):
            command = r["command"]
            pairs.append(
                (
                    f"{r['name']}: the command end to end",
                    command["bookwise"],
                    command["duckdb"],
                    "DuckDB process",
                )
            )
        for workload, ours, theirs, engine in pairs:
            target, words = YARDSTICKS[r["name"]][1:]
            ratio = ours["cpu"] / theirs["cpu"] if theirs["cpu"] else float("inf")
            if workload.endswith("end to end"):  # the command's target is absolute: under 1 s
                words, met = "< 1 s wall", "met" if ours["wall"] < 1 else "NOT met"
            else:
                met = "met" if ratio <= target else "NOT met"
            same = "equal" if r.get("equal") else "DIFFERENT"
            load_avg = " ".join(f"{x:.1f}" for x in r.get("load", [])[:1])
            times = [f"{t['cpu']:.3f} / {t['wall']:.3f}" for t in (ours, theirs)]
            wall_ratio = f"{ours['wall'] / theirs['wall']:.1f}x"
            verdict = f"{words} {met}".strip()
            table.append([workload, engine, *times, f"{ratio:.1f}x", wall_ratio, verdict, same, load_avg])
    return table


def print_table(table: list[list[str]]) -> None:
    head = ["workload", "yardstick", "Bookwise CPU / wall s", "yardstick CPU / wall s"]
    head += ["ratio CPU", "ratio wall", "target (CPU)", "results", "load"]
    widths = [max(len(h), *(len(row[i]) for row in table)) for i, h in enumerate(head)]
    print("  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)))
    for row in table:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))


def main() -> None:
    raw = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=raw)
    parser.add_argument(
        "--only", default=",".join(YARDSTICKS), help="comma-separated: import,retention,commissions"
    )
    parser.add_argument("--retention-url", help="database of the retention yardstick (its default otherwise)")
    parser.add_argument(
        "--commissions-url", help="database of the commissions yardstick (its default otherwise)"
    )
    parser.add_argument("--import-args", default="", help="extra arguments for yardstick_import.py")
    args = parser.parse_args()
    extra = {
        "import": args.import_args.split(),
        "retention": ["--database-url", args.retention_url] if args.retention_url else [],
        "commissions": ["--database-url", args.commissions_url] if args.commissions_url else [],
    }
    before = load()
    records = []
    for name in args.only.split(","):
        records += run_one(name.strip(), extra[name.strip()])
    print(
        f"\nRatios, Bookwise / yardstick (CPU time headline; load average before {before}, after {load()}):"
    )
    if records:
        print_table(rows(records))
    bad = [r["name"] for r in records if not r.get("equal") or r.get("exit")]
    if bad:
        raise SystemExit(f"results differ or a script failed: {', '.join(bad)}")


if __name__ == "__main__":
    main()
