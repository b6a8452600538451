"""{% load syndication_meta %}: show the metadata that syndication.metadata computed."""

from django import template
from django.utils.safestring import mark_safe

from .. import conf, metadata

register = template.Library()


def show(meta):
    """The tags of a PageMeta (built in Python, not a template: it is on every page)."""
    return mark_safe(metadata.meta_html(meta))


@register.simple_tag
def site_description():
    return conf.DEFAULT_DESCRIPTION


@register.simple_tag(takes_context=True)
def article_meta(context, article, preview=False):
    return show(metadata.article_meta(article, preview=bool(preview), request=context.get("request")))


@register.simple_tag(takes_context=True)
def listing_meta(context):
    request = context.get("request")
    return show(
        metadata.listing_meta(
            title=context.get("title", ""),
            description=context.get("description", ""),
            kind=context.get("kind", ""),
            subject=context.get("subject"),
            query=request.GET if request is not None else None,
            path=request.path if request is not None else "/",
        )
    )


@register.simple_tag
def home_meta():
    return show(metadata.home_meta())


@register.simple_tag(takes_context=True)
def page_meta(context):
    request = context.get("request")
    return show(metadata.page_meta(request.path if request is not None else "/"))
