from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "refsite.core"
    label = "core"
    verbose_name = "Site core"

    def ready(self):
        from refsite.core import content_version

        content_version.connect_content_models()
