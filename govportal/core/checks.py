"""System checks: invalid configuration stops start-up with a clear message."""

from typing import Any

from django.conf import settings
from django.core.checks import Error, Warning, register


def config_error_messages() -> list[str]:
    messages = list(getattr(settings, "CONFIG_ERRORS", []))
    if not settings.DEBUG and not settings.ALLOWED_HOSTS:
        messages.append("ALLOWED_HOSTS 为空: 请设置允许访问的主机名 (逗号分隔)。")
    if len(settings.SECRET_KEY) < 32:
        messages.append("SECRET_KEY 太短: 至少 32 个字符。")
    if not settings.SITE_URL.startswith(("http://", "https://")):
        messages.append(f"SITE_URL={settings.SITE_URL!r}: 应以 http:// 或 https:// 开头。")
    return messages


@register("govportal")
def config_errors(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    return [
        Error(msg, id=f"govportal.E{i + 1:03d}") for i, msg in enumerate(config_error_messages())
    ]


@register("govportal")
def time_zone(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    if settings.TIME_ZONE != "Asia/Shanghai":
        return [
            Warning(
                f"TIME_ZONE={settings.TIME_ZONE}: 发布时间与工作日期限按北京时间计算，应为 Asia/Shanghai。",
                id="govportal.W001",
            )
        ]
    return []
