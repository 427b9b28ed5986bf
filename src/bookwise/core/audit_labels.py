"""The audit trail's actions as people read them ("people.rep.change" -> "Rep changed"): a
label for each action the services record, and one made from the model's name for the
admin's `<app>.<model>.add|change|delete`. The raw name stays what entries store and what
the audit page filters on."""

from __future__ import annotations

from django.apps import apps

ACTION_LABELS = {
    "account.lost_reason": "Account marked lost",
    "api_token.create": "API token created",
    "commissions.dispute.open": "Commission dispute opened",
    "commissions.dispute.resolve": "Commission dispute resolved",
    "commissions.plan.version": "Commission plan version saved",
    "commissions.quota.set": "Quota set",
    "commissions.rebate.set": "Rebate programme set",
    "commissions.run.approve": "Commission run approved and frozen",
    "commissions.run.compute": "Commission run computed",
    "goal.set": "Company goal set",
    "goal.split": "Goal split among its parts",
    "imports.mapping.save": "Import mapping saved",
    "ownership.assign": "Owner assigned",
    "ownership.end": "Ownership ended",
    "ownership.import": "Ownership imported",
    "people.login.change": "Login renamed",
    "people.login.create": "Login created",
    "people.rep.import": "Rep changed by an import",
    "people.rep.manager": "Manager changed",
    "plan.apply": "Reassignment plan applied",
    "plan.approve": "Account plan approved",
    "plan.archive": "Account plan archived",
    "plan.create": "Plan created",
    "plan.discard": "Reassignment plan discarded",
    "plan.edit": "Reassignment plan line reassigned",
    "plan.mark": "Account marked as needing a plan",
    "plan.remove_line": "Reassignment plan line removed",
    "plan.return": "Account plan returned to draft",
    "plan.review": "Account plan reviewed",
    "plan.submit": "Account plan submitted",
    "plan.unmark": "Needs-a-plan mark removed",
    "plan.update": "Account plan edited",
    "plan_template.save": "Plan template saved",
    "team.assessment_recorded": "Competency assessment recorded",
    "team.development_action_completed": "Development action completed",
    "team.development_action_created": "Development action created",
    "team.timesheet_saved": "Time sheet saved",
    "tier.pin": "Tier pinned",
    "tier.unpin": "Tier pin removed",
    "transfer.backdate": "Back-dated transfer confirmed",
    "transfer.cancel": "Transfer cancelled",
    "transfer.co_coverage_end": "Co-coverage ended",
    "transfer.complete": "Transfer completed",
    "transfer.create": "Transfer drafted",
    "transfer.handoff": "Handoff interview started",
    "transfer.interview": "Handoff interview saved",
    "transfer.introduce": "Client introduction recorded",
    "transfer.waive": "Handoff interview waived",
}
ADMIN_VERBS = {"add": "added", "change": "changed", "delete": "deleted"}


def action_label(action: str) -> str:
    """The action's label; an admin step by its model's name ("Rep changed"); else the
    action's words."""
    if action in ACTION_LABELS:
        return ACTION_LABELS[action]
    parts = action.split(".")
    if len(parts) == 3 and parts[2] in ADMIN_VERBS:
        try:
            name = str(apps.get_model(parts[0], parts[1])._meta.verbose_name)
        except LookupError:
            name = parts[1]
        return f"{name[:1].upper()}{name[1:]} {ADMIN_VERBS[parts[2]]}"
    words = action.replace(".", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def actions_matching(text: str, actions: list[str]) -> list[str]:
    """The actions whose label contains `text` (any case): the audit filter takes a label too."""
    needle = text.strip().lower()
    return [a for a in actions if needle and needle in action_label(a).lower()]
