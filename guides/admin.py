"""The editors' workspace for guides."""

from django.contrib import admin
from django.utils.html import format_html

from guides.library import get_library
from guides.models import Guide, GuideFAQ, Tag
from refsite.core.admin import HistoryAdmin, RevisionAdmin, RevisionInline


class GuideFAQInline(RevisionInline, admin.StackedInline):
    model = GuideFAQ
    fields = ["question", "answer", "order", "published"]
    extra = 0


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Guide)
class GuideAdmin(RevisionAdmin, HistoryAdmin):
    list_display = ["title", "status", "published_at", "updated_at", "author", "preview_link"]
    list_filter = ["status", "tags", "author"]
    list_select_related = ["author"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["related_codes", "tags"]
    date_hierarchy = "published_at"
    inlines = [GuideFAQInline]
    readonly_fields = ["updated_at", "preview_link"]
    fields = [
        "title",
        "slug",
        "summary",
        "body",
        "status",
        "published_at",
        "author",
        "tags",
        "related_codes",
        "updated_at",
        "preview_link",
    ]

    @admin.display(description="preview")
    def preview_link(self, obj):
        if not obj.pk:
            return "Save first to preview."
        label = "View" if get_library().get(obj.slug) else "Preview"  # public, or not yet
        return format_html('<a href="{}" target="_blank">{}</a>', obj.get_absolute_url(), label)

    def get_changeform_initial_data(self, request):
        return {"author": request.user.pk, **super().get_changeform_initial_data(request)}
