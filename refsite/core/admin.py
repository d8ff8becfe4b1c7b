"""The admin base for models with history (django-simple-history's, hardened), and the
content sync's conflicts."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from refsite.core import content_sync
from refsite.core.models import ContentConflict


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


@admin.register(ContentConflict)
class ContentConflictAdmin(admin.ModelAdmin):
    """Fields that the shipped files and an editor both changed: the editor decides.

    The change page shows both versions side by side; "take shipped" puts the
    files' text in the row (recorded in its history), "keep mine" keeps the row's
    and tells the next sync that the shipped text has been seen.
    """

    list_display = ("model", "key", "field", "created_at")
    list_filter = ("model", "field")
    actions = ("take_shipped", "keep_mine")
    fields = ("model", "key", "field", "created_at", "side_by_side")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False  # only a sync finds conflicts

    def has_change_permission(self, request, obj=None):
        return False  # resolved by the actions, not edited

    def has_resolve_permission(self, request):
        return request.user.has_perm("core.change_contentconflict")

    @admin.display(description="Current (editor's) and shipped versions")
    def side_by_side(self, obj):
        current, shipped = content_sync.current_text(obj), obj.shipped
        return format_html(
            '<div style="display:flex;gap:1em"><div style="flex:1"><h4>Current (kept)</h4>'
            '<pre style="white-space:pre-wrap">{}</pre></div><div style="flex:1">'
            '<h4>Shipped</h4><pre style="white-space:pre-wrap">{}</pre></div></div>',
            _display(current),
            _display(shipped),
        )

    @admin.action(description="Take the shipped version", permissions=["resolve"])
    def take_shipped(self, request, queryset):
        for conflict in queryset:
            content_sync.resolve(conflict, take_shipped=True)
        self.message_user(request, "The shipped version was put in place.")

    @admin.action(description="Keep mine (the current version)", permissions=["resolve"])
    def keep_mine(self, request, queryset):
        for conflict in queryset:
            content_sync.resolve(conflict, take_shipped=False)
        self.message_user(request, "The current version was kept.")


def _display(value) -> str:
    return value if isinstance(value, str) else content_sync.canonical(value)
