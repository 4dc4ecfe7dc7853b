from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "govportal.surveys"
    label = "surveys"
    verbose_name = "征集调查"
