"""The wire in the back office: feeds with their health, outlet aliases, entities, the
citations on the article form (editors confirm, remove or add them), and a logo upload on the
source form (into the media library, verified and re-encoded like every upload)."""

from django import forms
from django.contrib import admin

from .models import Citation, Entity, EntityName, Feed, SourceAlias, WireItem


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):
    list_display = (
        "source",
        "url",
        "active",
        "healthy",
        "last_success_at",
        "last_error",
        "failures",
        "per_day",
        "next_poll_at",
    )
    list_filter = ("active", "full_text_allowed")
    search_fields = ("url", "source__name", "title")
    autocomplete_fields = ("source",)
    readonly_fields = (
        "etag",
        "last_modified",
        "failures",
        "last_polled_at",
        "last_success_at",
        "last_error_at",
        "last_error",
        "last_new_items",
        "created_at",
    )

    @admin.display(boolean=True, description="Healthy")
    def healthy(self, obj):
        return obj.is_healthy()

    @admin.display(description="Items a day (7 days)")
    def per_day(self, obj):
        return obj.items_per_day()


@admin.register(WireItem)
class WireItemAdmin(admin.ModelAdmin):
    list_display = ("headline", "source", "language", "published_at", "fetched_at", "status", "group")
    list_filter = ("status", "language")
    search_fields = ("headline", "summary", "url")
    readonly_fields = [f.name for f in WireItem._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(SourceAlias)
class SourceAliasAdmin(admin.ModelAdmin):
    list_display = ("name", "source")
    search_fields = ("name", "source__name")
    autocomplete_fields = ("source",)


class EntityNameInline(admin.TabularInline):
    model = EntityName
    extra = 1


class EntityForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "status" in self.fields:  # an entity an editor names is confirmed unless they say otherwise
            self.fields["status"].required = False

    def clean_status(self):
        return self.cleaned_data.get("status") or Entity.Status.CONFIRMED


@admin.register(Entity)
class EntityAdmin(admin.ModelAdmin):
    """Entities editors named, and people the machine suggests: a suggestion is linked to stories
    and gets its page only once an editor confirms it."""

    form = EntityForm
    list_display = ("name", "kind", "status", "spellings", "found_in")
    list_filter = ("status", "kind")
    search_fields = ("name", "names__name")
    readonly_fields = ("found_in", "found_sentence")
    inlines = [EntityNameInline]
    actions = ["confirm", "reject"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("found_in").prefetch_related("names")

    @admin.display(description="Other spellings")
    def spellings(self, obj):
        return ", ".join(n.name for n in obj.names.all() if n.name != obj.name)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        from . import tasks

        tasks.link_entity.enqueue(form.instance.pk)

    @admin.action(description="Confirm the selected entities (link their stories, give them a page)")
    def confirm(self, request, queryset):
        from . import tasks

        ids = list(queryset.exclude(status=Entity.Status.CONFIRMED).values_list("pk", flat=True))
        Entity.objects.filter(pk__in=ids).update(status=Entity.Status.CONFIRMED)
        for entity_id in ids:
            tasks.link_entity.enqueue(entity_id)
        self.message_user(request, f"{len(ids)} confirmed; their stories are being linked.")

    @admin.action(description="Reject the selected suggestions (never suggested again)")
    def reject(self, request, queryset):
        from . import tasks

        ids = list(queryset.exclude(status=Entity.Status.REJECTED).values_list("pk", flat=True))
        Entity.objects.filter(pk__in=ids).update(status=Entity.Status.REJECTED)
        for entity_id in ids:  # a rejected entity that was confirmed leaves its stories
            tasks.link_entity.enqueue(entity_id)
        self.message_user(request, f"{len(ids)} rejected.")


class CitationInline(admin.TabularInline):
    model = Citation
    extra = 0
    fields = ("source", "status", "sentence")
    readonly_fields = ("sentence",)
    autocomplete_fields = ("source",)
    verbose_name = "reporting cited"
    verbose_name_plural = "reporting cited (found in the text by the machine; confirm, remove or add)"


def add_article_inlines():
    from broadsheet.newsroom.models import Article

    article_admin = admin.site._registry.get(Article)
    if article_admin is not None and CitationInline not in type(article_admin).inlines:
        type(article_admin).inlines = [*type(article_admin).inlines, CitationInline]


class SourceLogoForm(forms.ModelForm):
    """The source form with a logo upload: the file goes into the media library through
    media.services.add_picture (verified, re-encoded, no metadata kept) and becomes the logo."""

    logo_upload = forms.FileField(
        label="Upload a new logo",
        required=False,
        help_text="JPEG, PNG, WebP or GIF. It is added to the media library and replaces the logo above.",
    )

    def clean_logo_upload(self):
        from broadsheet.newsroom.images import process_upload

        upload = self.cleaned_data.get("logo_upload")
        if upload:
            process_upload(upload)  # raises ValidationError with the message shown beside the field
            upload.seek(0)
        return upload

    def save(self, commit=True):
        from broadsheet.media.services import add_picture

        source = super().save(commit=False)
        upload = self.cleaned_data.get("logo_upload")
        if upload:  # clean_logo_upload has checked it
            source.logo = add_picture(upload, title=f"Logo: {source.name}", alt_text=f"{source.name} logo")
        if commit:
            source.save()
            self.save_m2m()
        return source


def add_source_logo_upload():
    from broadsheet.newsroom.models import Source

    source_admin = admin.site._registry.get(Source)
    if source_admin is not None and not issubclass(source_admin.form, SourceLogoForm):
        type(source_admin).form = type("SourceForm", (SourceLogoForm, source_admin.form), {})
