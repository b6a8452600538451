"""Template tags for the editors' dashboard."""

from django import template

from .. import slots

register = template.Library()


@register.simple_tag(takes_context=True)
def dashboard_panels(context):
    request = context.get("request")
    return slots.dashboard_panels(user=request.user if request else None)
