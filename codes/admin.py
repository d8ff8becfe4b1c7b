"""The editors' workspace for the catalogue."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.forms.formsets import all_valid
from django.http import Http404
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.html import format_html
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST

from codes.catalogue import get_catalogue
from codes.choosing import check_tree, reachable_codes
from codes.models import (
    CLASS_NAMES,
    FAQ,
    Comparison,
    Constant,
    DecisionAlternative,
    DecisionAnswer,
    DecisionQuestion,
    ResponseHeader,
    StatusCode,
)
from codes.views import code_page_context
from refsite.core.admin import HistoryAdmin, RevisionAdmin, RevisionInline
from refsite.core.http_cache import mark_preview


def _with_rows(obj, name: str, rows: list) -> None:
    """Make ``obj.<name>.all()`` return ``rows``, as prefetch_related would, unsaved or not.

    The code page reads a meaning's headers, FAQs, constants and related codes
    through their managers; a preview hands it the form's rows instead.
    """
    queryset = getattr(obj, name).none()
    queryset._result_cache = rows
    queryset._prefetch_done = True
    if not hasattr(obj, "_prefetched_objects_cache"):
        obj._prefetched_objects_cache = {}
    obj._prefetched_objects_cache[name] = queryset


def _sort_key(row, field: str) -> tuple:
    """One field of a Meta.ordering entry; "-" (descending) only orders booleans and
    numbers here, and rows without an id yet (added in the form) come last."""
    value = getattr(row, field.lstrip("-"))
    if value is None:
        return (1, 0)
    return (0, -value if field.startswith("-") else value)


class ClassFilter(admin.SimpleListFilter):
    title = "class"
    parameter_name = "class"

    def lookups(self, request, model_admin):
        return [(str(d), f"{d}xx {name}") for d, name in CLASS_NAMES.items()] + [
            ("other", "Outside 1xx-5xx")
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "other":
            return queryset.outside_classes()
        if value and value.isdigit() and int(value) in CLASS_NAMES:
            return queryset.in_class(int(value))
        return queryset


class VendorFilter(admin.SimpleListFilter):
    title = "vendor"
    parameter_name = "vendor"

    def lookups(self, request, model_admin):
        vendors = (
            StatusCode.objects.exclude(vendor="")
            .order_by("vendor")
            .values_list("vendor", flat=True)
            .distinct()
        )
        return [("-", "None (registered)")] + [(v, v) for v in vendors]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "-":
            return queryset.filter(vendor="")
        if value:
            return queryset.filter(vendor=value)
        return queryset


class FAQInline(RevisionInline, admin.StackedInline):
    model = FAQ
    extra = 0
    fields = ["question", "answer", "order", "published"]


class ResponseHeaderInline(admin.TabularInline):
    model = ResponseHeader
    extra = 0
    fields = ["name", "requirement", "note", "order"]


class ConstantInline(admin.TabularInline):
    model = Constant
    extra = 0
    fields = ["ecosystem", "name", "primary", "deprecated", "note"]


@admin.register(StatusCode)
class StatusCodeAdmin(RevisionAdmin, HistoryAdmin):
    list_display = ["code", "phrase", "class_label", "status", "vendor", "published", "updated_at"]
    list_display_links = ["code", "phrase"]
    list_filter = [ClassFilter, "status", VendorFilter, "published"]
    search_fields = ["phrase", "keywords", "also_known_as", "vendor", "summary"]
    autocomplete_fields = ["related"]
    inlines = [ResponseHeaderInline, FAQInline, ConstantInline]
    readonly_fields = ["registry_description", "registry_reference", "created_at", "updated_at"]
    list_per_page = 200
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "code",
                    "slug",
                    "phrase",
                    "status",
                    "vendor",
                    "vendor_note",
                    "also_known_as",
                    "published",
                ]
            },
        ),
        (
            "Explanation",
            {
                "fields": [
                    "summary",
                    "description",
                    "when_to_use",
                    "when_not_to_use",
                    "causes",
                    "fixes",
                ]
            },
        ),
        ("Search", {"fields": ["keywords", "related"]}),
        (
            "Specification",
            {
                "fields": [
                    "spec_document",
                    "spec_section",
                    "spec_title",
                    "spec_url",
                    "heuristically_cacheable",
                    "registry_description",
                    "registry_reference",
                ]
            },
        ),
        ("History", {"fields": ["created_at", "updated_at"]}),
    ]

    def get_urls(self):
        """Add ``<id>/preview/``, where the change form's "Preview" button posts the
        unsaved form (templates/admin/codes/statuscode/change_form.html)."""
        preview = csrf_protect(require_POST(self.preview_view))
        name = f"{self.opts.app_label}_{self.opts.model_name}_preview"
        return [path("<path:object_id>/preview/", preview, name=name), *super().get_urls()]

    def preview_view(self, request, object_id):
        """The code page with the change form's unsaved values; nothing is saved.

        Only for editors who may change the code: anyone else signed in gets 403,
        not the admin's login page. Never cached, never indexed (mark_preview).
        """
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        if not (request.user.is_active and request.user.is_staff):
            raise PermissionDenied
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404("No such status code.")
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        form = self.get_form(request, obj, change=True)(request.POST, instance=obj)
        formsets, _ = self._create_formsets(request, obj, change=True)
        if not (form.is_valid() and all_valid(formsets)):
            context = {"form": form, "formsets": formsets, "original": obj, "opts": self.opts}
            response = render(request, "admin/codes/statuscode/preview_invalid.html", context)
            response.status_code = 422
            return mark_preview(response)
        edited = form.instance  # the posted values, applied in memory by is_valid()
        for formset in formsets:
            rows = [
                f.instance
                for f in formset.forms
                if (f.instance.pk or f.has_changed()) and not formset._should_delete_form(f)
            ]
            if formset.model is FAQ:
                rows = [faq for faq in rows if faq.published]  # as the catalogue loads them
            fk = formset.fk.name
            ordering = [f for f in formset.model._meta.ordering if f.lstrip("-") != fk]
            rows.sort(key=lambda row: tuple(_sort_key(row, field) for field in ordering))
            _with_rows(edited, formset.fk.remote_field.get_accessor_name(), rows)
        _with_rows(edited, "related", list(form.cleaned_data["related"].published()))
        others = [m for m in get_catalogue().meanings(edited.code) if m.pk != edited.pk]
        meanings = sorted([edited, *others], key=lambda m: (m.position, m.slug))
        context = code_page_context(request, meanings)
        context["preview"] = edited
        return mark_preview(render(request, "codes/detail.html", context))

    @admin.display(description="class", ordering="code")
    def class_label(self, obj):
        return obj.class_label

    def get_search_results(self, request, queryset, search_term):
        """Also match the number itself: "404" finds 404, "40" finds 400 to 409."""
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        if term.isdigit() and len(term) <= 3:
            low = int(term.ljust(3, "0"))
            high = int(term.ljust(3, "9"))
            queryset |= self.model.objects.filter(Q(code__gte=low, code__lte=high))
        return queryset, may_have_duplicates


@admin.register(FAQ)
class FAQAdmin(RevisionAdmin, HistoryAdmin):
    list_display = ["question", "status_code", "order", "published", "updated_at"]
    list_filter = ["published"]
    list_select_related = ["status_code"]
    search_fields = ["question", "answer"]
    autocomplete_fields = ["status_code"]


class DecisionAnswerInline(RevisionInline, admin.TabularInline):
    model = DecisionAnswer
    fk_name = "question"
    extra = 0
    fields = ["order", "text", "next_question", "result", "explanation", "edit_link"]
    readonly_fields = ["edit_link"]
    autocomplete_fields = ["result", "next_question"]

    @admin.display(description="alternatives")
    def edit_link(self, obj):
        if not obj.pk or not obj.result_id:
            return ""
        url = reverse("admin:codes_decisionanswer_change", args=[obj.pk])
        return format_html('<a href="{}">Edit alternatives</a>', url)


@admin.register(DecisionQuestion)
class DecisionQuestionAdmin(RevisionAdmin, admin.ModelAdmin):
    list_display = ["slug", "question"]
    search_fields = ["slug", "question"]
    inlines = [DecisionAnswerInline]

    def changelist_view(self, request, extra_context=None):
        """Show the tree check above the list, so editors see a broken tree at once."""
        problems = check_tree()
        for problem in problems:
            messages.error(request, problem)
        if not problems:
            messages.info(request, f"The tree is sound: it reaches {len(reachable_codes())} codes.")
        return super().changelist_view(request, extra_context)


class DecisionAlternativeInline(admin.TabularInline):
    model = DecisionAlternative
    extra = 0
    autocomplete_fields = ["code"]


@admin.register(DecisionAnswer)
class DecisionAnswerAdmin(RevisionAdmin, admin.ModelAdmin):
    list_display = ["question", "text", "next_question", "result"]
    list_select_related = ["question", "next_question", "result"]
    search_fields = ["text", "question__question"]
    autocomplete_fields = ["question", "next_question", "result"]
    inlines = [DecisionAlternativeInline]


@admin.register(Comparison)
class ComparisonAdmin(RevisionAdmin, admin.ModelAdmin):
    list_display = ["__str__", "updated_at"]
    list_select_related = ["first", "second"]
    autocomplete_fields = ["first", "second"]
