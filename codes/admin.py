"""The editors' workspace for the catalogue."""

from django.contrib import admin, messages
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html

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
from refsite.core.admin import HistoryAdmin, RevisionAdmin, RevisionInline


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
