"""The team rollup goes sparse: rows only for months with lines, the 12-month sums taken when
read. The rollup's state row is removed, so the first read rebuilds it in the new layout."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_leaner_orderline_indexes'),
        ('people', '0001_initial'),
        ('team', '0005_non_working_days'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='linemonth',
            name='team_linemonth_t12',
        ),
        migrations.RemoveField(
            model_name='linemonth',
            name='t12_gross_profit',
        ),
        migrations.RemoveField(
            model_name='linemonth',
            name='t12_lines',
        ),
        migrations.RemoveField(
            model_name='linemonth',
            name='t12_revenue',
        ),
        migrations.AddIndex(
            model_name='linemonth',
            index=models.Index(fields=['month', 'account', 'rep', 'revenue', 'gross_profit', 'lines'], name='team_linemonth_month_sums'),
        ),
        migrations.RunSQL("DELETE FROM team_linerollupstate", reverse_sql=migrations.RunSQL.noop),
    ]
