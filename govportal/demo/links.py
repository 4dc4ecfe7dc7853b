"""Demo data: broken links planted in article bodies, for the crawl of the first daily check.

Editors paste addresses by hand, and some go bad: a notice that was taken down, an attachment
removed from the document library, a mistyped column address. Each sits in the newest article of
a column owned by one unit, so the crawl's broken-link findings (扣分“其他页面断链”) reach that
unit as work orders. The broken-link indicators are seeded inactive (their points come from the
2015 table, not verified for 2019); the district's operator switches them on here, as in the
admin's indicator table. Runs before govportal/demo/supervision.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from govportal.demo.builder import DemoWorld

BROKEN_LINK_INDICATORS = ("home-broken-links", "other-broken-links")


@dataclass(frozen=True)
class PlantedLink:
    column: str  # slug of the column whose newest article carries the link
    unit: str  # the unit code responsible for that column (demo/columns.py)
    anchor: str
    href: str  # site-relative, as an editor pastes it


PLANTED_LINKS = (
    # A notice that was withdrawn: the page is gone.
    PlantedLink(
        "statistics", "tjj", "关于开展经济普查入户登记的通知", "/news/notices/census-notice-2023/"
    ),
    # An attachment deleted from the document library.
    PlantedLink("finance", "czj", "部门预算公开表（附件）", "/documents/987654/budget-2023.xlsx"),
    # A mistyped column address (heath for health).
    PlantedLink(
        "health-disclosure",
        "wjj",
        "医疗卫生领域信息公开目录",
        "/affairs/key-areas/heath-disclosure/",
    ),
)


def load(world: DemoWorld) -> None:
    from django.utils.html import escape
    from wagtail.rich_text import RichText

    from govportal.content.models import ArticlePage
    from govportal.content.review import review_bypass
    from govportal.core.models import ColumnPage
    from govportal.monitoring.models import Indicator

    with review_bypass(reason="演示数据：编辑手工粘贴的失效链接"):
        for link in PLANTED_LINKS:
            column = ColumnPage.objects.get(slug=link.column)
            article = (
                ArticlePage.objects.child_of(column).live().order_by("-pub_date", "-id").first()
            )
            if article is None:
                raise RuntimeError(f"演示栏目“{column.title}”没有文章，无法放置失效链接。")
            html = f'<p>相关链接：<a href="{escape(link.href)}">{escape(link.anchor)}</a></p>'
            article.body.append(("paragraph", RichText(html)))
            article.save_revision(user=world.users.get("operator"), log_action=True).publish()
    # The operator switches the broken-link indicators on, as an edit of the indicator table.
    operator = world.users.get("operator")
    for indicator in Indicator.objects.filter(code__in=BROKEN_LINK_INDICATORS, active=False):
        indicator.active = True
        indicator.save(update_fields=["active"])
        # What the snippet edit view does: a stored revision and the log entry that names it.
        indicator.save_revision(user=operator, log_action=True)
    world.log(f"失效链接: {len(PLANTED_LINKS)} 处（放在统计信息、财政资金、医疗卫生栏目的文章中）")
