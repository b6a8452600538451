"""{% teaser article big=False compact=False show_image=False %}: one story's teaser in a list.

The home page shows 45 of them and every listing 20, so the teaser is built here in Python
rather than by including a template per story (an include resolves each variable through
Django's lookup chain, about ten times the cost). What it shows: the picture (show_image),
the section and source, the headline (an <h2> when big, else <h3>), the standfirst (unless
compact), the time and the number of replies when the list was annotated with them.
"""

from html import escape

from django import template
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def teaser(article, big=False, compact=False, show_image=False):
    # Every value is a plain string from the database, escaped as Django's escape() does
    # (html.escape, quotes too), without its lazy-string wrapper: 45 teasers a page.
    url = escape(article.get_absolute_url())
    parts = [f'<article class="teaser{" teaser-lead" if big else ""}">\n  ']
    if article.image and show_image:
        # The media library's renditions (srcset, the picture's own size) when an annotator set them.
        library = getattr(article, "library_picture", None)
        picture = (library.big_teaser_html if big else library.teaser_html) if library else ""
        if picture:
            parts.append(f'<a href="{url}" tabindex="-1" aria-hidden="true">{picture}</a>')
        else:
            parts.append(
                f'<a href="{url}" tabindex="-1" aria-hidden="true"><img src="{escape(article.image.url)}" '
                'alt="" loading="lazy" width="640" height="360"></a>'
            )
    section = article.section
    parts.append(
        f'\n  <p class="kicker"><a href="{escape(section.get_absolute_url())}">{escape(section.name)}</a>'
    )
    if article.source_id and article.source:
        parts.append(f' · <span class="source-name">{escape(article.source.name)}</span>')
    heading = "h2" if big else "h3"
    parts.append(f'</p>\n  <{heading}><a href="{url}">{escape(article.headline)}</a></{heading}>\n  ')
    if article.summary and not compact:
        parts.append(f'<p class="summary">{escape(article.summary)}</p>')
    published = (
        timezone.localtime(article.publish_at)
        if timezone.is_aware(article.publish_at)
        else article.publish_at
    )
    # As the date filter writes "c" and "j M Y, H:i" (the month's name in the active language).
    shown = (
        f"{published.day} {str(MONTHS_3[published.month]).title()} {published.year:04d}, {published:%H:%M}"
    )
    parts.append(f'\n  <p class="meta"><time datetime="{published.isoformat()}">{escape(shown)}</time>')
    replies = getattr(article, "comment_count", 0)
    if replies:
        parts.append(
            f' · <a href="{url}#comments">{int(replies)} {"reply" if replies == 1 else "replies"}</a>'
        )
    parts.append("</p>\n</article>\n")
    return mark_safe("".join(parts))
