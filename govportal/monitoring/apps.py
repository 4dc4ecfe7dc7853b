from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "govportal.monitoring"
    label = "monitoring"
    verbose_name = "监测与监管"
