"""The back office's view of the site's own machinery: is the task worker alive?"""

from django import template

from broadsheet.core import workers

register = template.Library()


@register.simple_tag
def worker_status():
    return workers.status()
