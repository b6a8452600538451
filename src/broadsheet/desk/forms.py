"""What the editor sends when it saves a story, checked field by field (messages go beside the field)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import slugify

from broadsheet.media.models import Picture
from broadsheet.newsroom.models import SLUG_MAX, Article, Author, Section
from broadsheet.newsroom.text import MAX_BODY, clean_text

MAX_TAGS = 30


class StoryForm(forms.ModelForm):
    tags = forms.JSONField(required=False)
    authors = forms.ModelMultipleChoiceField(Author.objects.all(), required=False)
    source_name = forms.CharField(max_length=120, required=False)
    lead_picture = forms.ModelChoiceField(Picture.objects.all(), required=False)
    social_picture = forms.ModelChoiceField(Picture.objects.all(), required=False)
    slug = forms.CharField(max_length=SLUG_MAX, required=False)
    body = forms.CharField(required=False, strip=False)

    class Meta:
        model = Article
        fields = [
            "headline",
            "summary",
            "body",
            "slug",
            "section",
            "source_url",
            "language",
            "seo_title",
            "seo_description",
            "comments_open",
        ]
        error_messages = {"headline": {"required": "Give the story a headline."}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = Section.objects.all()
        self.fields["section"].error_messages["required"] = "Choose the section the story belongs to."

    def validate_unique(self):
        # The slug's uniqueness is checked by clean_slug (with a message naming the other story).
        exclude = self._get_validation_exclusions()
        exclude.add("slug")
        try:
            self.instance.validate_unique(exclude=exclude)
        except ValidationError as error:
            self._update_errors(error)

    def clean_body(self):
        body = clean_text(self.cleaned_data.get("body") or "")
        if len(body) > MAX_BODY:
            raise ValidationError(
                f"The story is too long: keep it under {MAX_BODY:,} characters "
                f"(it has {len(body):,}). Split it into parts."
            )
        return body

    def clean_slug(self):
        slug = slugify(self.cleaned_data.get("slug") or "", allow_unicode=True)
        if slug and Article.objects.exclude(pk=self.instance.pk).filter(slug=slug).exists():
            other = Article.objects.filter(slug=slug).values_list("headline", flat=True).first()
            raise ValidationError(f"“{other}” already uses this address. Choose another slug.")
        return slug

    def clean_tags(self):
        tags = self.cleaned_data.get("tags") or []
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            raise ValidationError("Tags must be a list of words.")
        names = [t for t in dict.fromkeys(clean_text(t).strip()[:120] for t in tags) if t]
        if len(names) > MAX_TAGS:
            raise ValidationError(f"Use at most {MAX_TAGS} tags.")
        return names
