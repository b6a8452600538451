"""The desk's newsletter screens: compose from stories (pick, reorder, intro), preview as sent,
send a test, schedule or send, and follow the counts; subscribers with their consent record."""

import io

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from . import csvio, emails, sending
from .models import Bounce, Consent, Newsletter, NewsletterStory, Subscriber


class StoryInline(admin.TabularInline):
    model = NewsletterStory
    autocomplete_fields = ("article",)
    fields = ("position", "article")
    extra = 3


class SendForm(forms.Form):
    test_to = forms.EmailField(required=False, label="Send a test to")
    send_at = forms.DateTimeField(required=False, label="Schedule for (YYYY-MM-DD HH:MM)")


@admin.register(Newsletter)
class NewsletterAdmin(admin.ModelAdmin):
    list_display = ("subject", "audience", "status", "send_at", "sent_count")
    list_filter = ("status", "audience")
    inlines = [StoryInline]
    readonly_fields = ("status", "send_at", "counts_table", "started_at", "finished_at")
    fields = ("subject", "intro", "audience", "section", "status", "send_at", "counts_table", "started_at", "finished_at")
    change_form_template = "admin/newsletters/newsletter/change_form.html"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def has_change_permission(self, request, obj=None):
        # Once it is going out, what readers get must not change under the worker.
        if obj is not None and obj.status in (Newsletter.Status.QUEUED, Newsletter.Status.SENDING, Newsletter.Status.SENT):
            return False
        return super().has_change_permission(request, obj)

    @admin.display(description="Sent")
    def sent_count(self, obj):
        return sending.counts(obj)["sent"] if obj.status != Newsletter.Status.DRAFT else "–"

    @admin.display(description="Counts")
    def counts_table(self, obj):
        if obj.pk is None:
            return "–"
        found = sending.counts(obj)
        return format_html(
            "{} recipients · {} sent · {} waiting · {} failed · {} skipped · {} unknown · {} bounced · {} complaints",
            *(found[k] for k in ("recipients", "sent", "waiting", "failed", "skipped", "unknown", "bounced", "complaints")),
        )

    def get_urls(self):
        own = [
            path("<int:pk>/preview/", self.admin_site.admin_view(self.preview), name="newsletters_newsletter_preview"),
            path("<int:pk>/send/", self.admin_site.admin_view(self.send), name="newsletters_newsletter_send"),
        ]
        return own + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "send_form": SendForm()}
        return super().change_view(request, object_id, form_url, extra_context)

    def preview(self, request, pk):
        newsletter = get_object_or_404(Newsletter, pk=pk)
        if not self.has_view_permission(request, newsletter):
            return HttpResponse(status=403)
        response = HttpResponse(emails.Rendered(newsletter).preview_html())
        response["Content-Security-Policy"] = "script-src 'none'"
        return response

    def send(self, request, pk):
        newsletter = get_object_or_404(Newsletter, pk=pk)
        back = redirect(reverse("admin:newsletters_newsletter_change", args=[pk]))
        if request.method != "POST" or not request.user.has_perm("newsletters.change_newsletter"):
            return back
        form = SendForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                messages.error(request, " ".join(errors))
            return back
        try:
            if "test" in request.POST:
                to = form.cleaned_data["test_to"] or request.user.email
                if not to:
                    messages.error(request, "Give an address for the test.")
                    return back
                sending.send_test(newsletter, to=to)
                messages.success(request, f"A test was sent to {to}.")
            elif "schedule" in request.POST:
                at = form.cleaned_data["send_at"]
                if at is None:
                    messages.error(request, "Give a date and time to schedule it.")
                    return back
                sending.schedule(newsletter, at=at, by=request.user)
                messages.success(request, f"Scheduled for {timezone.localtime(at):%d %b %Y %H:%M}.")
            elif "send_now" in request.POST:
                if sending.send_now(newsletter, by=request.user):
                    messages.success(request, "Queued: the worker is sending it now.")
                else:
                    messages.warning(request, "This newsletter was already queued or sent; nothing was sent twice.")
        except sending.NotSendable as error:
            messages.error(request, str(error))
        return back


class ConsentInline(admin.TabularInline):
    model = Consent
    extra = 0
    can_delete = False
    readonly_fields = ("action", "at", "source", "client_hash", "lists", "wording")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ("email", "status", "daily", "weekly", "breaking", "created_at", "confirmed_at")
    list_filter = ("status", "daily", "weekly", "breaking")
    search_fields = ("email",)
    readonly_fields = ("created_at", "confirmed_at", "unsubscribed_at", "link_version")
    filter_horizontal = ("sections",)
    inlines = [ConsentInline]
    actions = ["export_csv"]

    @admin.action(description="Export the selected subscribers as CSV (with consent)")
    def export_csv(self, request, queryset):
        out = io.StringIO()
        csvio.export(out, queryset)
        response = HttpResponse(out.getvalue(), content_type="text/csv")
        response["Content-Disposition"] = 'attachment; filename="subscribers.csv"'
        return response


@admin.register(Bounce)
class BounceAdmin(admin.ModelAdmin):
    list_display = ("email", "kind", "newsletter", "received_at", "detail")
    list_filter = ("kind",)
    search_fields = ("email",)
