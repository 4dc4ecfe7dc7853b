"""Letters that belong elsewhere: 信访, 纪检监察举报, emergencies.

国办秘函〔2019〕19号 (regulations.md §1.2 item 5): dedicated 网上信访 and 纪检举报 channels are
not the consultation channel, and the mailbox is not theirs either. A letter that looks like one
of them is shown where it belongs before it is sent; the citizen may still send it here. Each
rule is data: words of which one must appear, and optionally words of which one must appear too.
Pure: no Django.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ChannelRule:
    key: str
    title: str
    advice: str
    any_words: tuple[str, ...]
    # When set, one of these must appear as well (举报 alone is often a noise complaint).
    with_words: tuple[str, ...] = ()

    def matches(self, text: str) -> bool:
        if not any(word in text for word in self.any_words):
            return False
        return not self.with_words or any(word in text for word in self.with_words)


CHANNEL_RULES: tuple[ChannelRule, ...] = (
    ChannelRule(
        key="emergency",
        title="紧急求助",
        advice="遇到火灾、人身安全威胁、急病等紧急情况，请立即拨打 110（报警）、119（火警）或"
        "120（急救）。区长信箱由工作人员在工作日办理，不能及时处置紧急情况。",
        any_words=(
            "救命",
            "着火",
            "火灾",
            "起火",
            "煤气泄漏",
            "燃气泄漏",
            "溺水",
            "持刀",
            "抢劫",
            "绑架",
            "想自杀",
            "要自杀",
            "昏迷",
            "急救",
        ),
    ),
    ChannelRule(
        key="discipline",
        title="纪检监察举报",
        advice="反映党员干部和公职人员违纪违法问题，请通过纪检监察机关的举报渠道反映"
        "（区纪委监委信访举报电话 12388，或中央纪委国家监委网站举报平台）。",
        any_words=(
            "纪委",
            "纪检",
            "监委",
            "违纪",
            "贪污",
            "受贿",
            "行贿",
            "腐败",
            "吃拿卡要",
            "公款",
        ),
    ),
    ChannelRule(
        key="discipline_report",
        title="纪检监察举报",
        advice="反映党员干部和公职人员违纪违法问题，请通过纪检监察机关的举报渠道反映"
        "（区纪委监委信访举报电话 12388，或中央纪委国家监委网站举报平台）。",
        any_words=("举报",),
        with_words=("干部", "党员", "书记", "局长", "镇长", "村主任", "公职人员", "领导"),
    ),
    ChannelRule(
        key="petition",
        title="信访事项",
        advice="信访事项请通过信访渠道反映：国家信访局网上信访平台，或到区信访局来信来访。"
        "已按信访程序办理的事项，请按复查、复核程序提出。",
        any_words=("信访", "上访", "复查复核", "信访复核", "信访事项", "集体访"),
    ),
)


def channel_matches(*texts: str) -> list[ChannelRule]:
    """The rules whose words the texts contain, one per title, in the order of CHANNEL_RULES."""
    text = "\n".join(texts)
    found: list[ChannelRule] = []
    for rule in CHANNEL_RULES:
        if rule.matches(text) and all(r.title != rule.title for r in found):
            found.append(rule)
    return found
