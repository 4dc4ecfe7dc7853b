from django.apps import AppConfig


class ChecksConfig(AppConfig):
    name = "govportal.checks"
    label = "checks"
    verbose_name = "内容检查"

    def ready(self) -> None:
        from govportal.checks import engine, services

        # Without a lexicon in the context, checks use the database lexicon of the site.
        engine.set_lexicon_provider(services.lexicon_for_site)
