from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "govportal.core"
    label = "core"
    verbose_name = "网站与栏目"

    def ready(self) -> None:
        from govportal.core import (
            checks,  # noqa: F401  (registers the system checks)
            sitecache,
        )

        # Saves, publications and moves that change what every public page shows.
        sitecache.connect_signals()
