"""Seed the column kinds with their freshness classes from the national indicators.

国办秘函〔2019〕19号 (see shared reference §1.2, §1.3): 动态/要闻 columns are stale after 2 weeks,
通知公告/政策文件 after 6 months, 人事/规划计划 after 1 year. The other kinds carry no class.
These rows are data: the operator edits them when a new edition of the indicators appears.
"""

from django.db import migrations

KINDS = [
    ("news", "动态要闻", 14, "day", "国办秘函〔2019〕19号 单项否决: 动态、要闻类栏目2周未更新"),
    ("notice", "通知公告", 6, "month", "国办秘函〔2019〕19号 单项否决: 通知公告类栏目6个月未更新"),
    ("policy", "政策文件", 6, "month", "国办秘函〔2019〕19号 单项否决: 政策文件类栏目6个月未更新"),
    ("plan", "人事/规划计划", 12, "month", "监测通行做法: 人事、规划计划类栏目1年未更新"),
    ("static", "概况/静态", None, "day", ""),
    ("special", "专题", None, "day", ""),
    ("interaction", "互动", None, "day", ""),
    ("service", "服务", None, "day", ""),
]


def seed(apps, schema_editor):
    ColumnKind = apps.get_model("core", "ColumnKind")
    for order, (code, name, amount, unit, source) in enumerate(KINDS):
        ColumnKind.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "freshness_amount": amount,
                "freshness_unit": unit,
                "source": source,
                "sort_order": (order + 1) * 10,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
