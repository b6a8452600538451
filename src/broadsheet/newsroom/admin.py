"""The editors' desk: articles with workflow actions, previews, revisions; the newsroom's lists."""

import difflib

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.html import format_html

from broadsheet.core.text import clean_text

from . import services
from .images import process_upload
from .models import Article, Author, Correction, Revision, Section, Source, Tag


class CleanImageMixin:
    """Form mixin: every ImageField named in `image_fields` is verified and re-encoded."""

    image_fields = ()

    def clean(self):
        data = super().clean()
        for name in self.image_fields:
            upload = self.files.get(name) if self.files else None
            if upload:
                try:
                    data[name] = process_upload(upload)
                except ValidationError as error:
                    self.add_error(name, error)
        for name, value in list(data.items()):
            if isinstance(value, str):
                data[name] = clean_text(value)
        return data


class ArticleForm(CleanImageMixin, forms.ModelForm):
    image_fields = ("image",)
    is_lead = forms.BooleanField(
        label="Lead story on the home page",
        required=False,
        help_text="The published story pinned last leads the home page; with none pinned, the latest one does.",
    )

    class Meta:
        model = Article
        fields = "__all__"

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["is_lead"].initial = self.instance.is_pinned()
        if user is not None and not user.has_perm("newsroom.publish_article"):
            self.fields["is_lead"].disabled = True
        if user is not None and not user.has_perm("newsroom.publish_article") and "status" in self.fields:
            self.fields["status"].choices = [
                c for c in Article.Status.choices if c[0] != Article.Status.PUBLISHED
            ] + (
                [(Article.Status.PUBLISHED, "Published")]
                if self.instance.status == Article.Status.PUBLISHED
                else []
            )

    def clean(self):
        data = super().clean()
        if self.user is not None:
            try:
                services.check_can_save(self.instance, by=self.user, status=data.get("status"))
            except PermissionDenied as refusal:
                self.add_error("status" if "status" in self.fields else None, str(refusal))
        return data


class AuthorForm(CleanImageMixin, forms.ModelForm):
    image_fields = ("photo",)

    class Meta:
        model = Author
        fields = "__all__"


class CorrectionInline(admin.TabularInline):
    model = Correction
    extra = 0
    fields = ("kind", "text", "created_at")


class ScheduleForm(forms.Form):
    publish_at = forms.DateTimeField(
        label="Publish at",
        help_text="Date and time, e.g. 2026-12-01 08:00",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    def clean_publish_at(self):
        value = self.cleaned_data["publish_at"]
        if value <= timezone.now():
            raise ValidationError("Choose a time in the future to schedule a story.")
        return value


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleForm
    list_display = ("headline", "desk_link", "state", "lead", "section", "source", "publish_at", "updated_at")
    list_filter = ("status", "section", ("publish_at", admin.DateFieldListFilter), "authors", "source")
    list_select_related = ("section", "source")
    date_hierarchy = "publish_at"
    search_fields = ("headline", "summary", "external_id")
    search_help_text = "Search headlines, summaries and import IDs."
    autocomplete_fields = ("authors", "tags", "source")
    raw_id_fields = ("translation_of",)
    prepopulated_fields = {"slug": ("headline",)}
    readonly_fields = ("desk_link", "preview_link", "revision_link", "created_at")
    inlines = [CorrectionInline]
    actions = [
        "publish_selected",
        "unpublish_selected",
        "send_to_review_selected",
        "schedule_selected",
        "make_lead",
        "take_off_lead",
    ]
    fieldsets = (
        (None, {"fields": ("desk_link", "headline", "slug", "summary", "body")}),
        ("Workflow", {"fields": ("status", "publish_at", "is_lead", "preview_link", "revision_link", "created_at")}),
        ("Filing", {"fields": ("section", "authors", "tags", "language", "comments_open", "external_id")}),
        ("Picture", {"fields": ("image", "image_caption", "image_credit", "image_alt")}),
        ("Republished from", {"fields": ("source", "source_url")}),
    )

    def get_form(self, request, obj=None, **kwargs):
        form_class = super().get_form(request, obj, **kwargs)

        class FormWithUser(form_class):
            def __init__(self, *args, **kw):
                super().__init__(*args, user=request.user, **kw)

        return FormWithUser

    def get_queryset(self, request):
        return super().get_queryset(request).editable_by(request.user)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.has_perm("newsroom.publish_article"):
            for name in ("publish_selected", "unpublish_selected", "schedule_selected", "make_lead", "take_off_lead"):
                actions.pop(name, None)
        return actions

    @admin.display(description="State", ordering="status")
    def state(self, obj):
        if obj.is_scheduled():
            return format_html('<span title="{}">Scheduled</span>', obj.publish_at)
        return obj.get_status_display()

    @admin.display(description="Lead", boolean=True, ordering="pinned_at")
    def lead(self, obj):
        return obj.is_pinned()

    @admin.display(description="Desk")
    def desk_link(self, obj):
        """The story editor, when the desk is installed (this form is the plain fallback)."""
        if not obj or not obj.pk:
            return "-"
        try:
            url = reverse("desk:story", args=[obj.pk])
        except NoReverseMatch:
            return "-"
        return format_html('<a href="{}">Open in the story editor</a>', url)

    @admin.display(description="Preview")
    def preview_link(self, obj):
        if not obj or not obj.pk:
            return "Save the story to get a preview link."
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">Preview link</a> (valid for 7 days; share it with anyone)',
            obj.get_preview_url(),
        )

    @admin.display(description="Revisions")
    def revision_link(self, obj):
        if not obj or not obj.pk:
            return "-"
        url = reverse("admin:newsroom_article_revisions", args=[obj.pk])
        count = obj.revisions.count()
        return format_html(
            '<a href="{}">{} revision{}: compare and restore</a>', url, count, "" if count == 1 else "s"
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        services.check_can_save(obj, by=request.user)
        if "is_lead" in form.changed_data:
            services.set_lead(obj, pinned=form.cleaned_data["is_lead"], by=request.user, save=False)
        obj.save()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.record_revision(form.instance, by=request.user)
        services.announce(form.instance)

    # --- workflow actions ---

    @admin.action(description="Publish selected stories now")
    def publish_selected(self, request, queryset):
        for article in queryset:
            services.publish(article, by=request.user)
        self.message_user(request, f"Published {stories(queryset.count())}.", messages.SUCCESS)

    @admin.action(description="Unpublish selected stories (back to draft)")
    def unpublish_selected(self, request, queryset):
        for article in queryset:
            services.unpublish(article, by=request.user)
        self.message_user(request, f"Unpublished {stories(queryset.count())}.", messages.SUCCESS)

    @admin.action(description="Make the selected story the home page's lead")
    def make_lead(self, request, queryset):
        articles = list(queryset[:2])
        if len(articles) != 1:
            self.message_user(request, "Choose one story to lead the home page.", messages.ERROR)
            return
        article = articles[0]
        services.set_lead(article, pinned=True, by=request.user)
        note = "" if article.is_published() else " It leads once it is published."
        self.message_user(request, f"“{article.headline}” now leads the home page.{note}", messages.SUCCESS)

    @admin.action(description="Take selected stories off the home page's lead")
    def take_off_lead(self, request, queryset):
        changed = sum(services.set_lead(a, pinned=False, by=request.user) for a in queryset.filter(pinned_at__isnull=False))
        self.message_user(request, f"Took {stories(changed)} off the lead.", messages.SUCCESS)

    @admin.action(description="Send selected stories to review")
    def send_to_review_selected(self, request, queryset):
        sent = 0
        for article in queryset:
            try:
                services.send_to_review(article, by=request.user)
                sent += 1
            except PermissionDenied as refusal:
                self.message_user(request, f"“{article.headline}”: {refusal}", messages.ERROR)
        self.message_user(request, f"Sent {stories(sent)} to review.", messages.SUCCESS)

    @admin.action(description="Schedule selected stories…")
    def schedule_selected(self, request, queryset):
        form = ScheduleForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            for article in queryset:
                services.schedule(article, at=form.cleaned_data["publish_at"], by=request.user)
            self.message_user(
                request,
                f"Scheduled {stories(queryset.count())} for {form.cleaned_data['publish_at']:%Y-%m-%d %H:%M}.",
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Schedule stories",
            "form": form,
            "articles": queryset,
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/newsroom/article/schedule.html", context)

    # --- revisions ---

    def get_urls(self):
        extra = [
            path(
                "<int:pk>/revisions/",
                self.admin_site.admin_view(self.revisions_view),
                name="newsroom_article_revisions",
            ),
            path(
                "<int:pk>/revisions/<int:rev>/restore/",
                self.admin_site.admin_view(self.restore_view),
                name="newsroom_article_restore",
            ),
        ]
        return extra + super().get_urls()

    def _article_for(self, request, pk):
        article = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        return article

    def revisions_view(self, request, pk):
        article = self._article_for(request, pk)
        revisions = list(article.revisions.select_related("created_by")[:200])
        diff_rows = []
        left_id, right_id = request.GET.get("a"), request.GET.get("b")
        by_id = {str(r.pk): r for r in revisions}
        if left_id in by_id and right_id in by_id:
            diff_rows = revision_diff(by_id[left_id].data, by_id[right_id].data)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Revisions of “{article.headline}”",
            "article": article,
            "revisions": revisions,
            "diff_rows": diff_rows,
            "left": by_id.get(left_id),
            "right": by_id.get(right_id),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/newsroom/article/revisions.html", context)

    def restore_view(self, request, pk, rev):
        article = self._article_for(request, pk)
        revision = get_object_or_404(Revision, pk=rev, article=article)
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:newsroom_article_revisions", args=[pk]))
        if revision.data.get("status") == Article.Status.PUBLISHED and not services.can_publish(request.user):
            revision.data["status"] = (
                article.status if article.status != Article.Status.PUBLISHED else Article.Status.DRAFT
            )
        try:
            services.restore_revision(revision, by=request.user)
        except PermissionDenied as refusal:
            self.message_user(request, str(refusal), messages.ERROR)
            return HttpResponseRedirect(reverse("admin:newsroom_article_revisions", args=[pk]))
        self.message_user(
            request, f"Restored the revision of {revision.created_at:%Y-%m-%d %H:%M:%S}.", messages.SUCCESS
        )
        return HttpResponseRedirect(reverse("admin:newsroom_article_change", args=[pk]))


def stories(count):
    """“1 story”, “2 stories”: counts in the back office's messages read right."""
    return f"{count} {'story' if count == 1 else 'stories'}"


def revision_diff(old, new):
    """Rows of (field, [(kind, text)...]) where kind is 'same', 'removed' or 'added'."""
    rows = []
    for name in sorted(set(old) | set(new)):
        a, b = old.get(name), new.get(name)
        if a == b:
            continue
        a_lines = str(a if a is not None else "").splitlines() or [""]
        b_lines = str(b if b is not None else "").splitlines() or [""]
        parts = []
        for line in difflib.ndiff(a_lines, b_lines):
            code, text = line[:2], line[2:]
            if code == "- ":
                parts.append(("removed", text))
            elif code == "+ ":
                parts.append(("added", text))
            elif code == "  ":
                parts.append(("same", text))
        rows.append((name, parts))
    return rows


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ("name", "position", "in_navigation", "story_count")
    list_editable = ("position", "in_navigation")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(story_count=Count("articles"))

    @admin.display(description="Stories", ordering="story_count")
    def story_count(self, obj):
        return obj.story_count


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    form = AuthorForm
    list_display = ("name", "is_guest", "user")
    list_filter = ("is_guest",)
    search_fields = ("name", "contact_email")
    prepopulated_fields = {"slug": ("name",)}

    # A contributor's email is for the editors who reach them; a Writer (view only) neither
    # reads it nor finds authors by it.
    def _sees_contact_email(self, request):
        return request.user.has_perm("newsroom.change_author")

    def get_exclude(self, request, obj=None):
        excluded = list(super().get_exclude(request, obj) or [])
        return excluded if self._sees_contact_email(request) else [*excluded, "contact_email"]

    def get_search_fields(self, request):
        return self.search_fields if self._sees_contact_email(request) else ("name",)


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ("name", "homepage", "country", "language")
    list_filter = ("country", "language")
    search_fields = ("name", "homepage")
    prepopulated_fields = {"slug": ("name",)}
    # The logo is a picture of the media library, named by its number there.
    raw_id_fields = ("logo",)
    readonly_fields = ("logo_shown",)

    @admin.display(description="Logo as readers see it")
    def logo_shown(self, obj):
        size = obj.logo_size() if obj and obj.pk else None
        if not size:
            return "No logo"
        return format_html(
            '<img src="{}" alt="" width="{}" height="{}">', obj.logo.file.url, size[0], size[1]
        )
