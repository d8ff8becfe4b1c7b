from django.apps import AppConfig


class GuidesConfig(AppConfig):
    name = "guides"
    verbose_name = "Guides"

    def ready(self):
        from guides import signals  # noqa: F401  (connects the cache invalidation)
