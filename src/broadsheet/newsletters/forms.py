"""The sign-up form and the preferences form (no account: a signed link opens the latter)."""

from django import forms

from broadsheet.core.antispam import SpamDefenceMixin
from broadsheet.newsroom.models import Section


class ChoicesForm(forms.Form):
    daily = forms.BooleanField(required=False, label="Daily digest: the day's main stories, each evening")
    weekly = forms.BooleanField(required=False, label="Weekly digest: the week in review, on Sundays")
    breaking = forms.BooleanField(required=False, label="Breaking news, as it happens")
    sections = forms.ModelMultipleChoiceField(
        queryset=Section.objects.navigation(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="New stories from these sections",
    )

    def clean(self):
        data = super().clean()
        if not (data.get("daily") or data.get("weekly") or data.get("breaking") or data.get("sections")):
            raise forms.ValidationError("Tick at least one newsletter.", code="nothing_chosen")
        return data


class SubscribeForm(SpamDefenceMixin, ChoicesForm):
    email = forms.EmailField(
        label="Your email address",
        max_length=254,
        error_messages={"invalid": "Enter an email address like name@example.com."},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    field_order = ["email", "daily", "weekly", "breaking", "sections"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("daily", True)
