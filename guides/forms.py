"""The guides list's search box."""

from django import forms

from codes.search import MAX_QUERY_LENGTH
from refsite.core.validators import no_control_characters


class GuideSearchForm(forms.Form):
    q = forms.CharField(
        label="Search guides",
        required=False,
        max_length=MAX_QUERY_LENGTH,
        validators=[no_control_characters],
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "autocomplete": "off",
                "placeholder": "caching, 401, redirects…",
            }
        ),
    )
