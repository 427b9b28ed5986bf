"""Yardstick: a quarter's commission statements computed in DuckDB SQL over the same order
lines, beside Bookwise's run, checked equal to the cent.

    python bench/commissions_run.py --db sqlite --generate-only    # the data, once (slow)
    python bench/yardstick_commissions.py                          # /tmp/bench_commissions.sqlite3
    python bench/yardstick_commissions.py --database-url sqlite:////tmp/x.sqlite3 --period 2026-Q1

1. Bookwise: `run_compute(period=...)` (read, credit, pay, override and store the draft
   run), timed once (wall and CPU of this process; on SQLite that includes the database's
   own work, on PostgreSQL the backend's CPU is added); and the computation alone
   (`PeriodComputation(...).chunks()`).
2. DuckDB in memory: order lines, ownership, reps and accounts copied in once (not timed,
   kept as Parquet under --cache), then COMMISSIONS.md in SQL, timed (--repeat runs, the
   median): credit (the line's rep, else the primary owner on its date, else the secondary;
   the co-coverage split), the cumulative tiers R(c + credit) - R(c) in line order, the
   transfer rule (horizon, delay, new orders only, ramp, the prior-12-months threshold with
   its baseline and the rep's running credit since t), half-up rounding per line, and the
   managers' override on team growth against the same quarter a year earlier.
3. Every statement's credit, commission and override and every statement line's credit and
   commission compared with the stored run: the run fails if one cent differs.
Prints wall and CPU times, the ratios (Bookwise / DuckDB) and the load average.

The plans are read from Bookwise (the paying plan per role, quotas and quota overrides) and
written into the SQL as numbers; what the SQL does not cover (a what-if reassignment,
prior-period adjustments, month or year periods with a different plan per role) is not
part of the yardstick. The draft run it stores (replacing the period's draft, if any) is
deleted afterwards unless --keep-run; order lines, plans and approved runs are left as they were.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from yardstick_retention import copy_tables, duck, load, server_cpu, setup_django  # noqa: E402

DEFAULT_URL = "sqlite:////tmp/bench_commissions.sqlite3"
DEFAULT_CACHE = "/tmp/bookwise-yardsticks"
TABLES = {
    "line": (
        "accounts_orderline",
        ["external_id", "account_id", "order_date", "kind", "amount", "gross_profit", "rep_id"],
        ["order_date"],
    ),
    "own": ("accounts_ownership", ["account_id", "rep_id", "role", "start_date", "end_date", "reason"],
            ["start_date", "end_date"]),
    "rep": ("people_rep", ["id", "external_id", "role", "manager_id", "hire_date", "end_date"],
            ["hire_date", "end_date"]),
    "account": ("accounts_account", ["id", "external_id"], []),
}  # fmt: skip
FAR = "DATE '9999-12-31'"


def decimals(values: list[Decimal]) -> int:
    exponents = [v.normalize().as_tuple().exponent for v in values]
    return max([0] + [-e for e in exponents if isinstance(e, int) and e < 0])


class Terms:
    """The paying plans of the period as numbers for the SQL: per rep with a plan, the split,
    base, transfer rule, tier bounds (credit units) and rates (units of 10^-e), override rate."""

    def __init__(self, period) -> None:
        from bookwise.commissions.compute.computation import current_plans, plans_by_role
        from bookwise.commissions.compute.rules import RateCurve
        from bookwise.commissions.models import QuotaOverride
        from bookwise.people.models import Rep

        self.by_role = {role: paid.plan for role, paid in plans_by_role(current_plans(), period).items()}
        plans = list(set(self.by_role.values()))
        self.scale = 10 ** decimals([p.co_coverage_split for p in plans])
        self.e = decimals([t.rate for p in plans for t in p.tiers])
        overrides = dict(QuotaOverride.objects.filter(period=period.label).values_list("rep_id", "quota"))
        self.curves = {}
        for pk, role in Rep.objects.values_list("id", "role"):
            if role in self.by_role:
                plan = self.by_role[role]
                self.curves[pk] = (plan, RateCurve(plan.tiers, overrides.get(pk, plan.quota)))
        bounds = [b * 100 * self.scale for _, c in self.curves.values() for b in c.bounds]
        self.up = 10 ** decimals(bounds)
        self.width = max([1] + [len(c.bounds) for _, c in self.curves.values()])
        self.divisor = self.scale * self.up * 10**self.e
        ramps = [s.multiplier for p in plans if p.transfer_rule for s in p.transfer_rule.ramp]
        self.ramp_e = decimals(ramps)
        self.override_e = decimals([p.override_rate for p in plans if p.override_rate is not None])

    def rows(self) -> list[tuple]:
        """One row per rep with a plan (see `columns`)."""
        out = []
        for pk, (plan, curve) in self.curves.items():
            rule = plan.transfer_rule
            bounds = [int(b * 100 * self.scale * self.up) for b in curve.bounds]
            rates = [int(r.scaleb(self.e)) for r in curve.rates]
            pad = self.width - len(bounds)
            bounds, rates = bounds + [None] * pad, rates + [0] * pad
            rule_cols = (
                (rule.horizon_months, rule.delay_months, rule.new_orders_only, rule.threshold != "none")
                if rule else (None, None, False, False)
            )  # fmt: skip
            override = (
                int(plan.override_rate.scaleb(self.override_e)) if plan.override_rate is not None else None
            )
            out.append((pk, int(plan.co_coverage_split * self.scale), plan.base == "gross_profit",
                        rule is not None, *rule_cols, plan.name, override, *bounds, *rates))  # fmt: skip
        return out

    def columns(self) -> list[str]:
        fixed = [
            "rep",
            "split",
            "gp_base",
            "has_rule",
            "horizon",
            "delay",
            "new_only",
            "threshold",
            "plan",
            "override",
        ]
        return fixed + [f"b{k}" for k in range(self.width)] + [f"r{k}" for k in range(self.width)]

    def ramp_rows(self) -> list[tuple]:
        plans = {p.name: p for p in self.by_role.values()}
        rows = [
            (name, 0, 10**self.ramp_e)
            for name, p in plans.items()
            if p.transfer_rule and not p.transfer_rule.ramp
        ]
        for name, p in plans.items():
            for step in p.transfer_rule.ramp if p.transfer_rule else ():
                rows.append((name, step.from_month, int(step.multiplier.scaleb(self.ramp_e))))
        return rows

    def r_sql(self, x: str) -> str:
        """R(x) of the rep's curve (`p` holds the rep's row) in units x 10^e, as vector.py:
        the rate at attainment 0 below 0, each segment's rate over the part of x inside it."""
        terms = [f"least({x}, 0) * p.r0"]
        for k in range(self.width):
            upper = f"coalesce(p.b{k + 1}, {x})" if k + 1 < self.width else x
            segment = f"p.r{k} * greatest(0, least({x}, {upper}) - p.b{k})"
            terms.append(f"CASE WHEN p.b{k} IS NULL THEN 0 ELSE {segment} END")
        return " + ".join(terms)


def statements_sql(terms: Terms, period, year_before) -> list[str]:
    """The statements of COMMISSIONS.md as DuckDB statements; the last two select the lines
    (rep, order id, credit units, commission cents) and the statements (rep, credit units,
    commission cents, override cents)."""
    ps, pe, ys, ye = (f"DATE '{d}'" for d in (period.start, period.end, year_before.start, year_before.end))
    s, d = terms.scale, terms.divisor
    ramp_den = 10**terms.ramp_e
    return [
        # owners and transfers
        "CREATE OR REPLACE TEMP TABLE prim AS SELECT account_id, start_date, coalesce(end_date, "
        f"{FAR}) AS end_date, rep_id FROM own WHERE role = 'primary'",
        "CREATE OR REPLACE TEMP TABLE sec AS SELECT account_id, start_date, coalesce(end_date, "
        f"{FAR}) AS end_date, rep_id FROM own WHERE role = 'secondary'",
        "CREATE OR REPLACE TEMP TABLE xfer AS SELECT rep_id, account_id, start_date AS t FROM own "
        f"WHERE role = 'primary' AND reason <> 'import' AND start_date <= {pe}",
        # who each line credits (every line up to the period's end: baselines, prior credit, teams)
        f"""CREATE OR REPLACE TEMP TABLE credited AS
        SELECT l.external_id AS oid, l.account_id AS acc, l.order_date AS d,
               coalesce(nullif(l.kind, ''), 'repeat') AS kind, l.amount, l.gross_profit AS gp,
               CASE WHEN coalesce(l.rep_id, 0) > 0 THEN l.rep_id
                    WHEN p.end_date >= l.order_date THEN p.rep_id
                    WHEN s.end_date >= l.order_date THEN s.rep_id ELSE 0 END AS credited,
               CASE WHEN s.end_date >= l.order_date THEN s.rep_id ELSE 0 END AS secondary
        FROM line l
        ASOF LEFT JOIN prim p ON l.account_id = p.account_id AND l.order_date >= p.start_date
        ASOF LEFT JOIN sec s ON l.account_id = s.account_id AND l.order_date >= s.start_date
        WHERE l.order_date <= {pe}""",
        # each share: the credited rep's (less the split when co-covered) and the secondary's
        f"""CREATE OR REPLACE TEMP TABLE shares AS
        WITH c AS (
            SELECT c.*, coalesce(p.split, 0) AS split,
                   c.credited > 0 AND c.secondary > 0 AND c.secondary <> c.credited
                       AND coalesce(p.split, 0) > 0 AS shared
            FROM credited c LEFT JOIN rep_plan p ON p.rep = c.credited WHERE c.credited > 0
        ), parts AS (
            SELECT oid, acc, d, kind, amount, gp, credited AS rep,
                   CASE WHEN shared THEN {s} - split ELSE {s} END AS frac, false AS second FROM c
            UNION ALL
            SELECT oid, acc, d, kind, amount, gp, secondary, split, true FROM c WHERE shared
        )
        SELECT parts.*, p.rep IS NOT NULL AS paid,
               CASE WHEN p.gp_base THEN coalesce(gp, 0) ELSE amount END * frac AS credit
        FROM parts LEFT JOIN rep_plan p ON p.rep = parts.rep""",
        # the period's paid shares in line order, with the transfer in force and R
        f"""CREATE OR REPLACE TEMP TABLE paid AS
        SELECT s.*, x.t,
               sum(s.credit) OVER (PARTITION BY s.rep ORDER BY s.d, s.oid ROWS UNBOUNDED PRECEDING)
                   - s.credit AS before
        FROM shares s JOIN rep_plan p ON p.rep = s.rep
        ASOF LEFT JOIN xfer x ON s.rep = x.rep_id AND s.acc = x.account_id AND s.d >= x.t
        WHERE s.d BETWEEN {ps} AND {pe}""",
        # the rep's running credit on a transferred account since t (lines before the period too)
        """CREATE OR REPLACE TEMP TABLE running AS
        SELECT s.oid, s.rep, x.t,
               sum(s.credit) OVER (PARTITION BY s.rep, s.acc, x.t ORDER BY s.d, s.oid
                                   ROWS UNBOUNDED PRECEDING)
                   - s.credit AS s_before
        FROM shares s JOIN rep_plan p ON p.rep = s.rep AND p.threshold
        ASOF JOIN xfer x ON s.rep = x.rep_id AND s.acc = x.account_id AND s.d >= x.t""",
        # baseline B: the account's credit to anyone over the 12 months before t, in the rep's base
        f"""CREATE OR REPLACE TEMP TABLE baseline AS
        WITH keys AS (SELECT DISTINCT rep, acc, t FROM paid WHERE t IS NOT NULL)
        SELECT k.rep, k.acc, k.t,
               coalesce(sum(CASE WHEN p.gp_base THEN coalesce(c.gp, 0) ELSE c.amount END), 0) * {s} AS b
        FROM keys k JOIN rep_plan p ON p.rep = k.rep AND p.threshold
        LEFT JOIN credited c ON c.acc = k.acc AND c.credited > 0
            AND c.d >= CAST(k.t - INTERVAL 12 MONTH AS DATE) AND c.d < k.t
        GROUP BY ALL""",
        # every line's commission: f x (R(after) - R(before)), half-up to the cent
        f"""CREATE OR REPLACE TEMP TABLE paid_lines AS
        WITH r AS (
            SELECT q.*, p.has_rule, p.horizon, p.delay, p.new_only, p.threshold, p.plan,
                   CAST({terms.r_sql("(q.before + q.credit) * " + str(terms.up))} AS HUGEINT)
                   - CAST({terms.r_sql("q.before * " + str(terms.up))} AS HUGEINT) AS delta
            FROM paid q JOIN rep_plan p ON p.rep = q.rep
        ), m AS (
            SELECT r.*, CASE WHEN r.t IS NULL THEN NULL ELSE
                datediff('month', r.t, r.d)
                - CASE WHEN CAST(r.t + to_months(datediff('month', r.t, r.d)) AS DATE)
                    > r.d THEN 1 ELSE 0 END END AS months
            FROM r
        ), f AS (
            SELECT m.*, coalesce(g.mult, {ramp_den}) AS ramp, b.b, u.s_before,
                   CASE WHEN m.t IS NULL OR NOT m.has_rule THEN 'one'
                        WHEN m.horizon IS NOT NULL
                             AND m.d >= CAST(m.t + to_months(m.horizon) AS DATE) THEN 'one'
                        WHEN m.d < CAST(m.t + to_months(m.delay) AS DATE) THEN 'zero'
                        WHEN m.new_only AND m.kind <> 'new' THEN 'zero'
                        WHEN m.threshold AND m.credit <> 0 THEN 'share' ELSE 'ramp' END AS rule
            FROM m
            ASOF LEFT JOIN ramp_step g ON g.plan = m.plan AND greatest(m.months, 0) >= g.from_month
            LEFT JOIN baseline b ON b.rep = m.rep AND b.acc = m.acc AND b.t = m.t
            LEFT JOIN running u ON u.rep = m.rep AND u.oid = m.oid AND u.t = m.t
        ), frac AS (
            SELECT f.*,
                   CASE rule WHEN 'one' THEN delta WHEN 'zero' THEN 0
                        WHEN 'ramp' THEN delta * ramp
                        ELSE delta * ramp
                             * (greatest(0, s_before + credit - b) - greatest(0, s_before - b)) END
                       AS num,
                   CASE rule WHEN 'one' THEN {d} WHEN 'zero' THEN 1 WHEN 'ramp' THEN {d} * {ramp_den}
                        ELSE {d} * {ramp_den} * credit END AS den
            FROM f
        )
        SELECT rep, oid, credit,
               CAST(sign(num) * sign(den) * ((2 * abs(num) + abs(den)) // (2 * abs(den))) AS BIGINT) AS cents
        FROM frac""",
        # the teams' credit over the period and the same period a year earlier (every rep's shares)
        f"""CREATE OR REPLACE TEMP TABLE team_credit AS
        SELECT rep, sum(CASE WHEN d BETWEEN {ps} AND {pe} THEN amount * frac ELSE 0 END) AS now_amount,
               sum(CASE WHEN d BETWEEN {ps} AND {pe} THEN coalesce(gp, 0) * frac ELSE 0 END) AS now_gp,
               sum(CASE WHEN d BETWEEN {ys} AND {ye} THEN amount * frac ELSE 0 END) AS before_amount,
               sum(CASE WHEN d BETWEEN {ys} AND {ye} THEN coalesce(gp, 0) * frac ELSE 0 END) AS before_gp
        FROM shares WHERE d BETWEEN {ps} AND {pe} OR d BETWEEN {ys} AND {ye} GROUP BY rep""",
        f"""CREATE OR REPLACE TEMP TABLE overrides AS
        WITH RECURSIVE below(manager, rep) AS (
            SELECT r.manager_id, r.id FROM rep r WHERE r.manager_id IS NOT NULL
            UNION SELECT b.manager, r.id FROM below b JOIN rep r ON r.manager_id = b.rep
        ), teams AS (
            SELECT b.manager,
                   sum(CASE WHEN p.gp_base THEN t.now_gp ELSE t.now_amount END) AS t_now,
                   sum(CASE WHEN p.gp_base THEN t.before_gp ELSE t.before_amount END) AS t_before
            FROM below b JOIN rep_plan p ON p.rep = b.manager AND p.override IS NOT NULL
            JOIN team_credit t ON t.rep = b.rep GROUP BY b.manager
        )
        SELECT manager AS rep,
               CAST(((2 * p.override * greatest(0, t_now - t_before)) + {s} * {10**terms.override_e})
               // (2 * {s} * {10**terms.override_e}) AS BIGINT) AS cents
        FROM teams JOIN rep_plan p ON p.rep = teams.manager""",
        "SELECT r.external_id, l.oid, l.credit, l.cents FROM paid_lines l JOIN rep r ON r.id = l.rep",
        f"""SELECT r.external_id, coalesce(l.credit, 0), coalesce(l.cents, 0), coalesce(o.cents, 0)
        FROM rep_plan p JOIN rep r ON r.id = p.rep
        LEFT JOIN (SELECT rep, sum(credit) AS credit, sum(cents) AS cents FROM paid_lines GROUP BY rep) l
            ON l.rep = p.rep
        LEFT JOIN overrides o ON o.rep = p.rep
        WHERE l.rep IS NOT NULL OR ((r.hire_date IS NULL OR r.hire_date <= {pe})
            AND (r.end_date IS NULL OR r.end_date >= {ps}))""",
    ]


def bookwise_run(label: str) -> tuple[dict[str, float], Any]:
    """run_compute once: wall and CPU seconds, and the stored run."""
    from bookwise.commissions.services import run_compute

    server, wall, cpu = server_cpu(), time.perf_counter(), time.process_time()
    run = run_compute(period=label)
    cpu = time.process_time() - cpu + server_cpu() - server
    return {"wall": time.perf_counter() - wall, "cpu": cpu}, run


def bookwise_compute(label: str) -> dict[str, float]:
    """The computation alone (every chunk computed and dropped, nothing stored)."""
    from bookwise.commissions.compute.computation import PeriodComputation

    server, wall, cpu = server_cpu(), time.perf_counter(), time.process_time()
    for _ in PeriodComputation(label).chunks():
        pass
    cpu = time.process_time() - cpu + server_cpu() - server
    return {"wall": time.perf_counter() - wall, "cpu": cpu}


def stored(run, scale: int) -> tuple[dict[str, tuple], set[tuple]]:
    """The stored run as (statements: rep -> (credit units, commission cents, override
    cents), lines: {(rep, order id, credit units, commission cents)})."""
    unit = 100 * scale
    statements, lines = {}, set()
    for st in run.statements.select_related("rep"):
        ref = st.rep.external_id
        credit = int(Decimal(st.data["credit"]) * unit)
        statements[ref] = (credit, int(st.commission * 100), int(st.override * 100))
        for line in st.lines:
            lines.add(
                (ref, line.order_id, int(Decimal(line.credit) * unit), int(Decimal(line.commission) * 100))
            )
    return statements, lines


def yardstick(con, terms: Terms, period, repeat: int) -> tuple[dict[str, float], list, list]:
    """The SQL run `repeat` times (median wall and CPU): (times, lines, statements)."""
    con.execute(f"CREATE OR REPLACE TABLE rep_plan AS SELECT * FROM (VALUES {_values(terms.rows())}) "
                f"v({', '.join(terms.columns())})")  # fmt: skip
    ramp = terms.ramp_rows() or [("", 0, 1)]
    con.execute(
        f"CREATE OR REPLACE TABLE ramp_step AS SELECT * FROM (VALUES {_values(ramp)})"
        " v(plan, from_month, mult)"
    )
    sql = statements_sql(terms, period, period.year_earlier())
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        for statement in sql[:-2]:
            con.execute(statement)
        lines, statements = con.execute(sql[-2]).fetchall(), con.execute(sql[-1]).fetchall()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    import statistics

    return {"wall": statistics.median(walls), "cpu": statistics.median(cpus)}, lines, statements


def _values(rows: list[tuple]) -> str:
    def literal(v: Any) -> str:
        if v is None:
            return "NULL"
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, str):
            return "'" + v.replace("'", "''") + "'"
        return str(v)

    return ", ".join("(" + ", ".join(literal(v) for v in row) + ")" for row in rows)


def compare(ours: tuple[dict, set], statements: list, lines: list) -> list[str]:
    problems = []
    theirs = {ref: (int(c), int(m), int(o)) for ref, c, m, o in statements}
    for ref in sorted(set(ours[0]) | set(theirs)):
        if ours[0].get(ref) != theirs.get(ref):
            problems.append(f"statement {ref}: Bookwise {ours[0].get(ref)}, DuckDB {theirs.get(ref)}")
    duck_lines = {(r, o, int(c), int(m)) for r, o, c, m in lines}
    only_ours, only_theirs = ours[1] - duck_lines, duck_lines - ours[1]
    problems += [f"line only in Bookwise: {x}" for x in sorted(only_ours)[:5]]
    problems += [f"line only in DuckDB: {x}" for x in sorted(only_theirs)[:5]]
    if only_ours or only_theirs:
        problems.append(f"{len(only_ours)} lines only in Bookwise, {len(only_theirs)} only in DuckDB")
    return problems


def run(args) -> dict[str, Any]:
    setup_django(args.database_url)
    from bookwise.accounts.models import OrderLine
    from bookwise.commissions.compute.period import PayPeriod
    from bookwise.commissions.models import Run

    period = PayPeriod.parse(args.period)
    print(f"commissions {period.label}: {OrderLine.objects.count():,} order lines in the database; {load()}")
    terms = Terms(period)
    folder = copy_tables(TABLES, args.cache)  # before the run: the copy is the same data
    compute = None if args.no_compute_only else bookwise_compute(period.label)
    ours, stored_run = bookwise_run(period.label)
    try:
        mine = stored(stored_run, terms.scale)
        totals = (stored_run.commission, stored_run.override)
    finally:
        if not args.keep_run:
            Run.objects.filter(pk=stored_run.pk).delete()
    con = duck(folder, list(TABLES))
    theirs, lines, statements = yardstick(con, terms, period, args.repeat)
    problems = compare(mine, statements, lines)
    return {
        "workload": f"commissions {period.label} ({len(mine[1]):,} statement lines,"
        f" {len(mine[0])} statements)",
        "bookwise": ours,
        "bookwise_compute": compute,
        "yardstick": theirs,
        "yardstick_name": "DuckDB in memory, COMMISSIONS.md in SQL",
        "equal": not problems,
        "problems": problems,
        "totals": [str(t) for t in totals],
        "load": os.getloadavg(),
    }


def _times(label: str, t: dict[str, float]) -> str:
    return f"  {label:<46} wall {t['wall']:.2f} s, CPU {t['cpu']:.2f} s"


def report(result: dict[str, Any]) -> None:
    ours, theirs, compute = result["bookwise"], result["yardstick"], result["bookwise_compute"]
    print(f"  {result['workload']}; total commission {result['totals'][0]}, override {result['totals'][1]}")
    print(_times("Bookwise run_compute (compute + store)", ours))
    if compute:
        print(_times("Bookwise computation alone", compute))
    print(_times("DuckDB in memory, COMMISSIONS.md SQL (median)", theirs))
    print(
        f"  ratio run / DuckDB: CPU {ours['cpu'] / theirs['cpu']:.1f}x,"
        f" wall {ours['wall'] / theirs['wall']:.1f}x"
    )
    if compute:
        print(f"  ratio computation / DuckDB: CPU {compute['cpu'] / theirs['cpu']:.1f}x,"
              f" wall {compute['wall'] / theirs['wall']:.1f}x")  # fmt: skip
    verdict = (
        "identical to the cent" if result["equal"] else "DIFFERENT: " + "; ".join(result["problems"][:12])
    )
    print(f"  every statement and statement line compared: {verdict}")
    print(f"  {load()}")


def main() -> None:
    raw = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=raw)
    parser.add_argument("--database-url", default=os.environ.get("BOOKWISE_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--period", default="2026-Q1")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-compute-only", action="store_true", help="time the stored run only")
    parser.add_argument("--keep-run", action="store_true", help="keep the draft run Bookwise stored")
    parser.add_argument("--cache", default=DEFAULT_CACHE, help="where the Parquet copies are kept")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    result = run(args)
    report(result)
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2, default=str))
    if not result["equal"]:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
