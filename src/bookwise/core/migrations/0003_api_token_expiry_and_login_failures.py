from datetime import timedelta

import django.utils.timezone
from django.db import migrations, models


def expire_old_tokens_in_90_days(apps, schema_editor):
    """Tokens made before expiry existed get 90 days from their creation (at least a week
    from now, so no script stops working the moment this is deployed)."""
    ApiToken = apps.get_model("core", "ApiToken")
    floor = django.utils.timezone.now() + timedelta(days=7)
    for token in ApiToken.objects.all():
        token.expires_at = max(token.created_at + timedelta(days=90), floor)
        token.save(update_fields=["expires_at"])


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0002_audit_trail_names_account_and_append_only"),
    ]

    operations = [
        migrations.CreateModel(
            name="LoginFailure",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("username", models.CharField(db_index=True, help_text="as typed, lower-cased", max_length=150)),
                ("address", models.CharField(blank=True, db_index=True, max_length=64)),
                ("at", models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
            ],
        ),
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True, help_text="the token is refused from this moment on"),
        ),
        migrations.RunPython(expire_old_tokens_in_90_days, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(help_text="the token is refused from this moment on"),
        ),
    ]
