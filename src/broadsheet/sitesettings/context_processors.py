"""The site's look for every template (`look`), and its name as editors set it (`site_name`)."""

from django.utils.functional import SimpleLazyObject

from . import services


def look(request):
    found = getattr(request, "_site_look", None)
    if found is None:
        found = request._site_look = SimpleLazyObject(lambda: services.current(request))
    return {"look": found, "site_name": SimpleLazyObject(lambda: found.name)}
