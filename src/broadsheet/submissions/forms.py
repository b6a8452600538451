"""The public "Publish Your Article" form and the contributor's resend form."""

import re
import secrets

from django import forms
from django.core.exceptions import ValidationError

from broadsheet.core.antispam import SpamDefenceMixin
from broadsheet.core.text import clean_text
from broadsheet.newsroom.images import process_upload
from broadsheet.newsroom.models import Section

from . import conf, duplicates, pictures
from .fingerprints import words

_LINK = re.compile(r"https?://|www\.", re.IGNORECASE)
_FORM_KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def is_form_key(value):
    """Whether `value` has the shape of a key the form hands out (token_urlsafe)."""
    return bool(_FORM_KEY.fullmatch(value or ""))


PICTURE_TYPES = "image/jpeg,image/png,image/webp,image/gif"


def _textarea(rows):
    return forms.Textarea(attrs={"rows": rows})


class SubmissionForm(SpamDefenceMixin, forms.Form):
    headline = forms.CharField(max_length=200, help_text="Up to 200 characters.")
    summary = forms.CharField(
        max_length=500, required=False, widget=_textarea(3), help_text="One or two sentences. Optional."
    )
    body = forms.CharField(widget=_textarea(18))  # limits and help set per form, from settings
    section = forms.ModelChoiceField(
        queryset=Section.objects.order_by("position", "name"), empty_label="Choose…"
    )
    tags = forms.CharField(max_length=400, required=False)
    picture = forms.FileField(
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": PICTURE_TYPES}),
        help_text="Optional. JPEG, PNG, WebP or GIF, up to 10 MB. Send only a picture you may publish.",
    )
    held_picture = forms.CharField(required=False, widget=forms.HiddenInput)
    remove_picture = forms.BooleanField(required=False, label="Remove the picture")
    image_caption = forms.CharField(max_length=300, required=False, label="Picture caption")
    image_credit = forms.CharField(max_length=200, required=False, label="Picture credit")
    original_source = forms.CharField(
        max_length=120,
        required=False,
        label="Originally published by",
        help_text="If the article appeared elsewhere first: the outlet's name.",
    )
    original_url = forms.URLField(
        max_length=1000, required=False, label="Original address", help_text="The address of the original."
    )
    contributor_name = forms.CharField(max_length=120, label="Your name", help_text="Shown as the byline.")
    contributor_email = forms.EmailField(
        max_length=254,
        label="Your email",
        help_text="Never published. We use it only to tell you about this article.",
    )
    contributor_bio = forms.CharField(
        max_length=600,
        required=False,
        widget=_textarea(3),
        label="A short bio",
        help_text="Optional. May appear with your article.",
    )
    rights_confirmed = forms.BooleanField(
        label="I wrote this article, or I have the right to republish it here.",
        error_messages={"required": "Please confirm that you wrote the article or may republish it."},
    )
    form_key = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, previewing=False, submission=None, client="", **kwargs):
        super().__init__(*args, **kwargs)
        self.previewing = previewing
        self.submission = submission
        self.client = client
        self.fields["body"] = forms.CharField(
            max_length=conf.max_body_chars(),
            widget=_textarea(18),
            help_text=(
                f"Markdown: *italic*, **bold**, [link](https://…), ## subheading. At least "
                f"{conf.min_body_words()} words; at most {conf.max_links()} links in the whole article."
            ),
        )
        self.fields["tags"].help_text = f"Optional, separated by commas (up to {conf.max_tags()})."
        if not self.is_bound:
            self.initial.setdefault("form_key", secrets.token_urlsafe(24))
        self.held_picture_name = pictures.held_name(self.data.get("held_picture")) if self.is_bound else None
        if not self.held_picture_name and not (submission and submission.image):
            del self.fields["remove_picture"]

    @classmethod
    def shared(cls):
        """The blank form as every reader gets it (a shared cache may keep its page): no stamp
        and no key of its own, which publish.js fills in from the form-state endpoint."""
        form = cls()
        form.initial["form_stamp"] = ""
        form.initial.pop("form_key", None)
        return form

    def refresh_stamp(self):
        """Shown again: a stamp of now, and a key for the send if the page had none (no script)."""
        super().refresh_stamp()
        if self.is_bound and "form_key" in self.fields and not is_form_key(self.data.get("form_key")):
            data = self.data.copy()
            data["form_key"] = secrets.token_urlsafe(24)
            self.data = data

    # --- one field at a time ---

    def _text(self, name):
        return clean_text(self.cleaned_data.get(name) or "").strip()

    def _no_links(self, name):
        value = self._text(name)
        if _LINK.search(value):
            raise ValidationError("Links are not allowed here.", code="link")
        return value

    def _line(self, name):
        """A required single line without links; one that cleaning empties (control characters
        only, which Django's own required check lets through) is missing."""
        value = " ".join(self._no_links(name).split())
        if not value:
            raise ValidationError(self.fields[name].error_messages["required"], code="required")
        return value

    def clean_headline(self):
        return self._line("headline")

    def clean_contributor_name(self):
        return self._line("contributor_name")

    def clean_summary(self):
        return self._text("summary")

    def clean_contributor_bio(self):
        return self._text("contributor_bio")

    def clean_image_caption(self):
        return self._text("image_caption")

    def clean_image_credit(self):
        return self._text("image_credit")

    def clean_original_source(self):
        return self._text("original_source")

    def clean_contributor_email(self):
        return (self.cleaned_data.get("contributor_email") or "").strip().lower()

    def clean_body(self):
        body = self._text("body")
        count = len(words(body))
        if count < conf.min_body_words():
            raise ValidationError(
                f"The article is {count} words long; send at least {conf.min_body_words()}.", code="short"
            )
        return body

    def clean_tags(self):
        names = [" ".join(t.split()) for t in self._text("tags").split(",") if t.strip()]
        if len(names) > conf.max_tags():
            raise ValidationError(f"Use at most {conf.max_tags()} tags; you gave {len(names)}.", code="tags")
        if any(len(n) > 50 for n in names):
            raise ValidationError("Keep each tag under 50 characters.", code="tag_length")
        return ", ".join(names)

    def clean_picture(self):
        upload = self.cleaned_data.get("picture")
        if not upload:
            return None
        return process_upload(upload)  # raises a ValidationError that explains itself

    def _hold_picture(self, clean):
        """Keep a new picture for the next send, so nobody uploads twice. Called only once the
        form has passed the robot checks: a refused form keeps no file."""
        try:
            reference = pictures.hold(clean, client=self.client)
        except pictures.CannotHold:
            self.add_error(
                "picture",
                "We cannot keep more pictures for your connection right now. "
                "Attach the picture again when you send the article.",
            )
            return
        self.held_picture_name = pictures.held_name(reference)
        data = self.data.copy()
        data["held_picture"] = reference
        data.pop("remove_picture", None)
        self.data = data

    def clean_form_key(self):
        value = self.cleaned_data.get("form_key") or ""
        return value if is_form_key(value) else None

    def drop_new_picture(self):
        """A send refused after all (rate limit): the picture it brought is not kept."""
        if self.cleaned_data.get("picture") and self.held_picture_name:
            pictures.discard_held(self.held_picture_name)
            self.held_picture_name = None
            self.data = self.data.copy()
            self.data.pop("held_picture", None)

    # --- the whole form ---

    def clean(self):
        if self.previewing:  # a preview stores nothing: no need for the anti-robot checks
            data = forms.Form.clean(self)
        else:
            data = super().clean()  # raises for a robot, before any picture is kept
        if data.get("picture"):
            self._hold_picture(data["picture"])
        data["held_picture"] = self.held_picture_name
        if data.get("remove_picture") and not data.get("picture"):
            data["held_picture"] = self.held_picture_name = None
            self.data = self.data.copy()
            self.data.pop("held_picture", None)
        links = sum(len(_LINK.findall(data.get(n) or "")) for n in ("body", "summary", "contributor_bio"))
        if links > conf.max_links():
            self.add_error(
                "body", f"The article has {links} links; we accept at most {conf.max_links()}. Remove some."
            )
        body = data.get("body")
        if (
            body
            and not self.previewing
            and duplicates.find_exact_duplicate(
                body,
                contributor_email=self.submission.contributor_email
                if self.submission
                else data.get("contributor_email", ""),
                exclude_submission=self.submission,
            )
        ):
            self.add_error(
                "body",
                ValidationError(
                    "We already have an article with exactly this text (published, or sent by you "
                    "before), so we cannot take it again. If you sent it before, follow the status "
                    "link in the email we sent you.",
                    code="duplicate",
                ),
            )
        return data

    def cleaned_content(self):
        data = dict(self.cleaned_data)
        data.pop("picture", None)
        return data


class ResendForm(SubmissionForm):
    """The contributor edits a submission the editors sent back; their name and email stay."""

    def __init__(self, *args, submission, **kwargs):
        if not args and "data" not in kwargs:
            kwargs.setdefault(
                "initial",
                {
                    "headline": submission.headline,
                    "summary": submission.summary,
                    "body": submission.body,
                    "section": submission.section_id,
                    "tags": submission.tags,
                    "image_caption": submission.image_caption,
                    "image_credit": submission.image_credit,
                    "original_source": submission.original_source,
                    "original_url": submission.original_url,
                    "contributor_bio": submission.contributor_bio,
                },
            )
        super().__init__(*args, submission=submission, **kwargs)
        del self.fields["contributor_name"]
        del self.fields["contributor_email"]
        del self.fields["form_key"]
