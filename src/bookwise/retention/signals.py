"""Signals of the retention app."""

from django.dispatch import Signal

# Sent after the monthly revenue rollup was refreshed, inside the same transaction, with
# `account_ids`: the accounts whose order lines changed (a receiver rebuilds everything when
# that is the cheaper way: accounts.line_rollups.rebuilds_whole), or None for everything.
# Other apps keep their own rollups of the order lines in step by listening to it.
revenue_rollup_refreshed = Signal()

# Sent when a large import left the rollup outdated, for the queued rebuild (inside the
# import's transaction, no arguments): other apps mark their own rollups of the order lines
# outdated too (`services.revenue_rollup_after_import`).
revenue_rollup_outdated = Signal()
