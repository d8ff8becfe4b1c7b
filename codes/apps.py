from django.apps import AppConfig


class CodesConfig(AppConfig):
    name = "codes"
    verbose_name = "Status codes"

    def ready(self):
        from codes import starring
        from refsite.accounts import kinds

        # People star codes and suggest edits to them through accounts' interface.
        kinds.register(starring.KIND)
