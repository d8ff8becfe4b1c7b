from django.apps import AppConfig


class CodesConfig(AppConfig):
    name = "codes"
    verbose_name = "Status codes"

    def ready(self):
        from codes import signals  # noqa: F401  (connects the cache invalidation)
