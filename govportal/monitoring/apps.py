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

# 第十八条 (防篡改) and 站点无法访问: the operator and the security admin read the alerts and probes
# and may restore a tampered page; the operator also keeps the list of sites to probe.
INTEGRITY_PERMISSIONS = [
    ("monitoring", "view_integrityalert"),
    ("monitoring", "restore_integrityalert"),
    ("monitoring", "view_probetarget"),
    ("monitoring", "view_availabilityprobe"),
    ("monitoring", "view_integritycheck"),
    ("monitoring", "view_elementcheck"),
]
PROBE_TARGET_PERMISSIONS = [
    ("monitoring", "add_probetarget"),
    ("monitoring", "change_probetarget"),
    ("monitoring", "delete_probetarget"),
    ("monitoring", "view_pagefingerprint"),
]

# 单项否决“安全、泄密事故等严重问题”: the operator records the incidents nobody's machine finds
# (and corrects a record); no role deletes one, so a recorded incident cannot quietly leave the
# veto's window. The auditor (审计管理员) reads them.
SECURITY_INCIDENT_PERMISSIONS = [
    ("monitoring", "view_securityincident"),
    ("monitoring", "add_securityincident"),
    ("monitoring", "change_securityincident"),
]
SECURITY_INCIDENT_VIEW = [("monitoring", "view_securityincident")]


class MonitoringConfig(AppConfig):
    name = "govportal.monitoring"
    label = "monitoring"
    verbose_name = "监测与监管"

    @property
    def role_permissions(self) -> dict[str, list[tuple[str, str]]]:
        return {
            Role.OPERATOR: [
                *SUPERVISION_PERMISSIONS,
                *INTEGRITY_PERMISSIONS,
                *PROBE_TARGET_PERMISSIONS,
                *SECURITY_INCIDENT_PERMISSIONS,
            ],
            Role.SECURITY_ADMIN: list(INTEGRITY_PERMISSIONS),
            Role.AUDITOR: list(SECURITY_INCIDENT_VIEW),
        }

    def ready(self) -> None:
        # 防篡改 (第十八条): fingerprint each page as it is published (integrity part).
        from govportal.monitoring import (
            integrity_rules,  # noqa: F401  (registers rule kinds)
            security_rules,  # noqa: F401  (registers rule kinds)
        )
        from govportal.monitoring.integrity import connect_signals

        connect_signals()
