"""Any change to the catalogue bumps its version, so every process rebuilds its search index."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from codes.models import FAQ, Constant, ResponseHeader, StatusCode
from codes.search import bump_catalogue_version


def catalogue_changed(sender, **kwargs):
    # Now, for this process; and after commit, so no process keeps a copy read mid-transaction.
    bump_catalogue_version()
    transaction.on_commit(bump_catalogue_version)


for model in (StatusCode, Constant, FAQ, ResponseHeader):
    post_save.connect(
        catalogue_changed, sender=model, dispatch_uid=f"catalogue-save-{model.__name__}"
    )
    post_delete.connect(
        catalogue_changed, sender=model, dispatch_uid=f"catalogue-delete-{model.__name__}"
    )
m2m_changed.connect(
    catalogue_changed, sender=StatusCode.related.through, dispatch_uid="catalogue-related"
)
