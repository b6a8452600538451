from django.apps import AppConfig


class SiteSettingsConfig(AppConfig):
    name = "broadsheet.sitesettings"
    label = "sitesettings"
    verbose_name = "Site settings"

    def ready(self):
        from django.db.models.signals import post_delete, post_migrate, post_save

        from broadsheet.core import hooks
        from broadsheet.newsroom import slots
        from broadsheet.newsroom.models import Section
        from broadsheet.pages.models import Page

        from . import blocks, services
        from .models import HomeSection, MenuItem, Promo, SiteSettings, SocialLink

        def look_changed(sender, **kwargs):
            services.rebuild(create=sender not in (Section, Page))

        # A page's title, address or publication shows in the menus that link it.
        for model in (SiteSettings, MenuItem, SocialLink, HomeSection, Promo, Section, Page):
            post_save.connect(look_changed, sender=model, dispatch_uid=f"sitesettings.{model.__name__}.save", weak=False)
            post_delete.connect(look_changed, sender=model, dispatch_uid=f"sitesettings.{model.__name__}.delete", weak=False)

        # The stored look is plain data: rebuild it after a migration may have changed its parts.
        post_migrate.connect(rebuilt_after_migrate, sender=self, dispatch_uid="sitesettings.migrate")
        hooks.register(slots.HOME_LAYOUT, blocks.home_layout, name="sitesettings")
        hooks.register(slots.HOME_BLOCK, blocks.home_promo, order=5, name="promo")
        hooks.register(slots.ARTICLE_BLOCK, blocks.story_promo, order=5, name="promo")
        hooks.register(slots.ARTICLE_BLOCK, blocks.share_links, order=1, name="share", shared=True)


def rebuilt_after_migrate(sender, using="default", **kwargs):
    from django.db import DatabaseError

    from . import services

    try:
        services.rebuild(create=False)
    except DatabaseError:  # a partial migrate (tables of other apps missing)
        pass
