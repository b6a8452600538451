from django.apps import AppConfig


class SiteSettingsConfig(AppConfig):
    name = "broadsheet.sitesettings"
    label = "sitesettings"
    verbose_name = "Site settings"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from broadsheet.core import hooks
        from broadsheet.newsroom import slots
        from broadsheet.newsroom.models import Section

        from . import blocks, services
        from .models import HomeSection, MenuItem, Promo, SiteSettings, SocialLink

        def look_changed(sender, **kwargs):
            services.rebuild(create=sender is not Section)

        for model in (SiteSettings, MenuItem, SocialLink, HomeSection, Promo, Section):
            post_save.connect(look_changed, sender=model, dispatch_uid=f"sitesettings.{model.__name__}.save", weak=False)
            post_delete.connect(look_changed, sender=model, dispatch_uid=f"sitesettings.{model.__name__}.delete", weak=False)

        hooks.register(slots.HOME_LAYOUT, blocks.home_layout, name="sitesettings")
        hooks.register(slots.HOME_BLOCK, blocks.home_promo, order=5, name="promo")
        hooks.register(slots.ARTICLE_BLOCK, blocks.story_promo, order=5, name="promo")
        hooks.register(slots.ARTICLE_BLOCK, blocks.share_links, order=1, name="share", shared=True)
