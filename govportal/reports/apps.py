from django.apps import AppConfig

from govportal.accounts.roles import Role


class ReportsConfig(AppConfig):
    name = "govportal.reports"
    label = "reports"
    verbose_name = "年度报告与统计"

    # accounts.services.role_permissions: the operator (运维监管) writes and publishes the
    # annual disclosure reports (条例第四十九条: the 主管部门 publishes the district's report).
    role_permissions = {
        Role.OPERATOR: [
            ("reports", "view_disclosurereport"),
            ("reports", "add_disclosurereport"),
            ("reports", "change_disclosurereport"),
        ],
    }
