"""The site's look, set by editors: name, tagline, logo, favicon, colours, menus, social links,
promo slots, the home page's layout and the breaking-news banner.

Every page shows these, so what pages read is one row: `look` is rebuilt as plain data
whenever any of them changes (see services.rebuild), and read in one query or from the cache.
"""

from django.db import models
from django.utils import timezone

from broadsheet.media.models import Picture
from broadsheet.newsroom.models import Section
from broadsheet.pages.models import Page


class SiteSettings(models.Model):
    name = models.CharField(max_length=100, blank=True, help_text="Empty: the BROADSHEET_SITE_NAME setting.")
    tagline = models.CharField(max_length=200, blank=True)
    logo_svg = models.TextField(blank=True, editable=False)
    logo_picture = models.ForeignKey(Picture, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    favicon_svg = models.TextField(blank=True, editable=False)
    favicon_picture = models.ForeignKey(Picture, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    accent_colour = models.CharField(max_length=7, default="#a3161a", help_text="Links, kickers and buttons, e.g. #a3161a.")
    accent_text_colour = models.CharField(max_length=7, default="#ffffff", help_text="Text on the accent colour.")
    breaking_text = models.CharField(max_length=200, blank=True)
    breaking_url = models.CharField(max_length=500, blank=True)
    breaking_raised_at = models.DateTimeField(null=True, blank=True)
    look = models.JSONField(default=dict, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = "site settings"
        verbose_name_plural = "site settings"

    def __str__(self):
        return "Site settings"


class BreakingBanner(SiteSettings):
    """The same row, with a screen of its own: editors raise and lower the banner quickly."""

    class Meta:
        proxy = True
        verbose_name = "breaking news banner"
        verbose_name_plural = "breaking news banner"


class MenuItem(models.Model):
    class Menu(models.TextChoices):
        HEADER = "header", "Header"
        FOOTER = "footer", "Footer"

    site = models.ForeignKey(SiteSettings, on_delete=models.CASCADE, related_name="menu_items")
    menu = models.CharField(max_length=6, choices=Menu.choices, default=Menu.HEADER)
    position = models.PositiveSmallIntegerField(default=0)
    section = models.ForeignKey(Section, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    # A static page by reference: the link follows its address if its slug changes, and the
    # item is hidden while the page is unpublished.
    page = models.ForeignKey(Page, null=True, blank=True, on_delete=models.CASCADE, related_name="menu_items")
    label = models.CharField(max_length=60, blank=True, help_text="Empty: the section's name or the page's title.")
    url = models.CharField(max_length=500, blank=True, help_text="A link (/about/, https://...), when no section or page.")

    class Meta:
        ordering = ["menu", "position", "id"]

    def __str__(self):
        return self.label or self.url or ("Page link" if self.page_id else "Section link")


class SocialLink(models.Model):
    class Network(models.TextChoices):
        X = "x", "X"
        FACEBOOK = "facebook", "Facebook"
        INSTAGRAM = "instagram", "Instagram"
        LINKEDIN = "linkedin", "LinkedIn"
        YOUTUBE = "youtube", "YouTube"
        MASTODON = "mastodon", "Mastodon"
        BLUESKY = "bluesky", "Bluesky"
        TIKTOK = "tiktok", "TikTok"
        WHATSAPP = "whatsapp", "WhatsApp"
        TELEGRAM = "telegram", "Telegram"

    site = models.ForeignKey(SiteSettings, on_delete=models.CASCADE, related_name="social_links")
    network = models.CharField(max_length=10, choices=Network.choices)
    url = models.URLField(max_length=500)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.get_network_display()


class HomeSection(models.Model):
    """One block of the home page: which section, in what order, how many stories."""

    site = models.ForeignKey(SiteSettings, on_delete=models.CASCADE, related_name="home_sections")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)
    stories = models.PositiveSmallIntegerField(default=4)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return f"{self.stories} stories"


class Promo(models.Model):
    class Placement(models.TextChoices):
        HOME = "home", "Home page"
        STORY = "story", "Story pages"
        BOTH = "both", "Home and story pages"

    placement = models.CharField(max_length=5, choices=Placement.choices, default=Placement.HOME)
    label = models.CharField(max_length=30, default="Advertisement", help_text="Shown above it, e.g. Advertisement, Promoted.")
    headline = models.CharField(max_length=120)
    text = models.CharField(max_length=300, blank=True)
    link = models.URLField(max_length=500)
    picture = models.ForeignKey(Picture, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    starts_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField(null=True, blank=True, help_text="Empty: until taken down.")

    class Meta:
        ordering = ["-starts_at"]

    def __str__(self):
        return self.headline
