"""Run the periodic jobs of core/schedule.py until stopped (make run starts it)."""

from __future__ import annotations

import datetime as dt
import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management import get_commands
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from govportal.core.schedule import JOBS, Job, is_due


class Command(BaseCommand):
    help = "按计划运行定期任务（定时发布、可用性探测、防篡改比对、信箱提醒、日监测、月提醒）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="运行一遍当前到期的任务后退出（用于 cron）。"
        )
        parser.add_argument("--tick", type=float, default=5.0, help="检查间隔（秒），默认 5。")

    def handle(self, *args: Any, **options: Any) -> None:
        known = get_commands()
        jobs = [job for job in JOBS if job.command in known]
        for job in JOBS:
            if job.command not in known:
                self.stderr.write(f"跳过 {job.label}：没有命令 {job.command}。")
        last_run: dict[str, dt.datetime] = {}
        running: dict[str, subprocess.Popen[bytes]] = {}
        stopping = False

        def stop(*_: object) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping:
                now = timezone.localtime()
                for name, proc in list(running.items()):
                    if proc.poll() is not None:
                        del running[name]
                        if proc.returncode:
                            self.stderr.write(f"{name} 退出码 {proc.returncode}")
                for job in jobs:
                    # A job still running from its last start is not started again.
                    if job.command in running:
                        continue
                    if is_due(job, last_run=last_run.get(job.command), now=now):
                        last_run[job.command] = now
                        running[job.command] = self._start(job)
                if options["once"]:
                    for proc in running.values():
                        proc.wait()
                    return
                time.sleep(options["tick"])
        except KeyboardInterrupt:
            pass
        finally:
            for proc in running.values():
                if proc.poll() is None:
                    proc.terminate()

    def _start(self, job: Job) -> subprocess.Popen[bytes]:
        self.stdout.write(f"{timezone.localtime():%Y-%m-%d %H:%M:%S} 开始 {job.label}")
        self.stdout.flush()
        manage = settings.BASE_DIR / "manage.py"
        return subprocess.Popen(  # noqa: S603  (our own interpreter and commands)
            [sys.executable, str(manage), job.command, *job.args]
        )
