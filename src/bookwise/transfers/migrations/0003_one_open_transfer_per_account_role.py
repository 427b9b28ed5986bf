from django.db import migrations, models

OPEN = ["draft", "handoff", "introduced"]
REASON = (
    "Cancelled by migration transfers 0003: a second open transfer of the same account and role "
    "(left by two drafts at once); the earliest one stays open."
)


def cancel_duplicates(apps, schema_editor):
    """Keep the earliest open transfer per account and role; cancel the others (saying why),
    so that the unique index can be built on a database the race left inconsistent."""
    transfer = apps.get_model("transfers", "Transfer")
    kept: set[tuple[int, str]] = set()
    for pk, account_id, role in transfer.objects.filter(state__in=OPEN).order_by("created_at", "id").values_list(
        "pk", "account_id", "role"
    ):
        if (account_id, role) in kept:
            transfer.objects.filter(pk=pk).update(state="cancelled", cancel_reason=REASON)
        else:
            kept.add((account_id, role))


class Migration(migrations.Migration):
    dependencies = [("transfers", "0002_plan_state_balance_and_left_out_accounts")]

    operations = [
        migrations.RunPython(cancel_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="transfer",
            constraint=models.UniqueConstraint(
                condition=models.Q(("state__in", ["draft", "handoff", "introduced"])),
                fields=("account", "role"),
                name="transfer_one_open_per_account_role",
            ),
        ),
    ]
