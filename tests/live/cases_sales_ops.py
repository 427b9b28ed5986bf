"""What sales operations get from every write endpoint of the API (docs/web-and-api.md,
Roles): they see the whole book, so a refusal is mostly a 403; they start commission runs
and propose and rework rebalance proposals (planning), and change nothing else.

`SALES_OPS` is keyed like cases.CASES (the same targets are prepared); test_sales_ops.py
checks that it names every write endpoint, so a new endpoint comes with sales ops' answer."""

from __future__ import annotations

ALLOWED = "allowed"  # done, with the case's success status, audited under sales ops

SALES_OPS: dict[tuple[str, str], int | str] = {
    # planning: propose, rework and discard rebalance proposals; never commit them
    ("POST", "/api/rebalance/proposals"): ALLOWED,
    ("DELETE", "/api/rebalance/proposals/{proposal_id}/lines/{account_id}"): ALLOWED,
    ("PUT", "/api/rebalance/proposals/{proposal_id}/lines/{account_id}"): ALLOWED,
    ("POST", "/api/rebalance/proposals/{proposal_id}/discard"): ALLOWED,
    ("POST", "/api/rebalance/proposals/{proposal_id}/commit"): 403,
    ("PUT", "/api/rebalance/pins/{account_id}"): 403,
    ("DELETE", "/api/rebalance/pins/{account_id}"): 403,
    # commissions: start a run; a director or an administrator approves it
    ("POST", "/api/commissions/runs"): ALLOWED,
    ("POST", "/api/commissions/runs/{run_id}/approve"): 403,
    # they see every statement and dispute: told why (the statement's rep disputes, managers resolve)
    ("POST", "/api/commissions/statements/{statement_id}/disputes"): 403,
    ("POST", "/api/commissions/disputes/{dispute_id}/resolve"): 403,
    # the book itself: read, never changed by hand
    ("PUT", "/api/retention/tier-pins/{account_id}"): 403,
    ("DELETE", "/api/retention/tier-pins/{account_id}"): 403,
    ("POST", "/api/retention/lost-reasons/{account_id}"): 403,
    ("POST", "/api/accounts/{account_id}/contacts"): 403,
    ("PUT", "/api/contacts/{contact_id}"): 403,
    ("PUT", "/api/contacts/{contact_id}/relationships/{rep_id}"): 403,
    ("DELETE", "/api/contacts/{contact_id}/relationships/{rep_id}"): 403,
    ("PUT", "/api/reps/{rep_id}/skills"): 403,  # they see every rep: told why (managers rate)
    ("POST", "/api/transfers"): 403,
    ("POST", "/api/transfers/{transfer_id}/handoff"): 403,
    ("PUT", "/api/transfers/{transfer_id}/interview"): 403,
    ("PUT", "/api/transfers/{transfer_id}/interview/contacts"): 403,
    ("POST", "/api/transfers/{transfer_id}/waive"): 403,
    ("POST", "/api/transfers/{transfer_id}/introduce"): 403,
    ("POST", "/api/transfers/{transfer_id}/complete"): 403,
    ("POST", "/api/transfers/{transfer_id}/cancel"): 403,
    ("POST", "/api/transfers/plans"): 403,
    # reassignment plans are their managers' (sales ops see none): the 404 of a plan not visible
    ("PUT", "/api/transfers/plans/{plan_id}/lines/{account_id}"): 404,
    ("DELETE", "/api/transfers/plans/{plan_id}/lines/{account_id}"): 404,
    ("POST", "/api/transfers/plans/{plan_id}/discard"): 404,
    ("POST", "/api/transfers/plans/{plan_id}/apply"): 404,
    ("POST", "/api/accounts/{account_id}/plans"): 403,
    ("POST", "/api/plans/{plan_id}/submit"): 403,
    ("POST", "/api/plans/{plan_id}/approve"): 403,
    ("POST", "/api/plans/{plan_id}/reviews"): 403,
    ("POST", "/api/agreements"): 403,
    ("PATCH", "/api/agreements/{agreement_id}"): 403,
    ("PUT", "/api/goals/{period}/{figure}"): 403,
    ("POST", "/api/goals/{period}/{figure}/split"): 403,
    ("POST", "/api/days-off"): 403,
    ("DELETE", "/api/days-off/{day_id}"): 403,
}
