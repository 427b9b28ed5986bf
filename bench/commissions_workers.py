"""Benchmark: a quarterly commission run through worker processes (issue 14: scale out
the heavy work), with 1 and with 2 workers, against the single-process run_compute.

Data: bench/commissions_run.py's (1,000 reps, 20,000 accounts, 1M lines in 2026-Q1 plus
500,000 over 2025), generated once into PostgreSQL:

    .venv/bin/python bench/commissions_run.py --db postgres --generate-only --name bench_commissions_workers
    .venv/bin/python bench/commissions_workers.py --name bench_commissions_workers --workers 1 2

For each worker count, starts that many `bookwise worker --workers 1` processes on a Redis
queue of their own, queues the run (the coordinator job, then one job per run of chunks,
`--jobs`), and times from queueing until the gathered run is stored (wall); CPU is the
workers' own (user + system, from their rusage once stopped, start-up included; the
PostgreSQL server's is not counted). Checks that each run's totals equal the
single-process run's to the cent.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from commissions_run import PG, PLAN, setup_django  # noqa: E402


def single() -> tuple[float, float, tuple]:
    from bookwise.commissions.services import run_compute

    wall, cpu = time.perf_counter(), time.process_time()
    run = run_compute(period="2026-Q1")
    took = (time.perf_counter() - wall, time.process_time() - cpu)
    return (*took, (run.commission, run.override, run.adjustments, run.statements.count()))


def workers(count: int, jobs: int, env: dict[str, str]) -> tuple[float, float, tuple]:
    from django.db.models import Max

    from bookwise.commissions.models import Run
    from bookwise.jobs import runner, tasks
    from bookwise.jobs.models import Job

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    procs = [
        subprocess.Popen([sys.executable, "-m", "bookwise.cli", "worker", "--workers", "1"], env=env,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(count)
    ]  # fmt: skip
    time.sleep(5)  # the workers start (Django loaded) before the run is queued
    last = Run.objects.aggregate(last=Max("pk"))["last"] or 0
    wall = time.perf_counter()
    params = {"period": "2026-Q1", "jobs": jobs}
    job = runner.create("commissions_run", user=None, label="bench", params=params)
    tasks.send(job.pk)
    while not (run := Run.objects.filter(period="2026-Q1", pk__gt=last).first()):
        failed = Job.objects.filter(state=Job.FAILED, pk__gte=job.pk).first()
        if failed:
            raise SystemExit(f"job failed: {failed.label}: {failed.error}")
        time.sleep(0.2)
    took = time.perf_counter() - wall
    for proc in procs:
        proc.terminate()
    for proc in procs:
        proc.wait(timeout=60)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return took, cpu, (run.commission, run.override, run.adjustments, run.statements.count())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--name", default="bench_commissions_workers", help="the PostgreSQL database")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--jobs", type=int, default=4, help="jobs the run is shared into")
    args = parser.parse_args()
    url = PG.format(name=args.name)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "BOOKWISE_DATABASE_URL": url,
           "BOOKWISE_QUEUE_URL": "redis://127.0.0.1:6379/0", "BOOKWISE_CACHE_URL": "redis://127.0.0.1:6379/0",
           "BOOKWISE_INSTANCE": f"bench-{uuid.uuid4().hex[:8]}", "BOOKWISE_DEBUG": "False",
           "DJANGO_SETTINGS_MODULE": "bookwise.config.settings"}  # fmt: skip
    os.environ.update(env)
    setup_django(url)
    from django.core.management import call_command

    from bookwise.commissions.services import plan_file_load

    call_command("migrate", verbosity=0)
    plan_file_load(text=PLAN, filename="bench.yaml")
    wall, cpu, totals = single()
    print(f"single process: {wall:.1f} s wall / {cpu:.1f} s CPU; totals {totals}")
    for count in args.workers:
        wall, cpu, got = workers(count, args.jobs, env)
        same = "equal" if got == totals else f"DIFFERENT {got}"
        load = os.getloadavg()
        print(f"{count} worker(s), {args.jobs} jobs: {wall:.1f} s wall / {cpu:.1f} s workers' CPU;"
              f" totals {same}; load average {load[0]:.1f}")  # fmt: skip


if __name__ == "__main__":
    main()
