"""Editors run a live page from the story's live-page screen: post updates (each signed by
its editor), pin key points, end the coverage. The breaking banner has its own screen in
Site settings."""

from django.contrib import admin

from .models import LiveCoverage, LiveUpdate


class LiveUpdateInline(admin.StackedInline):
    model = LiveUpdate
    fields = ("headline", "body", "key_point", "posted_at", "byline")
    readonly_fields = ("byline",)
    extra = 1


@admin.register(LiveCoverage)
class LiveCoverageAdmin(admin.ModelAdmin):
    list_display = ("article", "is_open", "started_at")
    autocomplete_fields = ("article",)
    inlines = [LiveUpdateInline]

    def save_formset(self, request, form, formset, change):
        for update in formset.save(commit=False):
            if update.author_id is None:
                update.author = request.user
            update.save()
        for gone in formset.deleted_objects:
            gone.delete()
