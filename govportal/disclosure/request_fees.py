"""信息处理费 (政府信息公开条例 第四十二条; 国办函〔2020〕109号《政府信息公开信息处理费管理办法》).

Pure functions. The office chooses one method per application, never both; both are progressive:
only the part above each threshold is charged at that threshold's rate (regulations.md §5.4).
"""

from __future__ import annotations

from decimal import Decimal

__all__ = [
    "FREE_APPLICATIONS_PER_MONTH",
    "FREE_PAGES",
    "fee_for",
    "fee_per_application",
    "fee_per_page",
]

# 按件计收: the same applicant's applications in one calendar month.
FREE_APPLICATIONS_PER_MONTH = 10
FIRST_BRACKET_END = 30  # 11–30: 100 元/件
FIRST_BRACKET_RATE = Decimal("100")
BRACKET_SIZE = 10  # from the 31st on, 100 元 more per 10 applications
BRACKET_STEP = Decimal("100")

# 按量计收: pages of one application. (upper page, rate per page above the previous upper page)
FREE_PAGES = 30
PAGE_BRACKETS: tuple[tuple[int | None, Decimal], ...] = (
    (100, Decimal("10")),  # 31–100 页: 10 元/页
    (200, Decimal("20")),  # 101–200 页: 20 元/页
    (None, Decimal("40")),  # 200 页以上: 40 元/页
)


def fee_per_application(ordinal: int) -> Decimal:
    """The fee of the applicant's `ordinal`-th application (1-based) in the calendar month.

    1–10 free; 11–30: 100 元 each; 31–40: 200 元; 41–50: 300 元; and so on.
    """
    if ordinal < 1:
        raise ValueError(f"申请件序应从 1 开始（收到 {ordinal}）")
    if ordinal <= FREE_APPLICATIONS_PER_MONTH:
        return Decimal("0")
    if ordinal <= FIRST_BRACKET_END:
        return FIRST_BRACKET_RATE
    brackets_above = (ordinal - FIRST_BRACKET_END - 1) // BRACKET_SIZE + 1
    return FIRST_BRACKET_RATE + BRACKET_STEP * brackets_above


def fee_per_page(pages: int) -> Decimal:
    """The fee for one application of `pages` pages (a page: A4 or smaller, one side)."""
    if pages < 0:
        raise ValueError(f"页数不能为负数（收到 {pages}）")
    total = Decimal("0")
    lower = FREE_PAGES
    for upper, rate in PAGE_BRACKETS:
        if pages <= lower:
            break
        charged = (pages if upper is None else min(pages, upper)) - lower
        total += rate * charged
        if upper is None:
            break
        lower = upper
    return total


def fee_for(method: str, quantity: int) -> Decimal:
    """`method` is a FeeMethod value; `quantity` the application's ordinal or its page count."""
    if method == "per_application":
        return fee_per_application(quantity)
    if method == "per_page":
        return fee_per_page(quantity)
    raise ValueError(f"未知的计收方式：{method}")
