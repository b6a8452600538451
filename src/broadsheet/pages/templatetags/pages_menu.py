"""The footer menu of static pages. The template keeps it in the fragment cache ({% shared %}),
like the section navigation: it is read once per change of content (a page saved included),
not once per page view."""

from django import template

register = template.Library()


@register.simple_tag
def footer_pages():
    from broadsheet.pages.models import Page

    return list(Page.objects.in_footer().only("title", "slug"))
