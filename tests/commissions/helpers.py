"""Plan files for the commissions tests (the YAML of COMMISSIONS.md, with knobs)."""

from bookwise.commissions.services import plan_file_load

AM_PLAN = """\
plans:
  - name: AM 2026
    roles: [account_manager, hunter]
    valid_from: 2026-01-01
    valid_to: 2026-12-31
    period: quarter
    base: {base}
    quota: 100000
    tiers:
      - {{from: 0.0, rate: 0.05}}
      - {{from: 1.0, rate: 0.08}}
{rule}    co_coverage_split: 0.2
  - name: Managers 2026
    roles: [sales_manager]
    valid_from: 2026-01-01
    valid_to: 2026-12-31
    period: quarter
    override: {{rate: 0.02, basis: team_growth}}
"""

RULE = """\
    transfer_rule:
      horizon_months: 12
      delay_months: 1
      new_orders_only: false
      threshold: prior_12_months
      ramp:
        - {from_month: 0, multiplier: 0.5}
        - {from_month: 6, multiplier: 1.0}
"""


def load_plans(base: str = "amount", rule: bool = False, extra: str = "") -> None:
    text = AM_PLAN.format(base=base, rule=RULE if rule else "") + extra
    plan_file_load(text=text, filename="plans.yaml")
