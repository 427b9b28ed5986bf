"""Signals of the retention app."""

from django.dispatch import Signal

# Sent after the monthly revenue rollup was refreshed, inside the same transaction, with
# `account_ids`: the accounts whose order lines changed, or None when everything was rebuilt.
# Other apps keep their own rollups of the order lines in step by listening to it.
revenue_rollup_refreshed = Signal()
