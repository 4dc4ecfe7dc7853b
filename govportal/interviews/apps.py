from django.apps import AppConfig


class InterviewsConfig(AppConfig):
    name = "govportal.interviews"
    label = "interviews"
    verbose_name = "在线访谈"
