"""Static pages (About, Contact, Privacy...): edited in the back office, linked from the site's
menus (site settings: a menu item names the page, so the link follows its slug)."""

from django.db import models
from django.urls import reverse
from django.utils import timezone

from broadsheet.core.body import sanitise_body


class PageQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class Page(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True, allow_unicode=True, help_text="Its address: /page/<slug>/.")
    body = models.TextField(blank=True, help_text="HTML in the story body vocabulary; anything else is removed.")
    is_published = models.BooleanField(default=True, help_text="Unpublished: its address answers 404 and menus hide it.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = PageQuerySet.as_manager()

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body = sanitise_body(self.body)
        self.updated_at = timezone.now()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("pages:page", args=[self.slug])
