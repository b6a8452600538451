"""{% teaser article big=False compact=False show_image=False %}: one story's teaser in a list.

The home page shows 45 of them and every listing 20, so the teaser is built here in Python
rather than by including a template per story (an include resolves each variable through
Django's lookup chain, about ten times the cost). What it shows: the picture (show_image),
the section and source, the headline (an <h2> when big, else <h3>), the standfirst (unless
compact), the time and the number of replies when the list was annotated with them.
"""

from django import template
from django.utils import dateformat, timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def teaser(article, big=False, compact=False, show_image=False):
    url = conditional_escape(article.get_absolute_url())
    parts = [f'<article class="teaser{" teaser-lead" if big else ""}">\n  ']
    if article.image and show_image:
        # The media library's renditions (srcset, the picture's own size) when an annotator set them.
        picture = (big and getattr(article, "big_teaser_picture_html", "")) or getattr(
            article, "teaser_picture_html", ""
        )
        if picture:
            parts.append(
                format_html('<a href="{}" tabindex="-1" aria-hidden="true">{}</a>', url, mark_safe(picture))
            )
        else:
            parts.append(
                format_html(
                    '<a href="{}" tabindex="-1" aria-hidden="true"><img src="{}" alt="" loading="lazy" '
                    'width="640" height="360"></a>',
                    url,
                    article.image.url,
                )
            )
    section = article.section
    parts.append(
        format_html('\n  <p class="kicker"><a href="{}">{}</a>', section.get_absolute_url(), section.name)
    )
    if article.source_id and article.source:
        parts.append(format_html(' · <span class="source-name">{}</span>', article.source.name))
    heading = "h2" if big else "h3"
    parts.append(
        f'</p>\n  <{heading}><a href="{url}">{conditional_escape(article.headline)}</a></{heading}>\n  '
    )
    if article.summary and not compact:
        parts.append(format_html('<p class="summary">{}</p>', article.summary))
    published = (
        timezone.localtime(article.publish_at)
        if timezone.is_aware(article.publish_at)
        else article.publish_at
    )
    parts.append(
        format_html(
            '\n  <p class="meta"><time datetime="{}">{}</time>',
            dateformat.format(published, "c"),
            dateformat.format(published, "j M Y, H:i"),
        )
    )
    replies = getattr(article, "comment_count", 0)
    if replies:
        parts.append(
            format_html(
                ' · <a href="{}#comments">{} {}</a>', url, replies, "reply" if replies == 1 else "replies"
            )
        )
    parts.append("</p>\n</article>\n")
    return mark_safe("".join(parts))
