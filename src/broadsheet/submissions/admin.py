"""The review queue: filters by state and age, the near-duplicate check, decisions, history."""

import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from broadsheet.newsroom.text import render_markdown

from . import duplicates, services
from .models import Guidelines, Submission, SubmissionEvent


class AgeFilter(admin.SimpleListFilter):
    title = "age"
    parameter_name = "age"

    def lookups(self, request, model_admin):
        return [
            ("day", "Sent in the last 24 hours"),
            ("week", "Sent in the last 7 days"),
            ("older", "Waiting more than 7 days"),
            ("month", "Waiting more than 30 days"),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        days = {"day": -1, "week": -7, "older": 7, "month": 30}.get(self.value())
        if days is None:
            return queryset
        if days < 0:
            return queryset.filter(created_at__gte=now + datetime.timedelta(days=days))
        return queryset.filter(created_at__lt=now - datetime.timedelta(days=days))


class DecisionForm(forms.Form):
    message = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        label="Message to the contributor",
        help_text="Required to request changes or reject; optional when accepting. The contributor reads it.",
    )


DECISIONS = {
    "accept": "Accept (create a draft article)",
    "changes": "Request changes",
    "reject": "Reject",
    "spam": "Mark as spam",
}


def decide(submission, decision, *, editor, message=""):
    if decision == "accept":
        return services.accept(submission, editor=editor, note=message)
    if decision == "changes":
        return services.request_changes(submission, editor=editor, message=message)
    if decision == "reject":
        return services.reject(submission, editor=editor, reason=message)
    if decision == "spam":
        return services.mark_spam(submission, editor=editor)
    raise services.DecisionError("Choose a decision.")


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    change_form_template = "admin/submissions/submission/change_form.html"
    list_display = ("headline", "contributor_name", "status", "section", "created_at", "closest_match")
    list_filter = ("status", AgeFilter, "section")
    list_select_related = ("section",)
    search_fields = ("headline", "contributor_name", "contributor_email")
    search_help_text = "Search headlines, contributor names and emails."
    date_hierarchy = "created_at"
    actions = ["accept_selected", "request_changes_selected", "reject_selected", "mark_spam_selected"]
    fieldsets = (
        ("Review", {"fields": ("status", "closest_matches", "history", "editor_notes")}),
        (
            "The article",
            {
                "fields": (
                    "headline",
                    "summary",
                    "body_preview",
                    "section",
                    "tags",
                    "picture_preview",
                    "image_caption",
                    "image_credit",
                    "original_source",
                    "original_url",
                )
            },
        ),
        (
            "Contributor (private)",
            {"fields": ("contributor_name", "contributor_email", "contributor_bio", "rights_confirmed")},
        ),
        ("Outcome", {"fields": ("created_at", "updated_at", "decided_at", "decided_by", "article_link")}),
    )
    readonly_fields = (
        "status", "closest_matches", "history", "headline", "summary", "body_preview", "section", "tags",
        "picture_preview", "image_caption", "image_credit", "original_source", "original_url",
        "contributor_name", "contributor_email", "contributor_bio", "rights_confirmed", "created_at",
        "updated_at", "decided_at", "decided_by", "article_link",
    )  # fmt: skip

    def has_add_permission(self, request):
        return False  # submissions come from the public form only

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch("events", queryset=SubmissionEvent.objects.select_related("created_by"))
            )
        )

    @admin.display(description="Closest match", ordering="duplicate_score")
    def closest_match(self, obj):
        return f"{obj.duplicate_score:.0%}" if obj.duplicate_score else "–"

    @admin.display(description="Near-duplicates")
    def closest_matches(self, obj):
        matches = duplicates.closest_matches(obj)
        if not matches:
            return "No similar article or submission found."
        rows = []
        for match in matches:
            target = match["object"]
            if match["kind"] == "article":
                url = reverse("admin:newsroom_article_change", args=[target.pk])
                state = target.get_status_display()
            else:
                url = reverse("admin:submissions_submission_change", args=[target.pk])
                state = f"submission, {target.get_status_display().lower()}"
            rows.append((f"{match['similarity']:.0%}", url, target.headline, state))
        return format_html(
            '<table class="near-duplicates"><thead><tr><th>Similarity</th><th>Story</th><th>State</th>'
            "</tr></thead><tbody>{}</tbody></table>",
            format_html_join("", '<tr><td>{}</td><td><a href="{}">{}</a></td><td>{}</td></tr>', rows),
        )

    @admin.display(description="History")
    def history(self, obj):
        events = obj.events.all()
        if not events:
            return "–"
        return format_html(
            "<ol>{}</ol>",
            format_html_join(
                "",
                "<li><strong>{}</strong> · {} · {}{}</li>",
                (
                    (
                        e.get_kind_display(),
                        timezone.localtime(e.created_at).strftime("%Y-%m-%d %H:%M"),
                        e.created_by or ("contributor" if e.kind in {"sent", "resent"} else "system"),
                        format_html(": “{}”", e.message) if e.message else "",
                    )
                    for e in events
                ),
            ),
        )

    @admin.display(description="Body")
    def body_preview(self, obj):
        return mark_safe(
            f'<div class="submission-body">{render_markdown(obj.body)}</div>'
        )  # sanitised by nh3

    @admin.display(description="Picture")
    def picture_preview(self, obj):
        if not obj.image:
            return "–"
        return format_html('<img src="{}" alt="The picture sent" width="320">', obj.image.url)

    @admin.display(description="Article")
    def article_link(self, obj):
        if not obj.article_id:
            return "–"
        return format_html(
            '<a href="{}">Open the draft article</a>',
            reverse("admin:newsroom_article_change", args=[obj.article_id]),
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["decision_form"] = DecisionForm()
        context["decisions"] = DECISIONS.items()
        context["can_decide"] = bool(
            obj and obj.can_be_decided() and self.has_change_permission(request, obj)
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    # --- decisions on one submission ---

    def get_urls(self):
        extra = [
            path(
                "<int:pk>/decide/",
                self.admin_site.admin_view(self.decide_view),
                name="submissions_submission_decide",
            )
        ]
        return extra + super().get_urls()

    def decide_view(self, request, pk):
        submission = get_object_or_404(Submission, pk=pk)
        change_url = reverse("admin:submissions_submission_change", args=[pk])
        if request.method != "POST":
            return HttpResponseRedirect(change_url)
        if not self.has_change_permission(request, submission):
            raise PermissionDenied
        decision = request.POST.get("decision", "")
        if decision == "accept" and not request.user.has_perm("newsroom.add_article"):
            raise PermissionDenied
        form = DecisionForm(request.POST)
        message = form.cleaned_data["message"] if form.is_valid() else ""
        try:
            result = decide(submission, decision, editor=request.user, message=message)
        except services.DecisionError as error:
            self.message_user(request, str(error), messages.ERROR)
            return HttpResponseRedirect(change_url)
        if decision == "accept":
            self.message_user(
                request, "Accepted: here is the draft article, credited to the contributor.", messages.SUCCESS
            )
            return HttpResponseRedirect(reverse("admin:newsroom_article_change", args=[result.pk]))
        self.message_user(
            request, f"“{submission.headline}”: {DECISIONS[decision].lower()} done.", messages.SUCCESS
        )
        return HttpResponseRedirect(reverse("admin:submissions_submission_changelist"))

    # --- bulk actions ---

    def _decide_many(self, request, queryset, decision, message=""):
        done, refused = 0, []
        for submission in queryset:
            try:
                decide(submission, decision, editor=request.user, message=message)
                done += 1
            except services.DecisionError as error:
                refused.append(str(error))
        if done:
            self.message_user(request, f"{DECISIONS[decision]}: {done} submission(s).", messages.SUCCESS)
        for reason in refused[:10]:
            self.message_user(request, reason, messages.WARNING)

    def _with_message(self, request, queryset, decision):
        form = DecisionForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid() and form.cleaned_data["message"].strip():
            self._decide_many(request, queryset, decision, form.cleaned_data["message"])
            return None
        if form.is_bound:
            form.add_error("message", "Write the message the contributors will read.")
        context = {
            **self.admin_site.each_context(request),
            "title": DECISIONS[decision],
            "form": form,
            "submissions": queryset,
            "action": f"{'reject' if decision == 'reject' else 'request_changes'}_selected",
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/submissions/submission/decision.html", context)

    @admin.action(description="Accept selected submissions (create draft articles)", permissions=["change"])
    def accept_selected(self, request, queryset):
        if not request.user.has_perm("newsroom.add_article"):
            raise PermissionDenied
        self._decide_many(request, queryset, "accept")

    @admin.action(description="Request changes to selected submissions…", permissions=["change"])
    def request_changes_selected(self, request, queryset):
        return self._with_message(request, queryset, "changes")

    @admin.action(description="Reject selected submissions with a reason…", permissions=["change"])
    def reject_selected(self, request, queryset):
        return self._with_message(request, queryset, "reject")

    @admin.action(description="Mark selected submissions as spam", permissions=["change"])
    def mark_spam_selected(self, request, queryset):
        self._decide_many(request, queryset, "spam")


@admin.register(Guidelines)
class GuidelinesAdmin(admin.ModelAdmin):
    fields = ("text",)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        guidelines = Guidelines.load()
        if not guidelines.pk:
            guidelines.save()
        return HttpResponseRedirect(reverse("admin:submissions_guidelines_change", args=[guidelines.pk]))
