from django.apps import AppConfig

from govportal.accounts.roles import Role

# 第二十二条、第二十三条: the operator (运维监管, the office that supervises the site) reads the
# daily checks, keeps the duty log, follows every work order and records accountability
# measures. The supervision screens also check the role themselves; units see their own orders
# through their unit groups, not through model permissions.
SUPERVISION_PERMISSIONS = [
    ("monitoring", "view_checkrun"),
    ("monitoring", "change_checkrun"),
    ("monitoring", "view_measurement"),
    ("monitoring", "view_workorder"),
    ("monitoring", "change_workorder"),
    ("monitoring", "view_unitreminder"),
    ("monitoring", "view_accountabilitymeasure"),
    ("monitoring", "add_accountabilitymeasure"),
    ("monitoring", "view_crawlrun"),
]


class MonitoringConfig(AppConfig):
    name = "govportal.monitoring"
    label = "monitoring"
    verbose_name = "监测与监管"

    @property
    def role_permissions(self) -> dict[str, list[tuple[str, str]]]:
        return {Role.OPERATOR: list(SUPERVISION_PERMISSIONS)}

    def ready(self) -> None:
        # 防篡改 (第十八条): fingerprint each page as it is published (integrity part).
        from govportal.monitoring.integrity import connect_signals

        connect_signals()
