from django.apps import AppConfig


class GuidesConfig(AppConfig):
    name = "guides"
    verbose_name = "Guides"

    def ready(self):
        from codes import extensions
        from guides import library, starring
        from refsite.accounts import kinds

        # Code pages list the guides that cover them; search shows guides and FAQs.
        extensions.provide_covering(library.guides_covering)
        extensions.provide_search(library.search_hits)
        # People star guides and suggest edits to them through accounts' interface.
        kinds.register(starring.KIND)
