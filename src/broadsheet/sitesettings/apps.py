from django.apps import AppConfig


class SiteSettingsConfig(AppConfig):
    name = "broadsheet.sitesettings"
    label = "sitesettings"
    verbose_name = "Site settings"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from broadsheet.newsroom import slots
        from broadsheet.newsroom.models import Section

        from . import blocks, services
        from .models import HomeSection, MenuItem, Promo, SiteSettings, SocialLink

        def look_changed(sender, **kwargs):
            services.rebuild(create=sender is not Section)

        for model in (SiteSettings, MenuItem, SocialLink, HomeSection, Promo, Section):
            post_save.connect(look_changed, sender=model, dispatch_uid=f"sitesettings.{model.__name__}.save", weak=False)
            post_delete.connect(look_changed, sender=model, dispatch_uid=f"sitesettings.{model.__name__}.delete", weak=False)

        slots.register_home_layout(blocks.home_layout)
        slots.register_page_block("home", "promo", blocks.home_promo, order=5)
        slots.register_article_block("promo", blocks.story_promo, order=5)
        slots.register_article_block("share", blocks.share_links, order=1, shared=True)
