from django.db import migrations, models

REASON = (
    "Rejected by migration commissions 0004: a second open dispute of the same statement line "
    "(left by two at once); the earliest one stays open."
)


def reject_duplicates(apps, schema_editor):
    """Keep the earliest open dispute per statement line; reject the others (saying why), so
    that the unique index can be built."""
    dispute = apps.get_model("commissions", "Dispute")
    kept: set[tuple[int, str]] = set()
    rows = dispute.objects.filter(status="open").order_by("created_at", "id")
    for pk, statement_id, order_id in rows.values_list("pk", "statement_id", "order_id"):
        if (statement_id, order_id) in kept:
            dispute.objects.filter(pk=pk).update(status="rejected", resolution=REASON)
        else:
            kept.add((statement_id, order_id))


class Migration(migrations.Migration):
    dependencies = [("commissions", "0003_statement_lines_blob")]

    operations = [
        migrations.RunPython(reject_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="dispute",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "open")),
                fields=("statement", "order_id"),
                name="commission_dispute_one_open_per_line",
            ),
        ),
    ]
