"""Purgers: one interface (`base.Purger`), one module per shared cache, chosen by settings."""

from django.utils.module_loading import import_string

from .. import conf

KINDS = {
    "varnish": "broadsheet.edge.purgers.varnish.VarnishPurger",
    "fastly": "broadsheet.edge.purgers.fastly.FastlyPurger",
    "cloudflare": "broadsheet.edge.purgers.cloudflare.CloudflarePurger",
}


def get_purgers():
    """The configured purgers, by name (BROADSHEET_EDGE_PURGERS)."""
    found = {}
    for number, options in enumerate(conf.purgers(), 1):
        options = dict(options)
        kind = options.pop("kind")
        name = options.pop("name", f"{kind}-{number}")
        found[name] = import_string(KINDS.get(kind, kind))(name=name, timeout=conf.purge_timeout(), **options)
    return found
