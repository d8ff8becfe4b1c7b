"""The guides list's search box."""

from django import forms

from codes.search import MAX_QUERY_LENGTH


class GuideSearchForm(forms.Form):
    q = forms.CharField(
        label="Search guides",
        required=False,
        max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "autocomplete": "off",
                "placeholder": "caching, 401, redirects…",
            }
        ),
    )

    def clean_q(self):
        value = self.cleaned_data["q"]
        if any(ord(ch) < 32 for ch in value):
            raise forms.ValidationError("The search text contains control characters.")
        return value
