"""Redirects in the back office: list, search, edit, and a CSV bulk import."""

from django import forms
from django.contrib import admin, messages
from django.shortcuts import redirect, render
from django.urls import path

from . import services
from .models import Redirect


class CsvForm(forms.Form):
    file = forms.FileField(
        help_text="One redirect a row: old path, new address, and optionally exact or prefix.",
    )


@admin.register(Redirect)
class RedirectAdmin(admin.ModelAdmin):
    list_display = ("old_path", "new_url", "match", "hits", "last_hit_at", "origin")
    list_filter = ("match", "origin")
    search_fields = ("old_path", "new_url")
    readonly_fields = ("hits", "last_hit_at", "created_at")
    change_list_template = "admin/redirects/redirect/change_list.html"

    def get_urls(self):
        return [
            path("import-csv/", self.admin_site.admin_view(self.import_csv), name="redirects_redirect_import_csv"),
            *super().get_urls(),
        ]

    def import_csv(self, request):
        if not self.has_add_permission(request):
            return redirect("admin:redirects_redirect_changelist")
        form = CsvForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            report = services.import_csv(form.cleaned_data["file"].read(5_000_000))
            for number, message in report.errors[:50]:
                messages.warning(request, f"Row {number}: {message}")
            messages.success(request, f"{report.added} redirects added or updated; {len(report.errors)} rows refused.")
            return redirect("admin:redirects_redirect_changelist")
        context = {**self.admin_site.each_context(request), "form": form, "opts": self.model._meta, "title": "Import redirects from CSV"}
        return render(request, "admin/redirects/redirect/import_csv.html", context)
