"""Back office: editors pin and exclude related stories per article (also inline on the article)."""

from django.contrib import admin

from .models import RelatedExclusion, RelatedPin


class RelatedPinInline(admin.TabularInline):
    model = RelatedPin
    fk_name = "article"
    extra = 0
    fields = ("pinned", "position")
    autocomplete_fields = ("pinned",)
    verbose_name = "pinned related story (shown first)"
    verbose_name_plural = "Related posts: pinned stories (shown first, in this order)"


class RelatedExclusionInline(admin.TabularInline):
    model = RelatedExclusion
    fk_name = "article"
    extra = 0
    fields = ("excluded",)
    autocomplete_fields = ("excluded",)
    verbose_name_plural = "Related posts: stories never to show"


@admin.register(RelatedPin)
class RelatedPinAdmin(admin.ModelAdmin):
    list_display = ("article", "pinned", "position")
    list_select_related = ("article", "pinned")
    autocomplete_fields = ("article", "pinned")
    search_fields = ("article__headline", "pinned__headline")


@admin.register(RelatedExclusion)
class RelatedExclusionAdmin(admin.ModelAdmin):
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
