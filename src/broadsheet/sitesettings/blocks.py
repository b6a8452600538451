"""What the site settings add to newsroom pages through its slots: the home layout, the promo
slot on home and story pages, and a story's share links."""

from urllib.parse import quote, urlencode

from django.conf import settings

from . import services


def home_layout(request):
    """[(section id, stories)] chosen by editors, or None for the default front page."""
    return services.current(request).home_layout or None


def home_promo(request, subject=None):
    promo = services.current(request).promo_for("home")
    return ("sitesettings/_promo.html", promo) if promo else None


def story_promo(request, article):
    promo = services.current(request).promo_for("story")
    return ("sitesettings/_promo.html", promo) if promo else None


def share_links(request, article):
    """Plain links to each network's own share page: no script of theirs, no request on load."""
    url = settings.BROADSHEET_SITE_URL.rstrip("/") + article.get_absolute_url()
    title = article.headline
    return (
        "sitesettings/_share.html",
        {
            "url": url,
            "links": [
                ("X", "https://x.com/intent/post?" + urlencode({"url": url, "text": title})),
                ("Facebook", "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url})),
                ("LinkedIn", "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": url})),
                ("WhatsApp", "https://wa.me/?" + urlencode({"text": f"{title} {url}"})),
                ("Telegram", "https://t.me/share/url?" + urlencode({"url": url, "text": title})),
                ("Email", f"mailto:?subject={quote(title)}&body={quote(url)}"),
            ],
        },
    )
