"""Suggestions: sending one under the pending cap, and reviewing it (a write that spans
the suggestion and the page it changes)."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from refsite.accounts.models import MAX_PENDING_SUGGESTIONS, Suggestion


class TooManyPending(ValueError):
    def __init__(self, pending: int):
        super().__init__(
            f"You already have {pending} suggestions waiting for review. "
            "Please wait until an editor has looked at them."
        )


def submit_suggestion(*, user, target, field: str, new_text: str, reason: str) -> Suggestion:
    """Save a suggestion, unless ``user`` already has ``MAX_PENDING_SUGGESTIONS`` waiting.

    The count and the insert hold a lock on the user's row (SELECT ... FOR UPDATE
    on PostgreSQL; on SQLite the transaction's write lock does it), so requests
    that arrive together take turns instead of all seeing room for one more.
    """
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=user.pk).exists()
        pending = Suggestion.objects.pending().filter(user=user).count()
        if pending >= MAX_PENDING_SUGGESTIONS:
            raise TooManyPending(pending)
        return Suggestion.objects.create(
            user=user,
            target=target,
            field=field,
            original_text=getattr(target, field, ""),
            new_text=new_text,
            reason=reason,
        )


class ReviewError(ValueError):
    pass


class ChangedSince(ReviewError):
    def __init__(self):
        super().__init__(
            "The text changed after this suggestion was made. Compare the three versions "
            "and choose: apply the suggestion over the current text, edit by hand, or reject."
        )


def accept_suggestion(*, suggestion: Suggestion, reviewer, over_current: bool = False) -> None:
    """Apply the suggested text to the code or guide, recording who and why in its history.

    If the field changed since the suggestion was made, applying it would undo
    that change unseen, so it needs ``over_current``: the reviewer's explicit
    choice after seeing the original, current and suggested texts.
    """
    with transaction.atomic():
        suggestion = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
        if suggestion.status != Suggestion.Status.PENDING:
            raise ReviewError("This suggestion has already been reviewed.")
        model = suggestion.content_type.model_class()
        target = model._default_manager.select_for_update().filter(pk=suggestion.object_id).first()
        if target is None:
            raise ReviewError("The page this suggestion is for no longer exists.")
        current = getattr(target, suggestion.field, "")
        original = suggestion.original_text
        if original is not None and current != original and not over_current:
            raise ChangedSince()
        setattr(target, suggestion.field, suggestion.new_text)
        target._change_reason = f"Accepted suggestion #{suggestion.pk} from {suggestion.user}"
        target._history_user = reviewer
        target.save()
        suggestion.status = Suggestion.Status.ACCEPTED
        suggestion.reviewer = reviewer
        suggestion.reviewed_at = timezone.now()
        suggestion.save(update_fields=["status", "reviewer", "reviewed_at"])


def reject_suggestion(*, suggestion: Suggestion, reviewer, note: str) -> None:
    if not note.strip():
        raise ReviewError("Say why the suggestion is rejected; the user will see it.")
    with transaction.atomic():
        suggestion = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
        if suggestion.status != Suggestion.Status.PENDING:
            raise ReviewError("This suggestion has already been reviewed.")
        suggestion.status = Suggestion.Status.REJECTED
        suggestion.reviewer = reviewer
        suggestion.review_note = note.strip()
        suggestion.reviewed_at = timezone.now()
        suggestion.save(update_fields=["status", "reviewer", "review_note", "reviewed_at"])
