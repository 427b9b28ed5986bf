from django.db import migrations, models


def applied_state(apps, schema_editor):
    plan = apps.get_model("transfers", "ReassignmentPlan")
    plan.objects.filter(applied_at__isnull=False).update(state="applied")


class Migration(migrations.Migration):
    dependencies = [("transfers", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="reassignmentplan",
            name="state",
            field=models.CharField(
                choices=[("draft", "Draft"), ("applied", "Applied"), ("discarded", "Discarded")],
                default="draft",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="reassignmentplan",
            name="bound_scope",
            field=models.CharField(blank=True, help_text="what the bound bounds", max_length=60),
        ),
        migrations.AddField(
            model_name="reassignmentplan", name="balance", field=models.JSONField(blank=True, default=dict)
        ),
        migrations.AddField(
            model_name="reassignmentplan", name="excluded", field=models.JSONField(blank=True, default=list)
        ),
        migrations.RunPython(applied_state, migrations.RunPython.noop),
    ]
