"""{% teaser article big=False compact=False show_image=False %}: one story's teaser in a list;
{% teasers stories compact=False image_every=0 %}: a list of them (every image_every-th one,
counting from the first, with its picture).

The home page shows 45 of them and every listing 20, so the teaser is built here in Python
rather than by including a template per story (an include resolves each variable through
Django's lookup chain, about ten times the cost), and a list is built by one tag, which looks
up the reader's time zone and the month names once for the whole list rather than per story.
What a teaser shows: the picture (show_image), the section and source, the headline (an <h2>
when big, else <h3>), the standfirst (unless compact), the time and the number of replies when
the list was annotated with them.
"""

from html import escape

from django import template
from django.utils import timezone, translation
from django.utils.dates import MONTHS_3
from django.utils.safestring import mark_safe

register = template.Library()

_month_names = {}  # language -> {month: "Jan"...}, as the date filter's "M" writes them


def _months():
    language = translation.get_language()
    names = _month_names.get(language)
    if names is None:
        names = _month_names[language] = {m: str(MONTHS_3[m]).title() for m in range(1, 13)}
    return names


class _Teasers:
    """Builds teasers for one list: the time zone, month names and each section's kicker are
    looked up once."""

    def __init__(self):
        self.zone = timezone.get_current_timezone()
        self.months = _months()
        self.kickers = {}

    def kicker(self, section):
        html = self.kickers.get(section.pk)
        if html is None:
            html = self.kickers[section.pk] = (
                f'\n  <p class="kicker"><a href="{escape(section.get_absolute_url())}">{escape(section.name)}</a>'
            )
        return html

    def teaser(self, article, big=False, compact=False, show_image=False):
        # Every value is a plain string from the database, escaped as Django's escape() does
        # (html.escape, quotes too), without its lazy-string wrapper.
        url = escape(article.get_absolute_url())
        parts = [f'<article class="teaser{" teaser-lead" if big else ""}">\n  ']
        image = article.image if show_image else None
        if image:
            # The media library's renditions (srcset, the picture's own size) when an annotator set them.
            library = getattr(article, "library_picture", None)
            picture = (library.big_teaser_html if big else library.teaser_html) if library else ""
            if picture:
                parts.append(f'<a href="{url}" tabindex="-1" aria-hidden="true">{picture}</a>')
            else:
                parts.append(
                    f'<a href="{url}" tabindex="-1" aria-hidden="true"><img src="{escape(image.url)}" '
                    'alt="" loading="lazy" width="640" height="360"></a>'
                )
        parts.append(self.kicker(article.section))
        if article.source_id and article.source:
            parts.append(f' · <span class="source-name">{escape(article.source.name)}</span>')
        heading = "h2" if big else "h3"
        parts.append(f'</p>\n  <{heading}><a href="{url}">{escape(article.headline)}</a></{heading}>\n  ')
        if article.summary and not compact:
            parts.append(f'<p class="summary">{escape(article.summary)}</p>')
        published = article.publish_at
        if published.utcoffset() is not None:
            published = published.astimezone(self.zone)
        # As the date filter writes "c" and "j M Y, H:i" (the month's name in the active language).
        shown = f"{published.day} {self.months[published.month]} {published.year:04d}, {published:%H:%M}"
        parts.append(f'\n  <p class="meta"><time datetime="{published.isoformat()}">{escape(shown)}</time>')
        replies = getattr(article, "comment_count", 0)
        if replies:
            parts.append(
                f' · <a href="{url}#comments">{int(replies)} {"reply" if replies == 1 else "replies"}</a>'
            )
        parts.append("</p>\n</article>\n")
        return "".join(parts)


@register.simple_tag
def teaser(article, big=False, compact=False, show_image=False):
    return mark_safe(_Teasers().teaser(article, big=big, compact=compact, show_image=show_image))


@register.simple_tag
def teasers(stories, compact=False, image_every=0):
    """The teasers of `stories`, one after the other, as a loop of {% teaser %} would write them."""
    build = _Teasers().teaser
    return mark_safe(
        "".join(
            build(article, compact=compact, show_image=bool(image_every) and n % image_every == 0)
            for n, article in enumerate(stories)
        )
    )
