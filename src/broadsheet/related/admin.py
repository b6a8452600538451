"""Back office: editors pin and exclude related stories per article (also inline on the article)."""

from django import forms
from django.contrib import admin

from .models import RelatedExclusion, RelatedPin


class NotItselfForm(forms.ModelForm):
    """Refuses a story chosen under itself, with a message beside the field (not a crash)."""

    other_field = ""

    def clean(self):
        data = super().clean()
        other = data.get(self.other_field)
        article_id = getattr(self.instance, "article_id", None) or getattr(data.get("article"), "pk", None)
        if other is not None and article_id is not None and other.pk == article_id:
            self.add_error(self.other_field, "Choose another story: this one is the article itself.")
        return data


class PinForm(NotItselfForm):
    other_field = "pinned"

    class Meta:
        model = RelatedPin
        fields = ("article", "pinned", "position")


class ExclusionForm(NotItselfForm):
    other_field = "excluded"

    class Meta:
        model = RelatedExclusion
        fields = ("article", "excluded")


class RelatedPinInline(admin.TabularInline):
    model = RelatedPin
    form = PinForm
    fk_name = "article"
    extra = 0
    fields = ("pinned", "position")
    autocomplete_fields = ("pinned",)
    verbose_name = "pinned related story (shown first)"
    verbose_name_plural = "Related posts: pinned stories (shown first, in this order)"


class RelatedExclusionInline(admin.TabularInline):
    model = RelatedExclusion
    form = ExclusionForm
    fk_name = "article"
    extra = 0
    fields = ("excluded",)
    autocomplete_fields = ("excluded",)
    verbose_name_plural = "Related posts: stories never to show"


@admin.register(RelatedPin)
class RelatedPinAdmin(admin.ModelAdmin):
    form = PinForm
    list_display = ("article", "pinned", "position")
    list_select_related = ("article", "pinned")
    autocomplete_fields = ("article", "pinned")
    search_fields = ("article__headline", "pinned__headline")


@admin.register(RelatedExclusion)
class RelatedExclusionAdmin(admin.ModelAdmin):
    form = ExclusionForm
    list_display = ("article", "excluded")
    list_select_related = ("article", "excluded")
    autocomplete_fields = ("article", "excluded")
    search_fields = ("article__headline", "excluded__headline")


def add_article_inlines():
    """Show pins and exclusions on the newsroom's article form (called from AppConfig.ready)."""
    from broadsheet.newsroom.models import Article

    article_admin = admin.site._registry.get(Article)
    if article_admin is None:
        return
    admin_class = type(article_admin)
    extra = [i for i in (RelatedPinInline, RelatedExclusionInline) if i not in admin_class.inlines]
    admin_class.inlines = [*admin_class.inlines, *extra]
