"""{% footer_pages as pages %}: the footer menu's links, from the cache (see pages/menu.py)."""

from django import template

from broadsheet.pages.menu import footer_links

register = template.Library()


@register.simple_tag
def footer_pages():
    return footer_links()
