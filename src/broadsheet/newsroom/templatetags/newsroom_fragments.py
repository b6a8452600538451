"""{% shared "name" key ... %}...{% endshared %}: a part of a template that is the same for
every reader, kept in the fragment cache (see newsroom.slots.cached_fragment).

The part may use only what the keys name and what every reader shares (settings, the section
list): never the request, the user or a form. It goes stale with the surrogate keys the page
declared before it was rendered (site chrome, such as the navigation, only with a purge of all).
"""

from django import template

from broadsheet.core import surrogates

from .. import slots

register = template.Library()


class SharedNode(template.Node):
    def __init__(self, nodelist, name, keys):
        self.nodelist = nodelist
        self.name = name
        self.keys = keys

    def render(self, context):
        request = context.get("request")
        if request is None:
            return self.nodelist.render(context)
        name = self.name.resolve(context)
        key = ":".join(str(k.resolve(context)) for k in self.keys)
        return self.cached(request, name, key, lambda: self.nodelist.render(context))

    def cached(self, request, name, key, build):
        return slots.cached_fragment(
            request, f"shared-{name}", key, build, keys=sorted(surrogates.declared(request))
        )


class SitewideNode(SharedNode):
    """The site's frame (head links, masthead, navigation, banner, footer): rendered once per
    change of the site (a purge of all), as a site-wide value (slots.cached_value(site=True)),
    so a full render of any page reuses it even with the fragment cache off. It may use only
    site-wide values (the look, the sections, settings) and its keys."""

    def cached(self, request, name, key, build):
        return slots.cached_value(request, f"sitewide-{name}", key, build, site=True, size=4000)


@register.tag("sitewide")
def do_sitewide(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError('{% sitewide %} needs a name: {% sitewide "footer" %}')
    nodelist = parser.parse(("endsitewide",))
    parser.delete_first_token()
    return SitewideNode(
        nodelist, parser.compile_filter(bits[1]), [parser.compile_filter(b) for b in bits[2:]]
    )


@register.tag("shared")
def do_shared(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError('{% shared %} needs a name: {% shared "nav" key %}')
    nodelist = parser.parse(("endshared",))
    parser.delete_first_token()
    return SharedNode(nodelist, parser.compile_filter(bits[1]), [parser.compile_filter(b) for b in bits[2:]])
