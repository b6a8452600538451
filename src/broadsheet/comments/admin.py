"""The moderation desk: a queue of comments with one-click and bulk decisions, editing, replying
as an editor, a commenter's history by email, and the moderation settings."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.text import Truncator

from broadsheet.core.text import as_number

from . import conf, services
from .models import Comment, ModerationSettings
from .text import clean_comment_text

DECISIONS = {
    "approve": (services.approve, "Approved"),
    "unapprove": (services.unapprove, "Unapproved"),
    "spam": (services.mark_spam, "Marked as spam"),
    "not_spam": (services.mark_not_spam, "Marked as not spam"),
    "trash": (services.trash, "Moved to the trash"),
}
BUTTONS = {
    Comment.Status.PENDING: ("approve", "spam", "trash"),
    Comment.Status.APPROVED: ("unapprove", "spam", "trash"),
    Comment.Status.SPAM: ("not_spam", "trash"),
    Comment.Status.TRASH: ("approve", "spam"),
}
LABELS = {
    "approve": "Approve",
    "unapprove": "Unapprove",
    "spam": "Spam",
    "not_spam": "Not spam",
    "trash": "Trash",
}


class ReplyForm(forms.Form):
    body = forms.CharField(label="Your reply", widget=forms.Textarea(attrs={"rows": 6, "cols": 60}))

    def clean_body(self):
        body = clean_comment_text(self.cleaned_data["body"])
        if not body:
            raise ValidationError("Please write your reply.")
        if len(body) > conf.max_length():
            raise ValidationError(f"A reply can be at most {conf.max_length():,} characters.")
        return body


class CommentEditForm(forms.ModelForm):
    class Meta:
        model = Comment
        fields = ("author_name", "author_email", "author_url", "body", "notify_replies")

    def clean(self):
        data = super().clean()
        for name, value in list(data.items()):
            if isinstance(value, str):
                data[name] = clean_comment_text(value)
        if not data.get("body"):
            self.add_error("body", "A comment cannot be empty.")
        return data


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    form = CommentEditForm
    list_display = (
        "excerpt",
        "author",
        "story",
        "status_label",
        "held_reason",
        "score",
        "created_at",
        "decide",
    )
    list_filter = ("status", ("created_at", admin.DateFieldListFilter))
    list_select_related = ("article",)
    search_fields = ("body", "author_name", "author_email", "ip_address", "article__headline")
    search_help_text = "Search the words, name, email, IP address or story headline."
    date_hierarchy = "created_at"
    list_per_page = 50
    actions = [
        "approve_selected",
        "unapprove_selected",
        "spam_selected",
        "not_spam_selected",
        "trash_selected",
    ]
    fieldsets = (
        (None, {"fields": ("body", "author_name", "author_email", "author_url", "notify_replies")}),
        (
            "Moderation",
            {"fields": ("status", "held_reason", "spam_score", "story_link", "history_link", "reply_link")},
        ),
        ("Where from", {"fields": ("ip_address", "user_agent", "created_at", "parent")}),
    )
    readonly_fields = (
        "status",
        "held_reason",
        "spam_score",
        "story_link",
        "history_link",
        "reply_link",
        "ip_address",
        "user_agent",
        "created_at",
        "parent",
    )

    def has_add_permission(self, request):
        return False  # comments come from readers or from "Reply" here, not from a blank form

    # --- the queue's columns ---

    @admin.display(description="Comment")
    def excerpt(self, obj):
        return Truncator(obj.body).chars(140)

    @admin.display(description="Author", ordering="author_name")
    def author(self, obj):
        if not obj.author_email:
            return obj.author_name
        url = reverse("admin:comments_comment_history") + "?" + urlencode({"email": obj.author_email})
        return format_html('{}<br><a href="{}">{}</a>', obj.author_name, url, obj.author_email)

    @admin.display(description="Story", ordering="article__headline")
    def story(self, obj):
        return format_html(
            '<a href="{}">{}</a>', obj.article.get_absolute_url(), Truncator(obj.article.headline).chars(60)
        )

    @admin.display(description="Status", ordering="status")
    def status_label(self, obj):
        return obj.get_status_display()

    @admin.display(description="Spam score", ordering="spam_score")
    def score(self, obj):
        return "-" if obj.spam_score is None else f"{obj.spam_score:.2f}"

    @admin.display(description="Decide")
    def decide(self, obj):
        # Buttons belong to a form outside the changelist (HTML form="" attribute): one click, no JS.
        buttons = format_html_join(
            "",
            '<button type="submit" form="comment-decide" name="decision" value="{}:{}" class="button">{}</button> ',
            ((name, obj.pk, LABELS[name]) for name in BUTTONS.get(obj.status, ())),
        )
        reply = reverse("admin:comments_comment_reply", args=[obj.pk])
        return format_html('{}<a href="{}">Reply</a>', buttons, reply)

    @admin.display(description="Story")
    def story_link(self, obj):
        return format_html('<a href="{}">{}</a>', obj.article.get_absolute_url(), obj.article.headline)

    @admin.display(description="Commenter")
    def history_link(self, obj):
        url = reverse("admin:comments_comment_history") + "?" + urlencode({"email": obj.author_email})
        return format_html('<a href="{}">All comments from {}</a>', url, obj.author_email)

    @admin.display(description="Answer")
    def reply_link(self, obj):
        return format_html(
            '<a href="{}">Reply as an editor</a>', reverse("admin:comments_comment_reply", args=[obj.pk])
        )

    def save_model(self, request, obj, form, change):
        services.edit(obj, by=request.user)

    # --- bulk actions ---

    def _bulk(self, request, queryset, decision):
        operation, done = DECISIONS[decision]
        count = 0
        for comment in queryset.select_related("article"):
            operation(comment, by=request.user)
            count += 1
        self.message_user(request, f"{done}: {count} comment{'s' if count != 1 else ''}.", messages.SUCCESS)

    @admin.action(description="Approve selected comments", permissions=["change"])
    def approve_selected(self, request, queryset):
        self._bulk(request, queryset, "approve")

    @admin.action(description="Unapprove selected comments", permissions=["change"])
    def unapprove_selected(self, request, queryset):
        self._bulk(request, queryset, "unapprove")

    @admin.action(description="Mark selected comments as spam", permissions=["change"])
    def spam_selected(self, request, queryset):
        self._bulk(request, queryset, "spam")

    @admin.action(description="Mark selected comments as not spam", permissions=["change"])
    def not_spam_selected(self, request, queryset):
        self._bulk(request, queryset, "not_spam")

    @admin.action(description="Move selected comments to the trash", permissions=["change"])
    def trash_selected(self, request, queryset):
        self._bulk(request, queryset, "trash")

    # --- extra pages: one-click decisions, reply, history ---

    def get_urls(self):
        extra = [
            path("decide/", self.admin_site.admin_view(self.decide_view), name="comments_comment_decide"),
            path(
                "<int:pk>/reply/", self.admin_site.admin_view(self.reply_view), name="comments_comment_reply"
            ),
            path("history/", self.admin_site.admin_view(self.history_view), name="comments_comment_history"),
        ]
        return extra + super().get_urls()

    def decide_view(self, request):
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:comments_comment_changelist"))
        if not self.has_change_permission(request):
            raise PermissionDenied
        decision, _, pk = request.POST.get("decision", "").partition(":")
        back = request.POST.get("next") or reverse("admin:comments_comment_changelist")
        if not back.startswith("/") or back.startswith("//"):
            back = reverse("admin:comments_comment_changelist")
        if decision not in DECISIONS or as_number(pk) is None:
            self.message_user(request, "That decision was not understood; nothing changed.", messages.ERROR)
            return HttpResponseRedirect(back)
        comment = Comment.objects.select_related("article").filter(pk=as_number(pk)).first()
        if comment is None:
            self.message_user(request, "That comment no longer exists.", messages.WARNING)
            return HttpResponseRedirect(back)
        operation, done = DECISIONS[decision]
        operation(comment, by=request.user)
        self.message_user(request, f"{done}: comment by {comment.author_name}.", messages.SUCCESS)
        return HttpResponseRedirect(back)

    def reply_view(self, request, pk):
        if not self.has_change_permission(request):
            raise PermissionDenied
        parent = get_object_or_404(Comment.objects.select_related("article"), pk=pk)
        form = ReplyForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            reply = services.reply_as_editor(parent, body=form.cleaned_data["body"], by=request.user)
            self.message_user(
                request,
                format_html(
                    'Your reply is published. <a href="{}">See it on the story</a>.', reply.get_absolute_url()
                ),
                messages.SUCCESS,
            )
            return HttpResponseRedirect(
                reverse("admin:comments_comment_changelist") + "?status__exact=pending"
            )
        context = {
            **self.admin_site.each_context(request),
            "title": f"Reply to {parent.author_name}",
            "parent": parent,
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/comments/comment/reply.html", context)

    def history_view(self, request):
        if not request.user.has_perm("comments.view_commenter_history"):
            raise PermissionDenied
        email = clean_comment_text(request.GET.get("email", ""))[:254]
        comments, counts = services.commenter_history(email) if email else (Comment.objects.none(), {})
        context = {
            **self.admin_site.each_context(request),
            "title": f"Comments from {email}" if email else "A commenter's history",
            "email": email,
            "comments": list(comments[:500]),
            "counts": [(label, counts.get(value, 0)) for value, label in Comment.Status.choices],
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/comments/comment/history.html", context)


@admin.register(ModerationSettings)
class ModerationSettingsAdmin(admin.ModelAdmin):
    """One row of settings: the list goes straight to it."""

    fieldsets = (
        ("Approval", {"fields": ("manual_approval", "auto_approve_known", "hold_link_count")}),
        ("Word lists", {"fields": ("moderation_words", "disallowed_words")}),
        ("Limits", {"fields": ("flood_seconds", "close_after_days")}),
        ("Display", {"fields": ("max_depth", "per_page", "newest_first")}),
        ("Emails", {"fields": ("notify_editors", "notify_authors")}),
    )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        ModerationSettings.load()
        return HttpResponseRedirect(reverse("admin:comments_moderationsettings_change", args=[1]))

    def get_object(self, request, object_id, from_field=None):
        if str(object_id) == "1":
            ModerationSettings.objects.get_or_create(pk=1)
        return super().get_object(request, object_id, from_field)
