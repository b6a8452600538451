"""The editors' desk: the story editor, autosave and presence, the dashboard, the branded back office."""

from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "broadsheet.desk"
    label = "desk"
    verbose_name = "Editors' desk"

    def ready(self):
        from django.contrib import admin

        from . import conf

        # The back office carries the site's name, not "Django administration".
        admin.site.site_header = f"{conf.site_name()} · desk"
        admin.site.site_title = conf.site_name()
        admin.site.index_title = "Back office"
        # The header's desk links replace the repeated app list, so list views get the width.
        admin.site.enable_nav_sidebar = False
