"""Publishing answered messages (留言选登) with personal data masked.

第八条(二): 不得公开……包含公民身份证、详细居住地址、联系方式等个人隐私信息. The question and the
answer are masked automatically: the citizen's name becomes 王**, and every number, e-mail
address and home address the content checks' personal-data checker finds is removed. The masked
texts then pass the whole checks engine; a blocking finding holds the message for the operator
(待审核公开) instead of publishing it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from govportal.checks.engine import CheckContext, Finding, check
from govportal.interaction.mailbox.services import MailboxError, _event, reply_text
from govportal.interaction.models import Message, MessageEvent

REMOVED = "***"
_PERSONAL_DATA_ONLY = frozenset({"personal_data"})
# 我叫张三 / 本人李四 / 联系人：王五 — a name the citizen writes about themselves in the text.
_SELF_NAME = re.compile(
    r"(?:我叫|我是|本人|联系人[:：]?|姓名[:：]?)([\u4e00-\u9fff]{2,4}?)(?=[，。,.；;：:\s]|$)"
)


def mask_name(name: str) -> str:
    """王小明 → 王**: the surname stays, the given name becomes asterisks."""
    name = name.strip()
    if not name:
        return ""
    return name[0] + "*" * max(1, len(name) - 1)


def mask_personal_data(
    text: str, *, names: Iterable[str] = (), today: dt.date | None = None
) -> str:
    """The text with the given names masked and every personal-data finding removed."""
    names = [n.strip() for n in names if n and len(n.strip()) >= 2]
    for match in _SELF_NAME.finditer(text):
        names.append(match.group(1))
    for name in sorted(set(names), key=len, reverse=True):
        text = text.replace(name, mask_name(name))
    context = CheckContext(checkers=_PERSONAL_DATA_ONLY, today=today)
    findings = sorted(check(text, html=False, context=context), key=lambda f: f.start)
    pieces: list[str] = []
    position = 0
    for finding in findings:
        if finding.start < position:
            continue  # overlapping findings: the first one already removed this part
        pieces.append(text[position : finding.start])
        pieces.append(REMOVED)
        position = finding.end
    pieces.append(text[position:])
    return "".join(pieces)


def blocking_findings(*texts: str, today: dt.date | None = None) -> list[Finding]:
    """Blocking findings of the whole checks engine in the texts to be published."""
    context = CheckContext(today=today)
    return [f for text in texts for f in check(text, html=False, context=context) if f.blocks]


def publication_prepare(*, message: Message, now: dt.datetime | None = None) -> Message:
    """Mask the texts and publish, or hold for the operator when a check blocks."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    names = [message.name]
    message.public_subject = mask_personal_data(message.subject, names=names, today=today)[:100]
    message.public_content = mask_personal_data(message.content, names=names, today=today)
    message.public_reply = mask_personal_data(reply_text(message), names=names, today=today)
    findings = blocking_findings(
        message.public_subject, message.public_content, message.public_reply, today=today
    )
    if findings:
        message.publication = Message.Publication.HELD
        reasons = "；".join(sorted({f"{f.message}（{f.match}）" for f in findings}))[:1000]
        message.publication_note = reasons
        _event(message, MessageEvent.Kind.HELD, text=reasons, now=now)
    else:
        message.publication = Message.Publication.PUBLISHED
        message.published_at = now
        message.publication_note = ""
        _event(message, MessageEvent.Kind.PUBLISHED, text="自动脱敏后公开", now=now)
    message.save(
        update_fields=[
            "public_subject",
            "public_content",
            "public_reply",
            "publication",
            "published_at",
            "publication_note",
        ]
    )
    return message


@transaction.atomic
def publication_publish(
    *,
    message: Message,
    user: Any,
    public_subject: str,
    public_content: str,
    public_reply: str,
    now: dt.datetime | None = None,
) -> Message:
    """The operator publishes a held message after editing the masked texts."""
    from govportal.interaction.mailbox.services import _require_operator

    _require_operator(user)
    now = now or timezone.now()
    message = Message.objects.select_for_update().get(pk=message.pk)
    if message.status != Message.Status.ANSWERED or not message.consent_publish:
        raise MailboxError("只有留言人同意公开、且已答复的留言可以公开。")
    findings = blocking_findings(
        public_subject, public_content, public_reply, today=timezone.localdate(now)
    )
    if findings:
        problems = "；".join(sorted({f"{f.message}（{f.match}）" for f in findings}))
        raise MailboxError(f"公开内容仍有问题，不能公开：{problems}")
    message.public_subject = public_subject
    message.public_content = public_content
    message.public_reply = public_reply
    message.publication = Message.Publication.PUBLISHED
    message.published_at = now
    message.publication_note = ""
    message.save()
    _event(message, MessageEvent.Kind.PUBLISHED, actor=user, text="审核后公开", now=now)
    return message


@transaction.atomic
def publication_withhold(
    *, message: Message, user: Any, note: str, now: dt.datetime | None = None
) -> Message:
    from govportal.interaction.mailbox.services import _require_operator

    _require_operator(user)
    if not note.strip():
        raise MailboxError("请填写不予公开的理由。")
    message = Message.objects.select_for_update().get(pk=message.pk)
    message.publication = Message.Publication.WITHHELD
    message.published_at = None
    message.publication_note = note
    message.save(update_fields=["publication", "published_at", "publication_note"])
    _event(message, MessageEvent.Kind.WITHHELD, actor=user, text=note, now=now)
    return message
