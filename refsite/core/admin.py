"""The admin base for models with history: django-simple-history's, hardened."""

from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin


class HistoryAdmin(SimpleHistoryAdmin):
    """SimpleHistoryAdmin whose history pages answer 404 to ids that are no ids.

    django-simple-history hands the ids of ``<pk>/history/`` and
    ``<pk>/history/<version>/`` straight to a lookup, so ``x/history/`` raised
    ValueError and answered 500.
    """

    def _valid_object_id(self, object_id: str) -> None:
        try:
            self.model._meta.pk.to_python(unquote(object_id))
        except ValidationError:
            raise Http404("No such object.") from None

    def history_view(self, request, object_id, extra_context=None):
        self._valid_object_id(object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._valid_object_id(object_id)
        if not (version_id.isascii() and version_id.isdigit()):
            raise Http404("No such version.")
        return super().history_form_view(request, object_id, version_id, extra_context)
