"""The periodic jobs' record in the back office: read-only, what ran when and what failed."""

from django.contrib import admin

from .models import PeriodicJob


@admin.register(PeriodicJob)
class PeriodicJobAdmin(admin.ModelAdmin):
    list_display = ("name", "last_finished_at", "next_run_at", "runs", "leased_by", "has_failed")
    readonly_fields = [f.name for f in PeriodicJob._meta.fields]

    @admin.display(boolean=True, description="Last run failed")
    def has_failed(self, job):
        return bool(job.last_error)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
