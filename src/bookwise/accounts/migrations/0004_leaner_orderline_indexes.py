"""Order lines keep four secondary indexes instead of seven (eight on PostgreSQL): the
single-column indexes of the two foreign keys and (account, order_date) are served by the
composite ones, nothing searches order ids with LIKE, and each index costs time on every
million-line import.

Only indexes are dropped (no table rebuild on SQLite, which would also lose the covering
index of migration 0003): the model state changes through SeparateDatabaseAndState."""

import django.db.models.deletion
from django.db import migrations, models

FK_COLUMNS = ("account_id", "rep_id")


def drop_fk_indexes(apps, schema_editor):
    table = apps.get_model("accounts", "OrderLine")._meta.db_table
    for column in FK_COLUMNS:
        name = schema_editor._create_index_name(table, [column], suffix="")
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")
    if schema_editor.connection.vendor == "postgresql":  # LIKE searches on order ids: none
        like = schema_editor._create_index_name(table, ["external_id"], suffix="_like")
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(like)}")


def create_fk_indexes(apps, schema_editor):
    table = apps.get_model("accounts", "OrderLine")._meta.db_table
    for column in FK_COLUMNS:
        name = schema_editor._create_index_name(table, [column], suffix="")
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {schema_editor.quote_name(name)} ON {table} ({column})"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_account_list_indexes"),
        ("people", "0001_initial"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="orderline", name="accounts_or_account_8d914b_idx"),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="orderline",
                    name="account",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="order_lines",
                        to="accounts.account",
                    ),
                ),
                migrations.AlterField(
                    model_name="orderline",
                    name="rep",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        help_text="Rep credited; empty = the primary owner on the order date",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="credited_lines",
                        to="people.rep",
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(drop_fk_indexes, create_fk_indexes)],
        ),
    ]
