"""Guide edits change what code pages and search show, so they bump the catalogue version."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from codes.signals import catalogue_changed
from guides.models import Guide, Tag

for model in (Guide, Tag):
    post_save.connect(catalogue_changed, sender=model, dispatch_uid=f"guides-save-{model.__name__}")
    post_delete.connect(
        catalogue_changed, sender=model, dispatch_uid=f"guides-delete-{model.__name__}"
    )
for through in (Guide.tags.through, Guide.related_codes.through):
    m2m_changed.connect(
        catalogue_changed, sender=through, dispatch_uid=f"guides-{through.__name__}"
    )
