"""Serve the portal: the web server, a django-tasks worker and the scheduler together (make run).

Prints the demo logins, starts the three processes, and stops all when one exits or on Ctrl-C.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIND = os.environ.get("BIND", "127.0.0.1:8000")


def main() -> int:
    # Written by `manage.py load_demo` (mode 600); the same directory the settings use.
    logins = Path(os.environ.get("GOVPORTAL_VAR_DIR", ROOT / "var")) / "demo-logins.txt"
    if logins.exists():
        print(logins.read_text(encoding="utf-8"), flush=True)
    web = [
        PYTHON, "-m", "gunicorn", "govportal.wsgi:application",
        "--bind", BIND, "--workers", os.environ.get("WEB_WORKERS", "2"),
        "--threads", "4", "--access-logfile", "-",
    ]  # fmt: skip
    worker = [PYTHON, "manage.py", "db_worker", "--interval", "1"]
    scheduler = [PYTHON, "manage.py", "run_schedule"]
    procs = [
        subprocess.Popen(web, cwd=ROOT),  # noqa: S603  (our own interpreter and arguments)
        subprocess.Popen(worker, cwd=ROOT),  # noqa: S603
        subprocess.Popen(scheduler, cwd=ROOT),  # noqa: S603
    ]
    print(
        f"门户网站已启动: http://{BIND}/  管理后台: http://{BIND}/admin/  (Ctrl-C 停止)", flush=True
    )

    def stop(*_: object) -> None:
        for proc in procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    code = 0
    try:
        while all(proc.poll() is None for proc in procs):
            time.sleep(0.5)
        code = next(proc.returncode for proc in procs if proc.returncode is not None)
    except KeyboardInterrupt:
        pass
    finally:
        stop()
        deadline = time.monotonic() + 10
        for proc in procs:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
    return code


if __name__ == "__main__":
    sys.exit(main())
