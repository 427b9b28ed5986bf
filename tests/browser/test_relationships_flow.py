"""Relationships in the browser: the account page's relationship map (add a contact, record
who knows them, the coverage and the single-threaded flag move) and the handoff interview's
contact step (completion refused while a decision maker has no answer; a waiver needs a
reason; the introduction records who met the new rep and the account's coverage follows)."""

from __future__ import annotations

import re

from django.utils import timezone
from playwright.sync_api import Page, expect

from bookwise.contacts.models import Contact, Relationship
from bookwise.people.models import Rep
from bookwise.transfers import services
from bookwise.transfers.models import Transfer

from .pages import expect_fact, expect_message, open_account
from .test_transfer_flow import rep_account


def contacts_card(page: Page):
    return page.locator("#contacts")


def test_account_page_relationship_map(login, users) -> None:
    page = login("manager")
    account = rep_account(users["rep"])
    owner = Rep.objects.get(user__username=users["rep"])
    Relationship.objects.filter(contact__account=account).exclude(rep=owner).delete()  # one thread only
    open_account(page, account.external_id)
    card = contacts_card(page)
    expect(card.get_by_role("heading", name="Contacts and relationships")).to_be_visible()
    expect(card.get_by_text("Single-threaded")).to_be_visible()

    card.get_by_text("Add a contact").click()
    card.get_by_label("Name").last.fill("Priya Raman")
    card.get_by_label("Title").last.fill("Chief financial officer")
    card.get_by_label("Role in buying").last.select_option(label="Decision maker")
    card.get_by_label("Email").last.fill("priya@example.com")
    card.get_by_role("button", name="Add contact").click()
    expect_message(page, "Contact Priya Raman added.")
    row = contacts_card(page).locator("tr").filter(has_text="Priya Raman")
    expect(row).to_contain_text("Decision maker")
    expect(row).to_contain_text("nobody")
    expect(contacts_card(page).locator("p.coverage")).to_contain_text("Coverage: 50")  # 1 of 2 covered
    expect(contacts_card(page).get_by_text("Single-threaded")).to_be_visible()

    manager = Rep.objects.get(user__username=users["manager"])
    card = contacts_card(page)
    card.get_by_text("Record who knows a contact").click()
    card.get_by_label("Contact").select_option(label="Priya Raman")
    card.get_by_label(re.compile("^Rep:?$")).select_option(value=manager.external_id)
    card.get_by_label("How well").select_option(label="Regular")
    card.get_by_role("button", name="Record relationship").click()
    expect_message(page, f"Recorded: {manager.name} knows Priya Raman.")
    expect(contacts_card(page).locator("tr").filter(has_text="Priya Raman")).to_contain_text(
        f"{manager.name}: Regular"
    )
    expect(contacts_card(page).locator("p.coverage")).to_contain_text("Coverage: 100")
    expect(contacts_card(page).get_by_text("Single-threaded")).to_have_count(0)

    # a nonsense e-mail is refused in words and changes nothing
    card = contacts_card(page)
    card.get_by_text("Add a contact").click()
    card.get_by_label("Name").last.fill("Tom Lee")
    card.get_by_label("Role in buying").last.select_option(label="User")
    card.get_by_label("Email").last.fill("tom at example")
    card.get_by_role("button", name="Add contact").click()
    expect_message(page, re.compile("^Email: 'tom at example' is not an email address"))
    assert not Contact.objects.filter(name="Tom Lee").exists()


def test_handoff_contact_step_blocks_completion_until_answered(login, users) -> None:
    page = login("manager")
    account = rep_account(users["rep"])
    jane = Contact.objects.filter(account=account, buying_role="decision_maker").first()
    assert jane is not None
    manager = Rep.objects.get(user__username=users["manager"]).user
    recipients = Rep.objects.filter(manager__user=manager, role="account_manager", end_date__isnull=True)
    to_rep = recipients.exclude(user__username=users["rep"]).order_by("external_id").first()
    transfer = services.transfer_create(account=account, to_rep=to_rep, effective_date=timezone.localdate(),
                                        reason="rebalance", actor=manager, capacity_checked=True)  # fmt: skip
    page.goto(f"/transfers/{transfer.pk}/")
    page.get_by_role("button", name="Start handoff interview").click()
    expect_fact(page, "State", "Handoff interview")
    step = page.locator("#interview-contacts")
    expect(step.locator("tr").filter(has_text=jane.name)).to_contain_text("key: answer required")
    expect(page.locator("#unanswered-contacts")).to_contain_text(jane.name)
    key_contacts = page.get_by_label("Key contacts and relationships")
    expect(key_contacts).to_have_value(re.compile(re.escape(jane.name)))  # pre-filled

    # fill the interview, record the introduction without ticking anyone, try to complete
    form = page.locator("form").filter(has=page.get_by_role("button", name="Save interview"))
    for label in ("Upcoming opportunities", "Ongoing obstacles", "How past obstacles were handled"):
        form.get_by_label(label).fill("Written during the handoff with the outgoing rep.")
    form.get_by_role("button", name="Save interview").click()
    expect_message(page, "Interview saved.")
    introduce = page.locator("#introduce-form")
    introduce.get_by_label("Meeting date").fill(timezone.localdate().isoformat())
    introduce.get_by_role("button", name="Record introduction").click()
    expect_fact(page, "State", "Client introduced")
    page.get_by_label("I confirm: write the new ownership from the effective date").check()
    page.get_by_role("button", name="Complete transfer").click()
    expect_message(
        page, re.compile(f"Key contacts without an answer on introduction: .*{re.escape(jane.name)}")
    )
    expect_fact(page, "State", "Client introduced")

    # a waiver without a reason is refused; with one it is an answer, and completion goes through
    step = page.locator("#interview-contacts")
    step.get_by_label(f"Introduced to {jane.name}").select_option(label="Waived, with a reason")
    step.get_by_role("button", name="Save introductions").click()
    expect_message(page, re.compile(f"Waiver reason for {re.escape(jane.name)}: an answer is required"))
    step = page.locator("#interview-contacts")
    step.get_by_label(f"Introduced to {jane.name}").select_option(label="Waived, with a reason")
    step.get_by_label(f"Waiver reason for {jane.name}").fill("She retires at the end of the month.")
    step.get_by_role("button", name="Save introductions").click()
    expect_message(page, "Introductions to the key contacts saved.")
    expect(page.locator("#unanswered-contacts")).to_have_count(0)
    page.get_by_label("I confirm: write the new ownership from the effective date").check()
    page.get_by_role("button", name="Complete transfer").click()
    expect_message(page, "Transfer completed: the new ownership is written.")
    assert Transfer.objects.get(pk=transfer.pk).state == "completed"


def test_the_introduction_records_who_met_the_new_rep(login, users) -> None:
    page = login("manager")
    account = rep_account(users["rep"])
    owner = Rep.objects.get(user__username=users["rep"])
    Relationship.objects.filter(contact__account=account).exclude(rep=owner).delete()
    jane = Contact.objects.filter(account=account, buying_role="decision_maker").first()
    manager = Rep.objects.get(user__username=users["manager"]).user
    to_rep = (Rep.objects.filter(manager__user=manager, role="account_manager", end_date__isnull=True)
              .exclude(pk=owner.pk).order_by("external_id").first())  # fmt: skip
    transfer = services.transfer_create(account=account, to_rep=to_rep, effective_date=timezone.localdate(),
                                        reason="rebalance", actor=manager, capacity_checked=True)  # fmt: skip
    services.transfer_start_handoff(transfer=transfer, actor=manager)
    services.transfer_waive_interview(
        transfer=transfer, actor=manager, reason="The outgoing rep is on leave."
    )
    open_account(page, account.external_id)
    expect(contacts_card(page).get_by_text("Single-threaded")).to_be_visible()

    page.goto(f"/transfers/{transfer.pk}/")
    introduce = page.locator("#introduce-form")
    introduce.get_by_label("Meeting date").fill(timezone.localdate().isoformat())
    introduce.get_by_label(jane.name).check()
    introduce.get_by_role("button", name="Record introduction").click()
    expect_fact(page, "State", "Client introduced")
    expect(page.locator("#interview-contacts tr").filter(has_text=jane.name)).to_contain_text("Introduced")

    open_account(page, account.external_id)
    row = contacts_card(page).locator("tr").filter(has_text=jane.name)
    expect(row).to_contain_text(f"{to_rep.name}: Met")
    expect(row).to_contain_text("met at a handoff")
    expect(contacts_card(page).get_by_text("Single-threaded")).to_have_count(0)
