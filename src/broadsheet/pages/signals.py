"""A saved or removed page changes the footer menu."""

from django.core.cache import cache

from .templatetags.pages_menu import CACHE_KEY


def forget_footer(**kwargs):
    cache.delete(CACHE_KEY)
