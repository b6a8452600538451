from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save


class PagesConfig(AppConfig):
    name = "broadsheet.pages"
    verbose_name = "Static pages"

    def ready(self):
        from .menu import rebuild_footer
        from .models import Page

        post_save.connect(rebuild_footer, sender=Page, dispatch_uid="pages.footer.save")
        post_delete.connect(rebuild_footer, sender=Page, dispatch_uid="pages.footer.delete")
        post_migrate.connect(rebuild_footer, sender=self, dispatch_uid="pages.footer.migrate")
