"""The default review: one step by a reviewer of the responsible unit, for the whole tree.

It replaces Wagtail's "Moderators approval" on the root page. Columns that need more steps
(e.g. unit → operator → leader) get their own workflow in 设置 → 工作流.
"""

from django.db import migrations

WORKFLOW_NAME = "一审：责任单位审核"
TASK_NAME = "责任单位审核"


def create_default_workflow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    UnitReviewTask = apps.get_model("content", "UnitReviewTask")

    content_type, _ = ContentType.objects.get_or_create(app_label="content", model="unitreviewtask")
    task = UnitReviewTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = UnitReviewTask.objects.create(name=TASK_NAME, content_type=content_type)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})

    root = Page.objects.filter(depth=1).first()
    if root is not None:
        WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})
    # Wagtail's default lets the "Moderators" group approve and publish in one click.
    Workflow.objects.filter(name="Moderators approval").exclude(pk=workflow.pk).update(active=False)


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0002_review"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
    ]

    operations = [migrations.RunPython(create_default_workflow, migrations.RunPython.noop)]
