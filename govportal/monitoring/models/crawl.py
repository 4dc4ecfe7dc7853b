"""Crawl records: one run, every address it visited (the frontier is the same table) and every
link between them, attributed to the column and units that own the page it appears on."""

from __future__ import annotations

from django.db import models

from govportal.lib.crawl import ERROR_LABELS, is_broken


class CrawlRun(models.Model):
    class Mode(models.TextChoices):
        FULL = "full", "全量"
        INCREMENTAL = "incremental", "增量"

    class State(models.TextChoices):
        RUNNING = "running", "进行中"
        FINISHED = "finished", "已完成"
        # Closed by a later night with addresses left and no worker on it (crawl_runs_abandon);
        # the readers of finished runs never take its partial results.
        ABANDONED = "abandoned", "已中止"

    start_url = models.CharField("起始地址", max_length=2000)
    site = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name="站点",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    mode = models.CharField("方式", max_length=20, choices=Mode.choices, default=Mode.FULL)
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.RUNNING)
    previous = models.ForeignKey(
        "self", verbose_name="上次抓取", null=True, blank=True, on_delete=models.SET_NULL
    )
    # CrawlConfig fields that differ from the defaults (max_pages, per_host, rate, ...).
    config = models.JSONField("参数", default=dict, blank=True)
    started_at = models.DateTimeField("开始时间", auto_now_add=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = "抓取任务"
        verbose_name_plural = "抓取任务"
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.start_url} {self.started_at:%Y-%m-%d %H:%M}"


class CrawlPage(models.Model):
    """One address in a run: queued, claimed by a worker, then done with its result."""

    class State(models.TextChoices):
        QUEUED = "queued", "待抓取"
        CLAIMED = "claimed", "抓取中"
        DONE = "done", "已完成"

    run = models.ForeignKey(CrawlRun, on_delete=models.CASCADE, related_name="pages")
    url = models.CharField("地址", max_length=2000)
    kind = models.CharField("类型", max_length=20)  # lib.crawl.Kind
    state = models.CharField(
        "状态", max_length=20, choices=State.choices, default=State.QUEUED, db_index=True
    )
    claimed_by = models.CharField(max_length=64, blank=True, db_index=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    status = models.PositiveSmallIntegerField("HTTP 状态", null=True, blank=True)
    error = models.CharField("错误", max_length=30, blank=True)
    final_url = models.CharField("最终地址", max_length=2000, blank=True)
    redirects = models.JSONField("重定向", default=list, blank=True)
    elapsed = models.FloatField("用时（秒）", null=True, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    content_hash = models.CharField("内容哈希", max_length=64, blank=True)
    title = models.CharField("标题", max_length=300, blank=True)
    etag = models.CharField(max_length=200, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    unchanged = models.BooleanField("与上次相同", default=False)
    fetched_at = models.DateTimeField("抓取时间", null=True, blank=True)
    column = models.ForeignKey(
        "core.ColumnPage",
        verbose_name="所属栏目",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "抓取地址"
        verbose_name_plural = "抓取地址"
        constraints = [
            models.UniqueConstraint(fields=["run", "url"], name="monitoring_crawlpage_run_url")
        ]
        indexes = [models.Index(fields=["run", "state"], name="monitoring_crawlpage_frontier")]

    def __str__(self) -> str:
        return self.url

    @property
    def broken(self) -> bool:
        return self.state == self.State.DONE and is_broken(self.status, self.error or None)

    @property
    def problem(self) -> str:
        if self.error:
            return ERROR_LABELS.get(self.error, self.error)
        return f"HTTP {self.status}" if self.status else ""


class CrawlLink(models.Model):
    run = models.ForeignKey(CrawlRun, on_delete=models.CASCADE, related_name="links")
    source = models.ForeignKey(CrawlPage, on_delete=models.CASCADE, related_name="outlinks")
    target = models.ForeignKey(CrawlPage, on_delete=models.CASCADE, related_name="inlinks")
    anchor = models.CharField("链接文字", max_length=200, blank=True)
    tag = models.CharField(max_length=20)
    kind = models.CharField("链接类型", max_length=20)  # lib.crawl.link_kind
    column = models.ForeignKey(
        "core.ColumnPage",
        verbose_name="责任栏目",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Set when the run finishes, for broken links: the column's responsible units then.
    units = models.ManyToManyField(
        "core.Unit", verbose_name="责任单位", blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "链接"
        verbose_name_plural = "链接"

    def __str__(self) -> str:
        return f"{self.source_id} → {self.target_id}"


class CrawlFinding(models.Model):
    """What the content checks found on a crawled page or attachment (monitoring/content_scan).

    Attributed like a link: the column of the page (for an attachment, of the page that links to
    it) and that column's responsible units. The excerpt has personal data masked."""

    run = models.ForeignKey(CrawlRun, on_delete=models.CASCADE, related_name="findings")
    page = models.ForeignKey(
        CrawlPage, verbose_name="地址", on_delete=models.CASCADE, related_name="findings"
    )
    checker = models.CharField("检查类别", max_length=30)  # checks.engine.Category
    rule = models.CharField("规则", max_length=60)
    severity = models.CharField("级别", max_length=10)  # checks.engine.Severity
    message = models.CharField("说明", max_length=500)
    excerpt = models.CharField("摘录", max_length=300, blank=True)
    # The rule and the masked match: one problem per address, the same from one run to the next.
    key = models.CharField(max_length=300)
    column = models.ForeignKey(
        "core.ColumnPage",
        verbose_name="责任栏目",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    units = models.ManyToManyField(
        "core.Unit", verbose_name="责任单位", blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "内容检查发现"
        verbose_name_plural = "内容检查发现"
        constraints = [
            models.UniqueConstraint(
                fields=["run", "page", "key"], name="monitoring_crawlfinding_run_page_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.page_id} {self.rule}"

    @property
    def blocks(self) -> bool:
        return self.severity == "block"
