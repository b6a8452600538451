"""Template tags for the editors' dashboard."""

from django import template

from .. import slots

register = template.Library()


@register.simple_tag
def dashboard_panels():
    return slots.dashboard_panels()
