"""The index's search and filter form; also validates what arrives in the URL."""

from django import forms

from codes.models import CLASS_NAMES
from codes.search import MAX_QUERY_LENGTH
from refsite.core.validators import no_control_characters


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search status codes",
        required=False,
        max_length=MAX_QUERY_LENGTH,
        strip=True,
        validators=[no_control_characters],
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": "404, 4xx, rate limit, StatusTooManyRequests…",
                "autocomplete": "off",
                "spellcheck": "false",
                "enterkeyhint": "search",
            }
        ),
    )
    cls = forms.TypedChoiceField(
        label="Class",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "All classes")]
        + [(str(d), f"{d}xx {name}") for d, name in CLASS_NAMES.items()],
    )
    unofficial = forms.ChoiceField(
        label="Unofficial codes",
        required=False,
        choices=[("include", "Include"), ("exclude", "Hide"), ("only", "Only unofficial")],
    )

    def has_filters(self) -> bool:
        data = self.cleaned_data
        unofficial = data.get("unofficial") not in ("", "include")
        return bool(data.get("q") or data.get("cls") or unofficial)

    def filter_docs(self, docs):
        """Apply the class and unofficial filters (not the text search) to index entries."""
        if not self.is_bound:
            return docs
        digit = self.cleaned_data.get("cls")
        unofficial = self.cleaned_data.get("unofficial")
        if digit:
            docs = [d for d in docs if d.row.class_digit == digit]
        if unofficial == "exclude":
            docs = [d for d in docs if not d.row.is_unofficial]
        elif unofficial == "only":
            docs = [d for d in docs if d.row.is_unofficial]
        return docs
