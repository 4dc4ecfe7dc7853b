"""Seed the catalogue headings (条例第二十条、第二十一条), the topics and the genres."""

from typing import Any

from django.db import migrations

# 政府信息公开条例 第二十条 (15 items), then the district items of 第二十一条.
ITEMS = [
    ("a20-01", "行政法规、规章和规范性文件", "20", 1),
    ("a20-02", "机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名", "20", 2),
    ("a20-03", "国民经济和社会发展规划、专项规划、区域规划及相关政策", "20", 3),
    ("a20-04", "国民经济和社会发展统计信息", "20", 4),
    ("a20-05", "办理行政许可和其他对外管理服务事项的依据、条件、程序以及办理结果", "20", 5),
    ("a20-06", "实施行政处罚、行政强制的依据、条件、程序以及具有一定社会影响的行政处罚决定", "20", 6),
    ("a20-07", "财政预算、决算信息", "20", 7),
    ("a20-08", "行政事业性收费项目及其依据、标准", "20", 8),
    ("a20-09", "政府集中采购项目的目录、标准及实施情况", "20", 9),
    ("a20-10", "重大建设项目的批准和实施情况", "20", 10),
    ("a20-11", "扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况", "20", 11),
    ("a20-12", "突发公共事件的应急预案、预警信息及应对情况", "20", 12),
    ("a20-13", "环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况", "20", 13),
    ("a20-14", "公务员招考的职位、名额、报考条件等事项以及录用结果", "20", 14),
    ("a20-15", "法律、法规、规章和国家有关规定规定应当主动公开的其他政府信息", "20", 15),
    ("a21-01", "市政建设", "21", 1),
    ("a21-02", "公共服务", "21", 2),
    ("a21-03", "公益事业", "21", 3),
    ("a21-04", "土地征收", "21", 4),
    ("a21-05", "房屋征收", "21", 5),
    ("a21-06", "治安管理", "21", 6),
    ("a21-07", "社会救助", "21", 7),
]

TOPICS = [
    ("ZH", "综合政务"),
    ("JJ", "国民经济管理"),
    ("CZ", "财政、金融、审计"),
    ("CX", "城乡建设、环境保护"),
    ("NY", "农业、林业、水利"),
    ("GY", "工业、交通"),
    ("SM", "商贸、海关、旅游"),
    ("JY", "科技、教育"),
    ("WS", "卫生、体育"),
    ("WH", "文化、广电、新闻出版"),
    ("LD", "劳动、人事、监察"),
    ("MZ", "民政、扶贫、救灾"),
    ("GA", "公安、安全、司法"),
    ("QT", "其他"),
]

GENRES = [
    ("jueding", "决定"),
    ("tongzhi", "通知"),
    ("tonggao", "通告"),
    ("yijian", "意见"),
    ("banfa", "办法"),
    ("guiding", "规定"),
    ("fangan", "方案"),
    ("guihua", "规划"),
    ("pifu", "批复"),
    ("gonggao", "公告"),
    ("baogao", "报告"),
    ("qita", "其他"),
]


def seed(apps: Any, schema_editor: Any) -> None:
    item = apps.get_model("disclosure", "CatalogueItem")
    for order, (code, name, article, number) in enumerate(ITEMS, start=1):
        item.objects.update_or_create(
            code=code,
            defaults={"name": name, "article": article, "number": number, "sort_order": order * 10},
        )
    topic = apps.get_model("disclosure", "Topic")
    for order, (code, name) in enumerate(TOPICS, start=1):
        topic.objects.update_or_create(code=code, defaults={"name": name, "sort_order": order * 10})
    genre = apps.get_model("disclosure", "Genre")
    for order, (code, name) in enumerate(GENRES, start=1):
        genre.objects.update_or_create(code=code, defaults={"name": name, "sort_order": order * 10})


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
