"""The desk's view of what is read now: reads per hour over two days as a chart, and the most
read stories of the last hour and the last day."""

from django.contrib import admin
from django.template.response import TemplateResponse

from . import chart, services
from .models import StoryReads


@admin.register(StoryReads)
class StoryReadsAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        context = {
            **self.admin_site.each_context(request),
            "title": "What readers read",
            "opts": self.model._meta,
            "chart": chart.bars(services.reads_by_hour(hours=48)),
            "last_hour": services.most_read(hours=1, limit=10),
            "last_day": services.most_read(hours=24, limit=10),
        }
        return TemplateResponse(request, "admin/readership/desk.html", context)
