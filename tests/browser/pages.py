"""What a person does on more than one page: sign in and out, read the flash message,
open an account from the list, post a form the page does not offer (to prove a refusal)."""

from __future__ import annotations

from re import Pattern

from playwright.sync_api import APIResponse, Locator, Page, expect

from bookwise.demo.builder import DEMO_PASSWORD


def sign_in(page: Page, username: str, then: str = "/accounts/", password: str = DEMO_PASSWORD) -> None:
    """Sign in through the real form, as a person would, coming from the page `then` (where
    the sign-in leads). Not the dashboard by default: it is the slowest page to render."""
    page.goto(f"/login/?next={then}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    assert page.url.endswith(then), page.url


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()


def switch_user(page: Page, username: str, then: str = "/accounts/") -> None:
    sign_out(page)
    sign_in(page, username, then)


def nav(page: Page, label: str) -> None:
    """Click an entry of the top navigation."""
    page.get_by_role("banner").get_by_role("link", name=label, exact=True).click()


def messages(page: Page) -> str:
    """The flash messages shown at the top of the page (one line each), once there are some."""
    expect(page.locator("ul.messages li").first).to_be_visible()
    return "\n".join(page.locator("ul.messages li").all_inner_texts())


def expect_message(page: Page, text: str | Pattern[str]) -> None:
    """Wait for a flash message that contains `text` (or matches the pattern)."""
    expect(page.locator("ul.messages li").filter(has_text=text)).to_have_count(1)


def open_account(page: Page, account_id: str) -> None:
    """Accounts in the navigation, search for the account id, click its name."""
    nav(page, "Accounts")
    page.get_by_label("Search").fill(account_id)
    page.get_by_role("button", name="Filter").click()
    page.get_by_role("link", name=account_id, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(account_id)


def post_as_page(page: Page, path: str, data: dict[str, str] | None = None) -> APIResponse:
    """POST with the page's session and CSRF cookie, as a crafted form would: for proving that
    the server refuses what the page does not offer to this user."""
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    return page.request.post(path, form={"csrfmiddlewaretoken": token, **(data or {})}, max_redirects=0)


def fact_value(page: Page, label: str) -> Locator:
    """The value next to a label in a facts list (<dt>label</dt><dd>value</dd>)."""
    term = page.locator("dl.facts dt").filter(has_text=label).first
    return term.locator("xpath=following-sibling::dd[1]")


def fact(page: Page, label: str) -> str:
    return fact_value(page, label).inner_text()


def expect_fact(page: Page, label: str, value: str) -> None:
    """Wait until the fact shows `value` (the page may still be loading after a click)."""
    expect(fact_value(page, label)).to_have_text(value)
