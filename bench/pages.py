"""Time the accounts list and account detail pages on a benchmark book (read-only).

    python bench/pages.py --database-url sqlite:////work/bench-data/book_50k_5m.sqlite3
    python bench/pages.py --database-url postgresql://postgres@127.0.0.1:5432/bench_shared

Requests go through django.test.Client (the whole stack: middleware, auth, permission
scoping, templates) as the admin and as a rep, `--requests` timed requests per scenario
after `--warmup` untimed ones; prints p50/p95/max in milliseconds as a Markdown table.
Nothing is written to the database: sessions are signed cookies and last_login is not
updated.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup(url: str) -> None:
    os.environ["BOOKWISE_DATABASE_URL"] = url
    os.environ["BOOKWISE_DEBUG"] = "False"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bookwise.config.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django
    from django.conf import settings

    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
    django.setup()
    from django.contrib.auth import user_logged_in
    from django.contrib.auth.models import update_last_login

    user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")


def client_for(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def subjects() -> dict:
    """The admin, a rep with a typical-to-large book, and accounts to open: the one with the
    most order lines, a median one, and the rep's biggest."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from bookwise.accounts.models import OrderLine, Ownership
    from bookwise.accounts.selectors import current_q, today
    from bookwise.people.models import Rep

    admin = get_user_model().objects.filter(is_superuser=True).order_by("id").first()
    held = (
        Ownership.objects.filter(current_q(today()), role="primary", rep__user__isnull=False)
        .values("rep_id")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    rep = Rep.objects.select_related("user").get(pk=held[0]["rep_id"])
    counts = list(
        OrderLine.objects.order_by()
        .values("account_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("account_id", "n")
    )
    from bookwise.accounts.models import Account

    biggest, median = counts[0], counts[len(counts) // 2]
    own_pks = Ownership.objects.filter(current_q(today()), rep=rep, role="primary").values("account_id")
    rep_big = next(pk for pk, _ in counts if pk in {o["account_id"] for o in own_pks})
    ext = dict(
        Account.objects.filter(pk__in=[biggest[0], median[0], rep_big]).values_list("pk", "external_id")
    )
    return {
        "admin": admin,
        "rep": rep,
        "biggest": (ext[biggest[0]], biggest[1]),
        "median": (ext[median[0]], median[1]),
        "rep_biggest": ext[rep_big],
    }


def scenarios(s: dict) -> list[tuple[str, str, str]]:
    """(who, label, url)"""
    from bookwise.people.models import Territory

    territory = Territory.objects.order_by("name").values_list("name", flat=True).first() or ""
    big, big_n = s["biggest"]
    mid, mid_n = s["median"]
    return [
        ("admin", "list, default sort", "/accounts/"),
        ("admin", "list, sort -potential, page 200", "/accounts/?sort=-potential&page=200"),
        ("admin", "list, territory + active", f"/accounts/?territory={territory}&status=active"),
        ("admin", "list, search 'retail'", "/accounts/?q=retail"),
        ("admin", "list, tier A", "/accounts/?tier=A"),
        ("admin", f"detail, biggest account ({big_n:,} lines)", f"/accounts/{big}/"),
        ("admin", f"detail, median account ({mid_n:,} lines)", f"/accounts/{mid}/"),
        ("admin", "detail, biggest, order lines page 20", f"/accounts/{big}/?page=20"),
        ("rep", "list, default sort", "/accounts/"),
        ("rep", "list, sort -potential", "/accounts/?sort=-potential"),
        ("rep", "detail, own biggest account", f"/accounts/{s['rep_biggest']}/"),
    ]


def measure(client, url: str, requests: int, warmup: int) -> list[float]:
    for _ in range(warmup):
        assert client.get(url).status_code == 200, url
    timings = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, url
    return timings


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BOOKWISE_DATABASE_URL"), required=False)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--only", default="", help="run scenarios whose label contains this text")
    args = parser.parse_args()
    if not args.database_url:
        parser.error("--database-url (or BOOKWISE_DATABASE_URL) is required")
    setup(args.database_url)
    s = subjects()
    clients = {"admin": client_for(s["admin"]), "rep": client_for(s["rep"].user)}
    print(f"database: {args.database_url}; rep: {s['rep'].external_id}; {args.requests} requests each\n")
    print("| who | scenario | p50 ms | p95 ms | max ms |")
    print("|---|---|---:|---:|---:|")
    for who, label, url in scenarios(s):
        if args.only and args.only not in f"{who} {label}":
            continue
        t = measure(clients[who], url, args.requests, args.warmup)
        p50, p95 = statistics.median(t), percentile(t, 0.95)
        print(f"| {who} | {label} | {p50:.0f} | {p95:.0f} | {max(t):.0f} |", flush=True)


if __name__ == "__main__":
    main()
