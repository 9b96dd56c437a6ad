# A collection round names the case it serves instead of a task id taken from a request: the
# engine finds the task of that case itself (kinerja.core.actions.done).

from django.db import migrations, models


def task_to_case(apps, schema_editor):
    """Each round that kept a task id gets that task's case (read with SQL: this layer does not
    know the cases app's models)."""
    connection = schema_editor.connection
    if "cases_task" not in connection.introspection.table_names():
        return
    CollectionRound = apps.get_model("performance", "CollectionRound")
    with connection.cursor() as cursor:
        for found in CollectionRound.objects.exclude(task_id=None):
            cursor.execute("SELECT case_id FROM cases_task WHERE id = %s", [found.task_id])
            row = cursor.fetchone()
            if row:
                CollectionRound.objects.filter(pk=found.pk).update(case_id=row[0])


class Migration(migrations.Migration):
    dependencies = [
        ("performance", "0003_plan_strategic_issues"),
    ]

    operations = [
        migrations.AddField(
            model_name="collectionround",
            name="case_id",
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name="case"),
        ),
        migrations.AddField(
            model_name="historicalcollectionround",
            name="case_id",
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name="case"),
        ),
        migrations.RunPython(task_to_case, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="collectionround",
            name="task_id",
        ),
        migrations.RemoveField(
            model_name="historicalcollectionround",
            name="task_id",
        ),
    ]
