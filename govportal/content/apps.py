from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "govportal.content"
    label = "content"
    verbose_name = "内容"
