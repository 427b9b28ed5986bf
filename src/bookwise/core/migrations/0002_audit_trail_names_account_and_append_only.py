"""The audit trail keeps names (who, which object, which account) as they were, and is
append-only: besides the model and the admin, the database refuses to change an entry
(PostgreSQL and SQLite) or delete one (PostgreSQL; TRUNCATE, which `flush` and the demo's
--rebuild use, still empties the table). Only `actor` may still be set to NULL, when its
user is deleted; `actor_name` keeps who it was."""

import django.core.serializers.json
from django.db import migrations, models

CONTENT = "at, action, object_type, object_id, data, actor_name, via, object_label, account_ref, account_label"

POSTGRES = [
    """CREATE OR REPLACE FUNCTION core_auditentry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'audit entries cannot be changed or deleted';
    END $$""",
    f"""CREATE TRIGGER core_auditentry_no_update BEFORE UPDATE OF {CONTENT} ON core_auditentry
    FOR EACH ROW EXECUTE FUNCTION core_auditentry_append_only()""",
    """CREATE TRIGGER core_auditentry_no_delete BEFORE DELETE ON core_auditentry
    FOR EACH ROW EXECUTE FUNCTION core_auditentry_append_only()""",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS core_auditentry_no_update ON core_auditentry",
    "DROP TRIGGER IF EXISTS core_auditentry_no_delete ON core_auditentry",
    "DROP FUNCTION IF EXISTS core_auditentry_append_only()",
]
SQLITE = [
    f"""CREATE TRIGGER core_auditentry_no_update BEFORE UPDATE OF {CONTENT} ON core_auditentry
    BEGIN
        SELECT RAISE(ABORT, 'audit entries cannot be changed');
    END""",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS core_auditentry_no_update"]


def guard(apps, schema_editor):
    statements = {"postgresql": POSTGRES, "sqlite": SQLITE}.get(schema_editor.connection.vendor, [])
    for sql in statements:
        schema_editor.execute(sql, params=None)


def unguard(apps, schema_editor):
    statements = {"postgresql": POSTGRES_DROP, "sqlite": SQLITE_DROP}.get(schema_editor.connection.vendor, [])
    for sql in statements:
        schema_editor.execute(sql, params=None)


def backfill(apps, schema_editor):
    """Names for the entries written before: the actor's username, the account's label."""
    entry_model = apps.get_model("core", "AuditEntry")
    connection = schema_editor.connection
    labels = {}
    if "accounts_account" in connection.introspection.table_names():
        with connection.cursor() as cursor:
            cursor.execute("SELECT id, external_id, name FROM accounts_account")
            labels = {str(pk): f"{ext} {name}" for pk, ext, name in cursor.fetchall()}
    changed = []
    for entry in entry_model.objects.select_related("actor").iterator(chunk_size=2000):
        entry.actor_name = entry.actor.username if entry.actor_id else ""
        if entry.object_type == "accounts.account" and entry.object_id in labels:
            entry.account_ref = int(entry.object_id)
            entry.account_label = labels[entry.object_id][:200]
        changed.append(entry)
    entry_model.objects.bulk_update(changed, ["actor_name", "account_ref", "account_label"], batch_size=2000)


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='auditentry',
            name='account_label',
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddField(
            model_name='auditentry',
            name='account_ref',
            field=models.BigIntegerField(blank=True, db_index=True, help_text="the account's id", null=True),
        ),
        migrations.AddField(
            model_name='auditentry',
            name='actor_name',
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddField(
            model_name='auditentry',
            name='object_label',
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddField(
            model_name='auditentry',
            name='via',
            field=models.CharField(choices=[('web', 'web page'), ('api', 'API'), ('admin', 'admin'), ('command', 'command line'), ('system', 'system')], default='system', max_length=10),
        ),
        migrations.AlterField(
            model_name='auditentry',
            name='action',
            field=models.CharField(db_index=True, max_length=80),
        ),
        migrations.AlterField(
            model_name='auditentry',
            name='data',
            field=models.JSONField(blank=True, default=dict, encoder=django.core.serializers.json.DjangoJSONEncoder),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunPython(guard, unguard),
    ]
