"""Editors review suggested edits here: a side-by-side diff, then accept or reject."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils.html import format_html
from django.views.decorators.http import require_http_methods

from refsite.accounts.models import SharedSheet, Star, Suggestion
from refsite.accounts.services import (
    ChangedSince,
    ReviewError,
    accept_suggestion,
    reject_suggestion,
)
from refsite.core.diff import side_by_side


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "user", "status", "created_at", "review_link"]
    list_filter = ["status"]
    list_select_related = ["user"]
    search_fields = ["new_text", "reason", "user__username"]
    exclude = ["content_type", "object_id"]
    readonly_fields = [
        "user",
        "target",
        "field",
        "original_text",
        "new_text",
        "reason",
        "status",
        "reviewer",
        "review_note",
        "created_at",
        "reviewed_at",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("target")  # a query per kind

    def has_add_permission(self, request):
        return False  # suggestions come from the site's "Suggest an edit" form

    @admin.display(description="review")
    def review_link(self, obj):
        url = reverse("admin:accounts_suggestion_review", args=[obj.pk])
        label = "Review" if obj.status == Suggestion.Status.PENDING else "See diff"
        return format_html('<a href="{}">{}</a>', url, label)

    def get_urls(self):
        review = self.admin_site.admin_view(self.review_view)
        return [
            path("<int:pk>/review/", review, name="accounts_suggestion_review"),
            *super().get_urls(),
        ]

    def review_view(self, request, pk):
        return _review(request, self, pk)


@require_http_methods(["GET", "HEAD", "POST"])
def _review(request, model_admin, pk):
    if not model_admin.has_change_permission(request):
        raise PermissionDenied
    suggestion = get_object_or_404(
        Suggestion.objects.select_related("user").prefetch_related("target"), pk=pk
    )
    status = 200
    if request.method == "POST":
        decision = request.POST.get("decision")
        try:
            if decision in ("accept", "apply_over_current"):
                accept_suggestion(
                    suggestion=suggestion,
                    reviewer=request.user,
                    over_current=decision == "apply_over_current",
                )
                messages.success(request, f"Accepted: {suggestion.target} now has the new text.")
            else:
                reject_suggestion(
                    suggestion=suggestion,
                    reviewer=request.user,
                    note=request.POST.get("review_note", ""),
                )
                messages.info(request, "Rejected; the user sees your reason on their account page.")
            return redirect("admin:accounts_suggestion_changelist")
        except ChangedSince as error:
            messages.error(request, str(error))
            status = 409  # nothing applied: the reviewer must choose with all three texts
        except ReviewError as error:
            messages.error(request, str(error))
    current = suggestion.current_text or ""
    context = {
        **model_admin.admin_site.each_context(request),
        "title": f"Review {suggestion}",
        "suggestion": suggestion,
        "diff": side_by_side(current, suggestion.new_text, "Current text", "Suggested text"),
        "opts": model_admin.model._meta,
    }
    if suggestion.status == Suggestion.Status.PENDING and suggestion.changed_since:
        original = suggestion.original_text
        context["changed_since"] = {
            "since": side_by_side(original, current, "Original (when suggested)", "Current text"),
            "suggested": side_by_side(
                original, suggestion.new_text, "Original (when suggested)", "Suggested text"
            ),
            "edit_url": _admin_change_url(suggestion),
        }
    return TemplateResponse(
        request, "admin/accounts/suggestion_review.html", context, status=status
    )


def _admin_change_url(suggestion) -> str | None:
    """The target's own admin page, to edit by hand (its app registers it, accounts do not)."""
    content_type = suggestion.content_type
    try:
        return reverse(
            f"admin:{content_type.app_label}_{content_type.model}_change",
            args=[suggestion.object_id],
        )
    except NoReverseMatch:
        return None


@admin.register(Star)
class StarAdmin(admin.ModelAdmin):
    list_display = ["user", "target", "created_at"]
    list_select_related = ["user"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("target")  # a query per kind


@admin.register(SharedSheet)
class SharedSheetAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at"]
    list_select_related = ["user"]


class UniqueEmailChangeForm(UserChangeForm):
    """The admin's user form, refusing an address another account holds in any case.

    The database refuses it too (a unique index on lower(email), migration 0004);
    this turns that into a form error rather than a 500.
    """

    def clean_email(self):
        email = self.cleaned_data.get("email", "")
        taken = User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk)
        if email and taken.exists():
            raise ValidationError("Another account already uses this e-mail address.")
        return email


admin.site.unregister(User)


@admin.register(User)
class AccountAdmin(UserAdmin):
    form = UniqueEmailChangeForm
