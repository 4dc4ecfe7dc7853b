from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "govportal.knowledge"
    label = "knowledge"
    verbose_name = "知识库与智能问答"
