"""The "Leave a Reply" form: Comment, Name and Email required, Website optional, two opt-ins."""

from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError

from broadsheet.core.antispam import SpamDefenceMixin
from broadsheet.core.text import as_number, clean_text

from . import conf
from .text import clean_comment_text


class CommentForm(SpamDefenceMixin, forms.Form):
    comment = forms.CharField(
        label="Comment",
        widget=forms.Textarea(attrs={"rows": 8, "cols": 45, "maxlength": 10000}),
        error_messages={"required": "Please write your comment."},
    )
    author = forms.CharField(
        label="Name",
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "name", "maxlength": 100}),
        error_messages={"required": "Please give your name."},
    )
    email = forms.EmailField(
        label="Email",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "maxlength": 254}),
        error_messages={
            "required": "Please give your email address. It will not be published.",
            "invalid": "Please give a valid email address, like name@example.org.",
        },
    )
    url = forms.URLField(
        label="Website",
        required=False,
        max_length=200,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"autocomplete": "url", "maxlength": 200}),
        error_messages={"invalid": "Please give a web address, like https://example.org, or leave it empty."},
    )
    parent = forms.CharField(required=False, widget=forms.HiddenInput)
    remember = forms.BooleanField(
        label="Save my name, email, and website in this browser for the next time I comment.", required=False
    )
    notify = forms.BooleanField(label="Email me when someone replies to my comment.", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].max_length = conf.max_length()
        self.fields["comment"].widget.attrs["maxlength"] = conf.max_length()
        if self.is_bound:
            # Whatever arrived, the form shown again holds clean text (no NUL bytes, no broken
            # surrogates), so re-rendering it never fails and the reader's words are kept.
            data = self.data.copy()
            for key in ("comment", "author", "email", "url", "parent"):
                if key in data:
                    data[key] = clean_text(str(data.get(key) or ""))
            self.data = data

    def _clean_text(self, name, message):
        value = clean_comment_text(self.cleaned_data.get(name, ""))
        if not value:
            raise ValidationError(message)
        return value

    def clean_comment(self):
        value = self._clean_text("comment", "Please write your comment.")
        limit = conf.max_length()
        if len(value) > limit:
            raise ValidationError(
                f"Your comment is {len(value):,} characters long; the most we take is {limit:,}. "
                "Please shorten it."
            )
        return value

    def clean_author(self):
        return self._clean_text("author", "Please give your name.")

    def clean_email(self):
        return clean_comment_text(self.cleaned_data.get("email", ""))

    def clean_url(self):
        return clean_comment_text(self.cleaned_data.get("url", ""))

    def clean_parent(self):
        value = (self.cleaned_data.get("parent") or "").strip()
        number = as_number(value)
        if value and number is None:
            # Shown at the top of the form (the field is hidden); the reply target is dropped.
            self.add_error(
                None,
                "The comment you are replying to is not available. Your text is kept: send it as a new comment.",
            )
            self.data = self.data.copy()
            self.data["parent"] = ""
            return None
        return number


SHOWN_FIELDS = ("comment", "author", "email", "url", "parent", "remember", "notify", "form_stamp")


@dataclass
class ShownForm:
    """What the reply form under an article shows: each field's value and error messages.

    Built straight from the reader's saved details for a fresh form (the form is on every
    article page, so this skips the Form machinery), or from a CommentForm sent back with errors.
    """

    values: dict
    errors: dict = field(default_factory=dict)
    non_field_errors: list = field(default_factory=list)
    is_bound: bool = False

    @classmethod
    def blank(cls, initial=None):
        """A fresh form, the same for every reader: no stamp (each reader fetches their own)."""
        values = {name: "" for name in SHOWN_FIELDS} | {"remember": False, "notify": False}
        values.update(initial or {})
        return cls(values)

    @classmethod
    def of(cls, form):
        values = {name: form[name].value() for name in SHOWN_FIELDS}
        errors = {name: list(form.errors.get(name, ())) for name in SHOWN_FIELDS}
        return cls(values, errors, list(form.non_field_errors()), form.is_bound)
