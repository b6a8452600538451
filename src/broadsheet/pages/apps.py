from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class PagesConfig(AppConfig):
    name = "broadsheet.pages"
    verbose_name = "Static pages"

    def ready(self):
        from .models import Page
        from .signals import forget_footer

        post_save.connect(forget_footer, sender=Page, dispatch_uid="pages.footer.save")
        post_delete.connect(forget_footer, sender=Page, dispatch_uid="pages.footer.delete")
