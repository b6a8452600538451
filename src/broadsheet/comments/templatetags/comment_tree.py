"""{% comment_tree threads article page_number closed_reason %}: a page of threads, nested.

Written here in Python rather than by including comments/_comment.html once per comment (an
include per comment, recursively, resolves every variable through Django's lookup chain);
the HTML is the same, byte for byte, as that template wrote (tests/comments check the parts).
"""

from html import escape

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.safestring import mark_safe

register = template.Library()
EDITOR_BADGE = ' <span class="editor-badge">Editor</span>'
AWAITING = (
    '<p class="comment-awaiting" role="status">Your comment is awaiting moderation. Only you can '
    "see it until an editor approves it.</p>"
)


@register.simple_tag
def comment_tree(threads, article, page_number, closed_reason=""):
    permalink = reverse("comments:permalink", args=[999_999_999]).replace("999999999", "%d")
    story_url = escape(article.get_absolute_url())
    page = f"cpage={int(page_number)}&amp;" if int(page_number) > 1 else ""
    # Looked up once per thread, not once per comment: the time zone and the month names (lazy
    # translations, each a lookup of the active language).
    zone = timezone.get_current_timezone()
    months = {number: str(month) for number, month in MONTHS.items()}
    out = []

    def write(comment):
        pk, name = int(comment.pk), escape(comment.author_name)
        editor = comment.by_editor
        when = comment.created_at
        if when.utcoffset() is not None:
            when = when.astimezone(zone)
        shown = f"{when.day} {months[when.month]} {when.year:04d} at {when:%H:%M}"
        author = (
            f'<a href="{escape(comment.author_url)}" rel="nofollow ugc external noopener">{name}</a>'
            if comment.author_url
            else name
        )
        out.append(
            f'<li id="comment-{pk}" class="comment depth-{int(comment.depth)}'
            f'{" comment-pending" if comment.awaiting else ""}{" comment-by-editor" if editor else ""}">\n'
            f'  <article class="comment-body" aria-labelledby="comment-{pk}-author">\n'
            '    <header class="comment-meta">\n'
            f'      <span class="avatar avatar-{int(comment.avatar_colour)}" aria-hidden="true">'
            f"{escape(comment.avatar_initials)}</span>\n"
            f'      <span class="comment-author" id="comment-{pk}-author">{author}</span>'
            f"{EDITOR_BADGE if editor else ''}\n"
            f'      <a class="comment-permalink" href="{escape(permalink % pk)}"><time datetime="'
            f'{when.isoformat()}">{escape(shown)}</time></a>\n'
            "    </header>\n"
            f"    {AWAITING if comment.awaiting else ''}\n"
            f'    <div class="comment-content">{comment.body_html}</div>\n    '
        )
        if comment.can_reply and not closed_reason:
            out.append(
                f'<p class="reply"><a class="comment-reply-link" href="{story_url}?{page}replytocom={pk}'
                f'#respond" data-comment="{pk}" data-author="{name}" aria-label="Reply to {name}">Reply</a></p>'
            )
        out.append("\n  </article>\n  ")
        children = getattr(comment, "children", None)
        if children:
            out.append('\n  <ol class="children">\n    ')
            for child in children:
                write(child)
            out.append("\n  </ol>\n  ")
        out.append("\n</li>\n")

    for comment in threads:
        write(comment)
    return mark_safe("".join(out))
