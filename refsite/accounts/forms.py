"""Forms for signing up and suggesting edits; Django's own forms do the rest."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm


class SignUpForm(forms.Form):
    """Step one of signing up: only an address, so the answer can be the same for every one."""

    email = forms.EmailField(
        max_length=254,
        help_text="We send a link there to finish signing up. "
        "It is used only for that and to reset your password.",
    )

    def clean_email(self):
        return get_user_model().objects.normalize_email(self.cleaned_data["email"].strip())


class FinishSignUpForm(UserCreationForm):
    """Step two, behind the e-mailed link: a user name and a password for that address.

    The address comes from the link (``instance.email``), so the password checks
    can compare the password with it too.
    """

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ["username"]


class SuggestionForm(forms.Form):
    field = forms.ChoiceField(label="Which part")
    new_text = forms.CharField(
        label="Your new text",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=20_000,
        help_text="Markdown, as on the page. Replace the whole part, not just a sentence.",
    )
    reason = forms.CharField(
        label="Why",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2_000,
        help_text="What is wrong or missing now? A source helps the editors.",
    )

    def __init__(self, *args, target, fields: dict[str, str], **kwargs):
        """``fields``: the parts of ``target`` a suggestion may change (its kind's).

        The cap on pending suggestions is not checked here but where the suggestion
        is saved (``services.submit_suggestion``), under a lock.
        """
        super().__init__(*args, **kwargs)
        self.target = target
        self.fields["field"].choices = list(fields.items())

    def clean(self):
        data = super().clean()
        field, text = data.get("field"), data.get("new_text")
        if (
            field
            and text is not None
            and text.strip() == (getattr(self.target, field) or "").strip()
        ):
            self.add_error("new_text", "This is the same as the current text.")
        return data
