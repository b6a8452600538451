"""The footer menu of static pages. The template keeps it in the fragment cache ({% shared %}),
which moves on to a fresh copy whenever anything is saved, a page included."""

from django import template

register = template.Library()


@register.simple_tag
def footer_pages():
    from broadsheet.pages.models import Page

    return list(Page.objects.in_footer().only("title", "slug"))
