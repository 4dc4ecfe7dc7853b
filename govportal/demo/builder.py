"""Build (and remove) the demo district portal. Called by `manage.py load_demo`."""

from __future__ import annotations

import datetime as dt
import html
import importlib
import io
import logging
import random
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.management import call_command
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Page, Site
from wagtail.signal_handlers import disable_reference_index_auto_update

from govportal.accounts.models import User
from govportal.accounts.roles import Role
from govportal.accounts.services import roles_ensure
from govportal.content.models import ArchiveLog, ArticleAttachment, ArticlePage, HomePage
from govportal.content.review import review_bypass
from govportal.content.services import page_archive
from govportal.core.models import ColumnKind, ColumnPage, SiteIdentity, Unit, UnitGroup, UnitRole
from govportal.core.services import column_permissions_sync, unit_groups_ensure
from govportal.demo import accounts, files, text
from govportal.demo.columns import TREE, ColumnSpec, walk
from govportal.demo.disclosure import disclosure_load
from govportal.demo.units import TOWNS, UNIT_BY_CODE, UNITS, unit_email, unit_phone

SEED = 20211101  # the date the regulation was published; any fixed number would do
COLLECTION_NAME = "演示素材"
LOGINS_FILENAME = "demo-logins.txt"
DEMO_DATA = "演示数据"

Log = Callable[[str], None]

PICTURES = [
    "渭河两岸城市风光",
    "秦岭北麓山景",
    "城区街道与楼宇",
    "田野与村庄",
    "工业园区厂房",
    "社区广场",
    "滨河公园",
    "新建道路与桥梁",
    "乡村民居",
    "夜色中的街区",
    "河道治理现场",
    "学校教学楼",
]
BANNERS = ["优化营商环境", "乡村振兴"]


@dataclass
class DemoResult:
    units: int = 0
    columns: int = 0
    articles: int = 0
    logins: list[accounts.Login] = field(default_factory=list)
    logins_text: str = ""
    seconds: float = 0.0


@dataclass
class _Context:
    rnd: random.Random
    now: dt.datetime
    scale: float
    log: Log
    collection: Collection
    units: dict[str, Unit]
    owners: dict[str, User]
    pictures: list[tuple[Any, str]]  # (image, alt text)
    columns: dict[str, ColumnPage] = field(default_factory=dict)
    article_count: int = 0


@dataclass
class DemoWorld:
    """What the demo parts of later apps build on: the district as the builder made it.

    Each part is a module in govportal/demo with `load(world)`; DEMO_PARTS lists them in order.
    `users` holds the demo accounts by username (operator, <unit code>_editor, _reviewer …);
    `rnd` is the part's own seeded generator, so one part's changes leave the others' data alone.
    """

    now: dt.datetime
    scale: float
    log: Log
    units: dict[str, Unit]
    users: dict[str, User]
    columns: dict[str, ColumnPage]
    home: HomePage
    rnd: random.Random = field(default_factory=random.Random)
    # The first daily check crawls the site in process first (a minute or more at full scale);
    # without it the broken-link indicators are 未测 (load_demo --no-crawl, for tests).
    crawl: bool = True


# Demo parts of later apps, run in this order after the columns, articles and documents exist.
DEMO_PARTS = (
    "disclosure_requests",
    "mailbox",
    "surveys",
    "interviews",
    "knowledge",
    "reports",  # after the requests and messages it counts
    "integrity",
    "links",  # broken links for the first crawl
    "supervision",  # last: judges everything above
)


def _parts_load(world: DemoWorld) -> None:
    for offset, name in enumerate(DEMO_PARTS, start=2):
        module = importlib.import_module(f"govportal.demo.{name}")
        world.rnd = random.Random(SEED + offset)
        module.load(world)


def _parts_remove() -> None:
    """Each demo part's `remove()`, last part first: their rows point at pages and units."""
    for name in reversed(DEMO_PARTS):
        module = importlib.import_module(f"govportal.demo.{name}")
        remove = getattr(module, "remove", None)
        if remove is not None:
            remove()


def logins_path() -> Any:
    return settings.VAR_DIR / LOGINS_FILENAME


def portal_exists() -> bool:
    return HomePage.objects.exists()


@contextmanager
def wagtail_log_quiet() -> Iterator[None]:
    """Wagtail logs one INFO line per page created; the loader prints its own progress."""
    logger = logging.getLogger("wagtail")
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


@contextmanager
def indexes_deferred() -> Iterator[None]:
    """Skip the per-save search and reference index tasks; `indexes_rebuild` runs once instead.

    Each page save would queue two jobs for the worker (thousands in all), or, in tests with
    the immediate task backend, index each page inline: rebuilding once is much faster.
    """
    from modelsearch.index import get_indexed_models
    from modelsearch.signal_handlers import post_delete_signal_handler, post_save_signal_handler

    models = [m for m in get_indexed_models() if getattr(m, "search_auto_update", True)]
    for model in models:
        post_save.disconnect(post_save_signal_handler, sender=model)
        post_delete.disconnect(post_delete_signal_handler, sender=model)
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        for model in models:
            post_save.connect(post_save_signal_handler, sender=model)
            post_delete.connect(post_delete_signal_handler, sender=model)


def indexes_rebuild() -> None:
    call_command("update_index", verbosity=0)
    call_command("rebuild_references_index", verbosity=0)


# --- Reset --------------------------------------------------------------------------------------


def demo_remove(*, log: Log = print) -> None:
    """Delete the demo portal: the whole page tree and its sites, the demo units, accounts,
    pictures and files. Units and accounts that the demo did not create are left alone."""
    with wagtail_log_quiet(), transaction.atomic():
        with indexes_deferred():
            _parts_remove()
            pages = Page.objects.filter(depth__gt=1)
            ArchiveLog.objects.filter(page__in=pages).delete()
            Site.objects.all().delete()
            pages.delete()
            User.objects.filter(username__in=accounts.DEMO_USERNAMES).delete()
            demo_units = Unit.objects.filter(name__in=[u.name for u in UNITS])
            group_ids = list(
                UnitGroup.objects.filter(unit__in=demo_units).values_list("group_id", flat=True)
            )
            demo_units.delete()
            Group.objects.filter(pk__in=group_ids).delete()
            for collection in Collection.objects.filter(name=COLLECTION_NAME):
                # Wagtail removes the files (and renditions) once the deletion is committed.
                get_image_model().objects.filter(collection=collection).delete()
                get_document_model().objects.filter(collection=collection).delete()
                collection.delete()
        indexes_rebuild()
    log("已删除演示数据。")


# --- Build --------------------------------------------------------------------------------------


def demo_load(
    *,
    now: dt.datetime | None = None,
    scale: float = 1.0,
    seed: int = SEED,
    log: Log = print,
    crawl: bool = True,
) -> DemoResult:
    """Build the demo portal on a database without a portal. Returns counts and the logins."""
    started = time.monotonic()
    now = timezone.localtime(now or timezone.now())
    result = DemoResult()

    def progress(text: str) -> None:
        log(f"{text} ({time.monotonic() - started:.1f} 秒)")

    # Demo pages go online without review; the review trail records each one with this reason.
    with wagtail_log_quiet(), review_bypass(reason=DEMO_DATA), transaction.atomic():
        with indexes_deferred():
            _build(result, rnd=random.Random(seed), now=now, scale=scale, log=progress, crawl=crawl)
        log("更新全文检索和引用索引……")
        indexes_rebuild()

    result.logins_text = accounts.logins_table(
        result.logins, admin_url=f"{settings.SITE_URL}/admin/"
    )
    accounts.logins_write(logins_path(), result.logins_text)
    result.seconds = time.monotonic() - started
    return result


def _build(
    result: DemoResult,
    *,
    rnd: random.Random,
    now: dt.datetime,
    scale: float,
    log: Log,
    crawl: bool = True,
) -> None:
    # Wagtail's "Welcome" page and its default site give way to the portal.
    Site.objects.all().delete()
    Page.objects.filter(depth__gt=1).delete()
    collection = Collection.get_first_root_node().add_child(name=COLLECTION_NAME)

    units = _units_create()
    result.units = len(units)
    log(f"单位: {len(units)} 个")
    roles_ensure()
    users, result.logins = _accounts_create(units)
    hashes = _passwords_hash(result.logins)
    log(f"账号: {len(users)} 个")

    ctx = _Context(
        rnd=rnd,
        now=now,
        scale=scale,
        log=log,
        collection=collection,
        units=units,
        owners={
            code: users[f"{code}_editor"]
            for code in accounts.UNITS_WITH_STAFF
            if f"{code}_editor" in users
        },
        pictures=_pictures_create(rnd, collection),
    )
    ctx.owners["*"] = users["operator"]
    home = _home_create(ctx)
    for spec in TREE:
        _column_create(ctx, home, spec)
    result.columns = len(ctx.columns)
    log(f"栏目: {result.columns} 个")
    for spec in walk():
        if spec.genre:
            _articles_create(ctx, spec)
    result.articles = ctx.article_count
    log(f"文章: {result.articles} 篇")
    disclosure_load(
        columns=ctx.columns, units=units, rnd=random.Random(SEED + 1), now=now, scale=scale, log=log
    )
    _topics_archive(ctx, users["operator"])
    _home_body_set(ctx, home)
    column_permissions_sync()
    _parts_load(
        DemoWorld(
            now=now,
            scale=scale,
            log=log,
            units=units,
            users=users,
            columns=ctx.columns,
            home=home,
            crawl=crawl,
        )
    )
    _passwords_set(result.logins, hashes)


def _units_create() -> dict[str, Unit]:
    units: dict[str, Unit] = {}
    for index, spec in enumerate(UNITS, start=1):
        unit, _ = Unit.objects.update_or_create(
            name=spec.name,
            defaults={
                "code": spec.code,
                "kind": spec.kind,
                "contact_person": spec.contact,
                "phone": unit_phone(index),
                "email": unit_email(spec.code),
                "sort_order": index * 10,
            },
        )
        unit_groups_ensure(unit=unit)
        units[spec.code] = unit
    return units


def _accounts_create(units: dict[str, Unit]) -> tuple[dict[str, User], list[accounts.Login]]:
    role_groups = {g.name: g for g in Group.objects.filter(name__in=[r.value for r in Role])}
    unit_groups = {
        (link.unit_id, link.role): link.group
        for link in UnitGroup.objects.select_related("group").all()
    }
    users: dict[str, User] = {}
    logins: list[accounts.Login] = []
    for spec in accounts.ACCOUNTS:
        unit = units[spec.unit] if spec.unit else None
        password = accounts.password_generate()
        user, _ = User.objects.update_or_create(
            username=spec.username,
            defaults={
                "unit": unit,
                "first_name": spec.display_name,
                "last_name": unit.name if unit else "",
                "email": f"{spec.username}@weibin.example",
                "is_superuser": spec.role == accounts.SUPERUSER,
                "is_staff": spec.role == accounts.SUPERUSER,
                "is_active": True,
                # Set (hashed) by _passwords_set at the end of the load.
                "password": make_password(None),
            },
        )
        if spec.role in role_groups:
            user.groups.set([role_groups[spec.role]])
        elif unit is not None and spec.role in (UnitRole.EDITOR.label, UnitRole.REVIEWER.label):
            role = UnitRole.EDITOR if spec.role == UnitRole.EDITOR.label else UnitRole.REVIEWER
            user.groups.set([unit_groups[(unit.pk, role)]])
        users[spec.username] = user
        logins.append(
            accounts.Login(spec.role, unit.name if unit else "—", spec.username, password)
        )
    return users, logins


def _passwords_hash(logins: list[accounts.Login]) -> Future[list[str]]:
    """Hash the passwords in a background thread while the pages are built.

    Password hashing is slow on purpose (about 0.3 s each) and releases the GIL, so it runs on
    the second core instead of adding several seconds to the load.
    """
    pool = ThreadPoolExecutor(max_workers=1)
    future = pool.submit(lambda: [make_password(login.password) for login in logins])
    pool.shutdown(wait=False)
    return future


def _passwords_set(logins: list[accounts.Login], hashes: Future[list[str]]) -> None:
    for login, hashed in zip(logins, hashes.result(), strict=True):
        User.objects.filter(username=login.username).update(password=hashed)


def _pictures_create(rnd: random.Random, collection: Collection) -> list[tuple[Any, str]]:
    return [
        (_image_create(collection, alt, f"demo-picture-{i:02d}.png", files.picture_png(rnd)), alt)
        for i, alt in enumerate(PICTURES, start=1)
    ]


def _image_create(collection: Collection, title: str, filename: str, data: bytes) -> Any:
    # An ImageFile fills in width and height when assigned; the storage names the file.
    image = get_image_model()(
        title=title, collection=collection, file=ImageFile(io.BytesIO(data), name=filename)
    )
    image._set_image_file_metadata()
    image.save()
    return image


def _home_create(ctx: _Context) -> HomePage:
    root = Page.get_first_root_node()
    home = HomePage(
        title="首页",
        slug="home",
        seo_title="渭滨区人民政府门户网站",
        first_published_at=ctx.now,
        last_published_at=ctx.now,
    )
    root.add_child(instance=home)
    url = urlsplit(settings.SITE_URL)
    site = Site.objects.create(
        hostname=url.hostname or "127.0.0.1",
        port=url.port or (443 if url.scheme == "https" else 80),
        site_name="渭滨区人民政府门户网站",
        root_page=home,
        is_default_site=True,
    )
    mark = _image_create(
        ctx.collection, "党政机关网站标识", "party-mark.png", files.party_mark_png()
    )
    site_code = "6103029901"  # fictional 政府网站标识码
    SiteIdentity.objects.update_or_create(
        site=site,
        defaults={
            "site_name": "渭滨区人民政府门户网站",
            "site_domain": "www.weibin.gov.cn",  # 第二条
            "sponsor": "渭滨区人民政府办公室",
            "operator": "渭滨区数字化信息服务中心",
            "builder": "渭滨区大数据发展服务局",
            "address": "陕西省宝鸡市渭滨区行政中心（演示地址）",
            "postcode": "721000",
            "phone": "0917-3200000",
            "email": "wbzfb@weibin.example",
            "site_code": site_code,
            "icp_number": "陕ICP备05098765号-1",
            "icp_url": "https://beian.miit.gov.cn/",
            "police_number": "陕公网安备 61030202000999号",
            "police_url": "https://beian.mps.gov.cn/#/query/webSearch?code=61030202000999",
            "party_mark": mark,
            "party_mark_url": "https://bszs.conac.cn/sitename?method=show&id=DEMO",
            "error_report_url": (
                "https://zfwzzc.www.gov.cn/check_web/errorInfo_querySiteInfo.action"
                f"?sitecode={site_code}"
            ),
        },
    )
    return home


def _column_create(ctx: _Context, parent: Page, spec: ColumnSpec) -> None:
    kinds = {k.code: k for k in ColumnKind.objects.all()}
    column = ColumnPage(
        title=spec.title,
        slug=spec.slug,
        kind=kinds[spec.kind],
        update_frequency=spec.frequency,
        description=spec.description,
        keywords=spec.keywords,
        body=spec.body.strip(),
        search_description=spec.description,
        first_published_at=ctx.now - dt.timedelta(days=760),
        last_published_at=ctx.now - dt.timedelta(days=760),
    )
    column.responsible_units = [ctx.units[code] for code in spec.units]
    parent.add_child(instance=column)
    ctx.columns[spec.slug] = column
    for child in spec.children:
        _column_create(ctx, column, child)


def _publish_time(rnd: random.Random, now: dt.datetime, age_days: float) -> dt.datetime:
    """A realistic publish time about `age_days` ago: mostly weekdays, mostly office hours."""
    day = (now - dt.timedelta(days=age_days)).date()
    if day.weekday() >= 5 and rnd.random() < 0.9:
        # Back to a working day of the same week (Friday … Monday), never forward.
        day -= dt.timedelta(days=day.weekday() - 4 + rnd.randint(0, 4))
    roll = rnd.random()
    if roll < 0.88:
        minute = rnd.randint(8 * 60 + 30, 18 * 60)
    elif roll < 0.96:
        minute = rnd.randint(18 * 60, 21 * 60 + 30)
    else:
        minute = rnd.randint(7 * 60, 8 * 60 + 30)
    naive = dt.datetime.combine(day, dt.time(minute // 60, minute % 60, rnd.randint(0, 59)))
    when = timezone.make_aware(naive, timezone.get_current_timezone())
    if when > now:
        when = now - dt.timedelta(minutes=rnd.randint(5, 90))
    return when


def _yearly_dates(
    rnd: random.Random, now: dt.datetime, month_day: tuple[int, int], count: int
) -> list[dt.datetime]:
    """One date a year (an annual report, a yearly guide): the latest `count` before now."""
    tz = timezone.get_current_timezone()
    out: list[dt.datetime] = []
    year = now.year
    while len(out) < count:
        when = dt.datetime(year, *month_day, rnd.randint(9, 11), rnd.randint(0, 59), tzinfo=tz)
        if when < now:
            out.append(when)
        year -= 1
    return sorted(out)


def _block_id(rnd: random.Random) -> str:
    return str(uuid.UUID(int=rnd.getrandbits(128), version=4))


def _articles_create(ctx: _Context, spec: ColumnSpec) -> None:
    rnd = ctx.rnd
    assert spec.genre is not None  # noqa: S101  (callers pass columns with a genre)
    column = ctx.columns[spec.slug]
    count = max(1, round(spec.articles * ctx.scale))
    if spec.yearly_on:
        dates = _yearly_dates(rnd, ctx.now, spec.yearly_on, count)
    else:
        newest_age = rnd.uniform(*spec.newest)
        ages = [newest_age] + [rnd.uniform(newest_age, spec.oldest) for _ in range(count - 1)]
        dates = sorted(_publish_time(rnd, ctx.now, age) for age in ages)
    reprints = set(rnd.sample(range(count), k=min(count, round(spec.reprints * ctx.scale))))
    if spec.reprints and not reprints:
        reprints = {count - 1}
    titles: set[str] = set()
    owner = next((ctx.owners[c] for c in spec.units if c in ctx.owners), ctx.owners["*"])
    first_unit = UNIT_BY_CODE[spec.units[0]]
    for index, pub_date in enumerate(dates):
        unit_code = rnd.choice(spec.units) if spec.genre in ("department", "town") else None
        unit_code = unit_code or spec.units[0]
        town_code = unit_code if unit_code in TOWNS else rnd.choice(TOWNS)
        words = text.words_pick(
            rnd,
            date=pub_date,
            unit=UNIT_BY_CODE[unit_code].name,
            town=UNIT_BY_CODE[town_code].name,
        )
        site_name, organ, url_pattern = rnd.choice(text.REPRINT_SITES)
        words.extra.update(site=site_name, organ=organ)
        title = text.title_pick(rnd, spec.genre, words)
        for _ in range(8):
            if title not in titles:
                break
            title = text.title_pick(rnd, spec.genre, words)
        titles.add(title)
        subject = {"district": "区政府", "town": words.town}.get(spec.genre, words.unit)
        unit = ctx.units[unit_code]
        paragraphs = text.body_paragraphs(
            rnd,
            spec.genre,
            words,
            subject=subject,
            contact=first_unit.contact,
            phone=unit.phone,
        )
        body: list[dict[str, Any]] = [
            {
                "type": "paragraph",
                "value": "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs),
                "id": _block_id(rnd),
            }
        ]
        cover, cover_alt = None, ""
        if rnd.random() < spec.images:
            cover, cover_alt = rnd.choice(ctx.pictures)
            body.insert(
                1 if len(paragraphs) > 1 else 0,
                {
                    "type": "image",
                    "value": {"image": cover.pk, "alt": cover_alt, "caption": title},
                    "id": _block_id(rnd),
                },
            )
        is_reprint = index in reprints
        article = ArticlePage(
            title=title,
            slug=f"art-{ctx.article_count + 1:04d}",
            source=site_name if is_reprint else words.unit,
            author="" if is_reprint else rnd.choice(text.AUTHORS),
            pub_date=pub_date,
            # The first paragraph that says something (not the 主送机关 line of a notice).
            summary=next((p for p in paragraphs if not p.endswith("：")), "")[:120],
            keywords=f"{words.topic},{spec.title}",
            cover=cover,
            cover_alt=cover_alt,
            body=body,
            is_reprint=is_reprint,
            reprint_site=site_name if is_reprint else "",
            reprint_url=(
                url_pattern.format(
                    y=pub_date.year, m=pub_date.month, d=pub_date.day, n=rnd.randint(10**5, 10**6)
                )
                if is_reprint
                else ""
            ),
            owner=owner,
            first_published_at=pub_date,
            last_published_at=pub_date,
        )
        if rnd.random() < spec.attachments:
            for attachment in _attachments_make(ctx, title, words, spec.genre):
                article.attachments.add(attachment)  # saved with the page (modelcluster)
        column.add_child(instance=article)
        ctx.article_count += 1
        if ctx.article_count % 100 == 0:
            ctx.log(f"  已生成文章 {ctx.article_count} 篇……")


def _attachments_make(
    ctx: _Context, title: str, words: text.Words, genre: str
) -> list[ArticleAttachment]:
    rnd = ctx.rnd
    n = ctx.article_count + 1
    document_model = get_document_model()
    lines = [f"{words.unit}", f"{words.date:%Y年%m月%d日}", "（演示文件）"]
    choices: list[tuple[str, str, bytes]] = [
        (
            f"{title}（全文）",
            "pdf",
            files.document_pdf(title[:30], [*lines, f"主题：{words.topic}"]),
        )
    ]
    if genre in ("notice", "area", "social", "employment", "enterprise", "disclosure_request"):
        choices.append(
            (
                "附件：申请表",
                "docx",
                files.document_docx(
                    "申请表", [f"单位名称：{words.unit}", "联系人：", "联系电话：", "申请事项："]
                ),
            )
        )
        choices.append(
            (
                "附件：项目清单",
                "xlsx",
                files.document_xlsx(
                    f"{words.topic}项目清单",
                    ["序号", "项目名称", "责任单位", "完成时限"],
                    [
                        [i, f"{words.topic}项目{i}", words.unit, f"{words.date.year}年{m}月"]
                        for i, m in enumerate(rnd.sample(range(1, 13), k=5), start=1)
                    ],
                ),
            )
        )
    if genre in ("finance", "statistics", "plan"):
        choices.append(
            (
                "附件：数据表",
                "xlsx",
                files.document_xlsx(
                    title[:30],
                    ["序号", "指标", "本期", "同比增长（%）"],
                    [
                        [i, name, rnd.randint(100, 9000), round(rnd.uniform(-3, 12), 1)]
                        for i, name in enumerate(
                            [
                                "一般公共预算收入",
                                "固定资产投资",
                                "社会消费品零售总额",
                                "规上工业增加值",
                            ],
                            start=1,
                        )
                    ],
                ),
            )
        )
    picked = rnd.sample(choices, k=min(len(choices), rnd.randint(1, 2)))
    out = []
    for order, (display, ext, data) in enumerate(picked):
        document = document_model(title=display, collection=ctx.collection)
        document.file.save(f"demo-{n:04d}-{order + 1}.{ext}", ContentFile(data), False)
        document._set_document_file_metadata()
        document.save()
        out.append(ArticleAttachment(document=document, title=display, sort_order=order))
    return out


def _topics_archive(ctx: _Context, user: User) -> None:
    """第十五条: an old special topic stays online, marked 已归档 with its archive date."""
    for spec in walk():
        if not spec.archived_topic:
            continue
        column = ctx.columns[spec.slug]
        log = page_archive(page=column, user=user, reason="专题活动已结束，归档保存。")
        # Backdate to when the topic closed: a little after its last article.
        newest = column.articles().first()
        closed_at = (newest.pub_date if newest else ctx.now) + dt.timedelta(days=30)
        ColumnPage.objects.filter(pk=column.pk).update(archived_at=closed_at)
        ArchiveLog.objects.filter(pk=log.pk).update(at=closed_at)


def _home_body_set(ctx: _Context, home: HomePage) -> None:
    rnd = ctx.rnd
    col = ctx.columns
    banners = [
        _image_create(ctx.collection, f"{name}专题横幅", f"banner-{i}.png", files.banner_png(rnd))
        for i, name in enumerate(BANNERS, start=1)
    ]

    def block(kind: str, value: dict[str, Any]) -> dict[str, Any]:
        return {"type": kind, "value": value, "id": _block_id(rnd)}

    def column_list(slug: str, count: int = 8) -> dict[str, Any]:
        return block("column_list", {"column": col[slug].pk, "title": "", "count": count})

    def entries(heading: str, style: str, slugs: list[str]) -> dict[str, Any]:
        items = [
            {
                "type": "item",
                "id": _block_id(rnd),
                "value": {
                    "title": col[s].title,
                    "page": col[s].pk,
                    "url": "",
                    "description": col[s].description[:60],
                },
            }
            for s in slugs
        ]
        return block("entries", {"heading": heading, "style": style, "entries": items})

    def banner(slug: str, image: Any) -> dict[str, Any]:
        title = col[slug].title
        return block(
            "banner",
            {"title": title, "page": col[slug].pk, "url": "", "image": image.pk, "alt": title},
        )

    home.body = [  # type: ignore[assignment]
        block("headline", {"column": col["district-news"].pk, "count": 6, "show_images": True}),
        banner("business-environment", banners[0]),
        column_list("notices"),
        column_list("department-news"),
        column_list("town-news"),
        column_list("policies", 6),
        column_list("interpretations", 6),
        entries(
            "办事服务",
            "service",
            [
                "guides",
                "convenience",
                "education",
                "medical",
                "social-security",
                "employment",
                "housing",
                "enterprise",
            ],
        ),
        entries("政民互动", "interaction", ["mailbox", "interviews", "surveys", "faq"]),
        banner("rural-revitalization", banners[1]),
    ]
    home.save()
