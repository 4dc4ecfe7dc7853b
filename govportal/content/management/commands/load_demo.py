"""Build the demo district portal (run by `make run` as `load_demo --if-empty`)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from govportal.demo.builder import SEED, demo_load, demo_remove, logins_path, portal_exists


class Command(BaseCommand):
    help = "生成演示用的渭滨区门户网站：单位、栏目、文章、账号。"

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--reset", action="store_true", help="删除已有的演示数据后重新生成。")
        group.add_argument(
            "--if-empty", action="store_true", help="数据库中已有门户网站时什么也不做。"
        )
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="文章数量的比例（默认 1，即 500 余篇；测试可用 0.1）。",
        )
        parser.add_argument("--seed", type=int, default=SEED, help="随机数种子（默认固定）。")
        parser.add_argument(
            "--no-crawl",
            action="store_true",
            help="首次日监测读网前不抓取网站（快；断链指标记为未测，供测试使用）。",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        scale = options["scale"]
        if not 0 < scale <= 10:
            raise CommandError("--scale 应在 0 到 10 之间。")
        if portal_exists():
            if options["if_empty"]:
                self.stdout.write("已有数据，跳过。")
                return
            if not options["reset"]:
                raise CommandError("数据库中已有门户网站。如需重建演示数据，请加 --reset。")
            demo_remove(log=self.stdout.write)
        self.stdout.write("正在生成演示数据……")
        result = demo_load(
            scale=scale,
            seed=options["seed"],
            log=self.stdout.write,
            crawl=not options["no_crawl"],
        )
        self.stdout.write("")
        self.stdout.write(result.logins_text)
        self.stdout.write(
            f"以上账号已保存到 {logins_path()}（仅本人可读），make run 时会再次显示。"
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"演示数据已生成: {result.units} 个单位、{result.columns} 个栏目、"
                f"{result.articles} 篇文章，用时 {result.seconds:.1f} 秒。"
            )
        )
