"""Seed the veto and deduction items of 国办秘函〔2019〕19号 (shared reference §1.2, §1.3).

Numbers are kept exactly as the reference gives them. Items the reference marks [S] (secondary
source) or [U] (unverified) say so in `note`; items whose points could not be retrieved are seeded
inactive with points 0, for the operator to fill in and switch on.
"""

from decimal import Decimal

from django.db import migrations

EDITION = "国办秘函〔2019〕19号"
S = "依据为地方转载或监测厂商资料（参考资料标注 [S]），非国家原文。"
U = "未经核实（参考资料标注 [U]），请运维监管人员核实。"

# (code, category, name, level, rule_kind, thresholds, points, cap, active, note)
INDICATORS = [
    (
        "security-incident",
        "单项否决",
        "安全、泄密事故等严重问题",
        "veto",
        "security_incidents",
        {},
        "0",
        None,
        True,
        "严重表述错误、泄露国家秘密、发布或链接反动暴力色情内容、挂马篡改未及时处置、"
        "伪造发稿日期、因管理不善引发严重负面舆情，任一即否决。" + S,
    ),
    (
        "site-unreachable",
        "单项否决",
        "站点无法访问",
        "veto",
        "site_unreachable",
        {"days": 7, "visits_per_day": 20, "timeout_seconds": 15, "failure_share": 0.05},
        "0",
        None,
        True,
        "监测1周，每天不少于20次，超过15秒未打开为失败，累计失败比例≥5%即否决。",
    ),
    (
        "home-not-updated",
        "单项否决",
        "首页不更新",
        "veto",
        "home_not_updated",
        {"days": 14},
        "0",
        None,
        True,
        "监测2周，首页无新信息即否决；首页仅为导航页的，以全部二级页面是否更新为准。"
        "无发布时间的信息视为未更新。" + S,
    ),
    (
        "stale-columns",
        "单项否决",
        "栏目不更新：不更新栏目累计达到5个",
        "veto",
        "stale_columns",
        {"count": 5},
        "0",
        None,
        True,
        "动态、要闻类栏目2周未更新，通知公告、政策文件类一级栏目6个月未更新，累计≥5个即否决。"
        "各类栏目的时限见“栏目类型”。" + S,
    ),
    (
        "long-unupdated-columns",
        "单项否决",
        "栏目不更新：应更新但长期未更新的栏目达到10个",
        "veto",
        "long_unupdated_columns",
        {"count": 10},
        "0",
        None,
        True,
        "“长期未更新”按栏目责任明细表的更新频率与栏目类型时限判定为已超期。" + S,
    ),
    (
        "empty-columns",
        "单项否决",
        "栏目不更新：空白栏目达到5个",
        "veto",
        "empty_columns",
        {"count": 5},
        "0",
        None,
        True,
        "栏目有、内容无的空白栏目≥5个即否决。" + S,
    ),
    (
        "no-consultation-channel",
        "单项否决",
        "互动回应差：无有效的咨询建议渠道",
        "veto",
        "no_consultation_channel",
        {},
        "0",
        None,
        True,
        "网上信访、纪检举报专用渠道不计入。" + S,
    ),
    (
        "unanswered-messages",
        "单项否决",
        "互动回应差：留言超过3个月未回复",
        "veto",
        "unanswered_messages",
        {"window_months": 12, "months": 3},
        "0",
        None,
        True,
        "监测时间点前1年内，政务咨询类栏目有效留言超过3个月未回复即否决；"
        "在线访谈、调查征集、网上信访、纪检举报栏目除外。" + S,
    ),
    (
        "service-guides",
        "单项否决",
        "服务不实用",
        "veto",
        "service_guides",
        {"items": 5, "missing_categories": 4},
        "0",
        None,
        True,
        "无办事服务；或≥5个事项办事指南缺失4类及以上要素；或事项总数不足5个的，"
        "每个事项均缺失4类及以上要素，任一即否决。" + S,
    ),
    (
        "policy-column-stale",
        "发布解读",
        "政策文件类一级栏目6个月未更新",
        "deduction",
        "top_column_stale",
        {"kinds": ["policy"], "months": 6},
        "5",
        None,
        True,
        S,
    ),
    (
        "service-statistics-stale",
        "办事服务",
        "办事统计数据3个月未更新",
        "deduction",
        "service_statistics_stale",
        {"months": 3},
        "2",
        None,
        True,
        S,
    ),
    (
        "no-recent-replies",
        "互动交流",
        "2个月内无新的留言答复",
        "deduction",
        "no_recent_replies",
        {"months": 2},
        "3",
        None,
        True,
        S,
    ),
    (
        "home-broken-links",
        "功能设计",
        "首页断链（含图片、附件、外部链接）",
        "deduction",
        "broken_links",
        {"scope": "home"},
        "1",
        None,
        False,
        "每处扣1分，取自2015年普查评分表，2019年是否沿用未核实；本指标分值上限未取得。" + U,
    ),
    (
        "other-broken-links",
        "功能设计",
        "其他页面断链",
        "deduction",
        "broken_links",
        {"scope": "other"},
        "0.1",
        None,
        False,
        "每处扣0.1分，取自2015年普查评分表，2019年是否沿用未核实；本指标分值上限未取得。" + U,
    ),
    (
        "site-identifiers",
        "功能设计",
        "网站标识缺失（党政机关网站标识、网站标识码、ICP备案编号、公安机关备案标识）",
        "deduction",
        "footer_identifiers",
        {},
        "0",
        None,
        False,
        "分值未取得。" + U,
    ),
    (
        "error-report-entry",
        "功能设计",
        "无“我为政府网站找错”入口",
        "deduction",
        "error_report_entry",
        {},
        "0",
        None,
        False,
        "分值未取得。" + U,
    ),
    (
        "site-search",
        "功能设计",
        "无站内搜索或搜索结果不准确、不能分类排序",
        "deduction",
        "site_search",
        {},
        "0",
        None,
        False,
        "分值未取得。" + U,
    ),
]


def seed(apps, schema_editor):
    Indicator = apps.get_model("monitoring", "Indicator")
    for order, row in enumerate(INDICATORS):
        code, category, name, level, rule_kind, thresholds, points, cap, active, note = row
        Indicator.objects.update_or_create(
            edition=EDITION,
            code=code,
            defaults={
                "category": category,
                "name": name,
                "level": level,
                "rule_kind": rule_kind,
                "thresholds": thresholds,
                "points": Decimal(points),
                "cap": None if cap is None else Decimal(cap),
                "active": active,
                "note": note,
                "sort_order": (order + 1) * 10,
            },
        )


def unseed(apps, schema_editor):
    Indicator = apps.get_model("monitoring", "Indicator")
    Indicator.objects.filter(edition=EDITION, code__in=[row[0] for row in INDICATORS]).delete()


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0002_indicator")]
    operations = [migrations.RunPython(seed, unseed)]
