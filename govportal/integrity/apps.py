from django.apps import AppConfig


class IntegrityConfig(AppConfig):
    name = "govportal.integrity"
    label = "integrity"
    verbose_name = "防篡改与可用性监测"
