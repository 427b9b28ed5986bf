"""Each demo role sees only the pages it may open: every link in the navigation, on the home
page and in the section menus of the pages the navigation leads to answers (no 403, 404 or
500), and the sections a role may not open are not offered."""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from bookwise.people.models import Rep
from tests import snapshots

TODAY = date(2026, 3, 31)
BROKEN = (403, 404, 500)


@pytest.fixture(scope="module")
def demo_company(django_db_setup, django_db_blocker):
    with snapshots.demo_for_a_module(TODAY, 0.05, django_db_blocker):
        yield


class Links(HTMLParser):
    """The hrefs of a page: those in <nav> and those outside tables (menus, buttons, KPIs)."""

    def __init__(self) -> None:
        super().__init__()
        self.nav: list[str] = []
        self.outside_tables: list[str] = []
        self._nav = self._table = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "nav":
            self._nav += 1
        elif tag == "table":
            self._table += 1
        elif tag == "a":
            href = dict(attrs).get("href") or ""
            if href.startswith("/"):
                (self.nav if self._nav else self.outside_tables).append(href)
                if self._nav == 0 and self._table:
                    self.outside_tables.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav":
            self._nav -= 1
        elif tag == "table":
            self._table -= 1


def links_of(html: str) -> Links:
    parser = Links()
    parser.feed(html)
    return parser


def top_nav(html: str) -> list[str]:
    header = html.split('<header class="topbar">', 1)[1].split("</header>", 1)[0]
    return links_of(header).nav


def client_for(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def walk(client: Client) -> dict[str, int]:
    """Open the home page, every link of its navigation and body, and the menus (links
    outside tables) of each page the top navigation leads to; url -> status."""
    home = client.get("/").content.decode()
    seen: dict[str, int] = {"/": 200}
    first = links_of(home)
    queue = list(dict.fromkeys(first.nav + first.outside_tables))
    sections = set(top_nav(home))
    while queue:
        url = queue.pop(0)
        if url in seen or url.startswith(("/admin/", "/logout/", "/static/")):
            continue
        response = client.get(url)
        seen[url] = response.status_code
        if url in sections and response.status_code == 200 and "html" in response.get("Content-Type", ""):
            page = links_of(response.content.decode())
            queue += [u for u in page.nav + page.outside_tables if urlsplit(u).path != urlsplit(url).path]
    return seen


def the_rep(role: str) -> str:
    rep = Rep.objects.filter(role=role, end_date__isnull=True, user__isnull=False).order_by("external_id")
    return rep.first().user.username


@pytest.mark.parametrize(
    "who",
    ["admin", "ops1", "dir1", "sm1", "account_manager", "hunter", "r12"],
)
def test_no_link_a_role_is_shown_leads_to_a_refusal_or_an_error(demo_company, db, who):
    username = the_rep(who) if who in ("account_manager", "hunter") else who
    statuses = walk(client_for(username))
    broken = {url: status for url, status in statuses.items() if status in BROKEN}
    assert broken == {}, f"{username} is offered links that fail: {broken}"
    assert len(statuses) > 10  # the walk really went through the sections


def test_only_administrators_are_offered_the_import_page(demo_company, db):
    assert "/imports/" in top_nav(client_for("admin").get("/").content.decode())
    for username in ("dir1", "sm1", the_rep("account_manager")):
        nav = top_nav(client_for(username).get("/").content.decode())
        assert "/imports/" not in nav
        assert client_for(username).get("/imports/").status_code in (302, 403, 404)


def active_sections(html: str) -> list[str]:
    header = html.split('<header class="topbar">', 1)[1].split("</header>", 1)[0]
    return re.findall(r'<a href="([^"]+)" class="active"', header)


def test_the_current_section_and_only_it_is_marked_in_the_navigation(demo_company, db):
    client = client_for("dir1")
    assert active_sections(client.get("/accounts/").content.decode()) == ["/accounts/"]
    assert active_sections(client.get("/").content.decode()) == ["/"]
    # a mass-reassignment plan lives under Transfers: not Plans as well
    assert active_sections(client.get("/transfers/plans/new/R12/").content.decode()) == ["/transfers/"]
