"""The admin bases: history (django-simple-history's, hardened) and revisions, and
the content sync's conflicts.

``RevisionAdmin`` and ``RevisionInline`` make a form opened before someone
else's save refuse to overwrite it (see ``refsite.core.revisions``).
"""

from dataclasses import dataclass

from django import forms
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, router, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from simple_history.admin import SimpleHistoryAdmin

from refsite.core import content_sync
from refsite.core.diff import side_by_side
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


class RevisionField(forms.IntegerField):
    """The revision a form was opened at. Posting it back is no change of its own."""

    widget = forms.HiddenInput

    def has_changed(self, initial, data):
        return False


@dataclass(frozen=True)
class Conflict:
    """Someone saved the object after this form was opened: who, when, and the difference."""

    label: str
    who: str
    when: str
    diffs: list[tuple[str, str]]  # (field label, side-by-side HTML table)

    @property
    def message(self) -> str:
        return f"{self.label} was changed by {self.who} at {self.when} while you were editing."

    def as_html(self) -> SafeString:
        tables = format_html_join("", '<h4>{}</h4><div class="revision-diff">{}</div>', self.diffs)
        return format_html(
            "{} Nothing was saved. Their version is on the left, yours (still in the form) "
            "on the right. Save again to replace their version with yours.{}",
            self.message,
            tables,
        )


class RevisionForm(forms.ModelForm):
    """A model form that refuses to save over a change made since it was opened.

    The revision is posted back in a hidden field. If the row's revision moved on
    and this form would change something, ``clean`` refuses with a ``Conflict``
    naming who changed it and when (from the object's history) and a diff of
    their version against the editor's. The bound form keeps the editor's input
    and now carries the current revision, so saving again is a deliberate choice.
    """

    revision = RevisionField(required=False, min_value=1)
    parent: str | None = None  # an inline's foreign key to the object of its page

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflict: Conflict | None = None
        if self.instance.pk is not None and not self.instance._state.adding:
            self.initial["revision"] = self.instance.revision

    def clean(self):
        cleaned = super().clean()
        instance = self.instance
        if instance.pk is None or instance._state.adding:
            return cleaned
        posted = cleaned.get("revision")
        if posted is None:
            raise ValidationError(
                "This form carries no revision. Reload the page and make your change again.",
                code="no_revision",
            )
        if self.parent and not self.has_changed():
            return cleaned  # an unchanged inline row is not saved: nothing to check
        current = _current_revision(instance)
        if current is not None and posted != current:
            # Compare with the row as it is now (not as the form was built: a revert
            # form starts from an old version), field by field as the form sees them.
            saved = type(instance)._base_manager.get(pk=instance.pk)
            probe = type(self)(self.data, instance=saved, prefix=self.prefix)
            differing = [  # against the row, not a posted hidden initial (show_hidden_initial)
                name
                for name, bound in ((name, probe[name]) for name in probe.fields)
                if name != "revision" and bound.field.has_changed(bound.initial, bound.data)
            ]
            if differing:
                self.conflict = _conflict(self, probe, differing)
                self.data = self.data.copy()  # keep their input, carry the current revision
                self.data[self.add_prefix("revision")] = str(current)
                raise ValidationError(self.conflict.as_html(), code="stale")
            posted = current  # the form holds what is saved now: nothing to overwrite
        instance.revision = posted
        return cleaned


def _current_revision(instance) -> int | None:
    """The row's revision now, locked until the admin's transaction ends (PostgreSQL)."""
    rows = type(instance)._base_manager.filter(pk=instance.pk)
    if transaction.get_connection().in_atomic_block:
        rows = rows.select_for_update()
    return rows.values_list("revision", flat=True).first()


def _conflict(form, probe, differing: list[str]) -> Conflict:
    """``probe``: the same posted data over the row as saved now."""
    saved = probe.instance
    who, when = _last_change(saved)
    if when is None and form.parent:  # an inline row without history: its page's log
        who, when = _last_change(getattr(saved, form.parent))
    diffs = []
    for name in differing:
        field = form.fields[name]
        theirs = _as_text(field, probe.get_initial_for_field(field, name))
        yours = _as_text(field, form.cleaned_data.get(name))
        label = str(field.label or name)
        diffs.append((label, side_by_side(theirs, yours, f"Saved by {who}", "Yours")))
    label = f"{capfirst(saved._meta.verbose_name)} “{saved}”"
    return Conflict(label=label, who=who, when=when or "an unknown time", diffs=diffs)


def _last_change(instance) -> tuple[str, str | None]:
    """Who saved the object last and when: its history, else the admin's log."""
    user, at = None, None
    history = getattr(instance, "history", None)
    record = history.select_related("history_user").first() if history is not None else None
    if record is not None:
        user, at = record.history_user, record.history_date
    else:
        entry = (
            LogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(instance),
                object_id=str(instance.pk),
            )
            .select_related("user")
            .order_by("-action_time")
            .first()
        )
        if entry is not None:
            user, at = entry.user, entry.action_time
    who = user.get_username() if user is not None else "someone outside the admin"
    return who, date_format(timezone.localtime(at), "j M Y H:i:s T") if at else None


def _as_text(field, value) -> str:
    if isinstance(field, forms.ModelMultipleChoiceField):
        return "\n".join(sorted(str(item) for item in value or []))
    if isinstance(field, forms.ModelChoiceField) and not isinstance(value, models.Model | None):
        value = field.queryset.filter(pk=value).first()
    if isinstance(value, list | tuple):
        return "\n".join(str(item) for item in value)
    return "" if value is None else str(value)


def _with_revision(fieldsets):
    """The fieldsets with the hidden revision in the first one, so the form posts it."""
    names = [name for _, options in fieldsets for name in options.get("fields", ())]
    if "revision" in names:
        return fieldsets
    (title, options), *rest = fieldsets
    return [(title, {**options, "fields": [*options.get("fields", ()), "revision"]}), *rest]


def _has_conflict(context) -> bool:
    forms_ = [context["adminform"].form] if "adminform" in context else []
    for inline in context.get("inline_admin_formsets", []):
        forms_.extend(inline.formset.forms)
    return any(getattr(form, "conflict", None) for form in forms_)


class RevisionInline:
    """Mixin for an inline of a ``Revisioned`` model: each row posts its revision."""

    form = RevisionForm

    def get_fieldsets(self, request, obj=None):
        return _with_revision(super().get_fieldsets(request, obj))

    def get_formset(self, request, obj=None, **kwargs):
        """Each row knows its page's object, whose log says who saved a row without history."""
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = type(formset.form.__name__, (formset.form,), {"parent": formset.fk.name})
        return formset


class RevisionAdmin:
    """Mixin for the admin of a ``Revisioned`` model (``refsite.core.revisions``).

    A save refused because someone else saved first answers 409 Conflict, with
    the form and the editor's input. A save that changes nothing is not made, so
    it neither adds a history record nor makes other open forms stale.
    """

    form = RevisionForm

    class Media:
        css = {"all": ["css/admin-review.css"]}  # the diff of a refused save

    def get_fieldsets(self, request, obj=None):
        return _with_revision(super().get_fieldsets(request, obj))

    def save_model(self, request, obj, form, change):
        opts = self.opts
        on_change_page = (
            request.resolver_match.url_name == f"{opts.app_label}_{opts.model_name}_change"
        )
        if change and on_change_page and not form.has_changed():
            return  # a revert (the history form) always saves: it changes the row
        super().save_model(request, obj, form, change)

    def render_change_form(self, request, context, *args, **kwargs):
        response = super().render_change_form(request, context, *args, **kwargs)
        if request.method == "POST" and _has_conflict(context):
            response.status_code = 409
        return response

    def history_form_view(self, request, *args, **kwargs):
        """A revert checks and saves in one transaction, as the change form does."""
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().history_form_view(request, *args, **kwargs)

    def render_history_view(self, request, template, context, **kwargs):
        """The revert form of a ``HistoryAdmin`` refuses the same way."""
        if request.method == "POST" and _has_conflict(context):
            kwargs["status"] = 409
        return super().render_history_view(request, template, context, **kwargs)


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
    fields = ("model", "key", "field", "created_at", "both_versions")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False  # only a sync finds conflicts

    def has_change_permission(self, request, obj=None):
        return False  # resolved by the actions, not edited

    def has_resolve_permission(self, request):
        return request.user.has_perm("core.change_contentconflict")

    @admin.display(description="Current (editor's) and shipped versions")
    def both_versions(self, obj):
        current, shipped = content_sync.current_text(obj), obj.shipped
        return side_by_side(_display(current), _display(shipped), "Current (kept)", "Shipped")

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
