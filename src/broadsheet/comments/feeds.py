"""RSS feeds of approved comments: the whole site's, and one story's. Names only, never emails.

An item's description is HTML, as RSS 2.0 readers take it: the comment's own sanitised HTML
(paragraphs, nofollow links), never its raw text, whose `<` a reader would render as markup.
Every value passes through clean_text on the way out, so a row stored before control
characters were refused still cannot break the XML.
"""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Rss201rev2Feed

from broadsheet.core import surrogates
from broadsheet.core.text import clean_text
from broadsheet.newsroom.models import Article

from . import conf
from .models import Comment


class LatestCommentsFeed(Feed):
    feed_type = Rss201rev2Feed

    def title(self):
        return f"Comments on {conf.site_name()}"

    def link(self):
        return "/"

    def description(self):
        return f"The latest reader comments on {conf.site_name()}."

    def _comments(self):
        return (
            Comment.objects.approved()
            .filter(article__in=Article.objects.published())
            .select_related("article")
            .only("id", "author_name", "body_html", "created_at", "article__headline", "article__slug")
            .order_by("-created_at", "-id")
        )

    def get_object(self, request, *args, **kwargs):
        surrogates.declare(request, surrogates.COMMENT_FEED)
        return None

    def items(self):
        return self._comments()[: conf.FEED_SIZE]

    def item_title(self, comment):
        return clean_text(f"{comment.author_name} on “{comment.article.headline}”", multiline=False)

    def item_description(self, comment):
        return clean_text(comment.body_html)

    def item_link(self, comment):
        return comment.get_absolute_url()

    def item_guid(self, comment):
        return f"{conf.site_url()}{comment.get_absolute_url()}"

    def item_author_name(self, comment):
        return clean_text(comment.author_name, multiline=False)

    def item_pubdate(self, comment):
        return comment.created_at


class ArticleCommentsFeed(LatestCommentsFeed):
    def get_object(self, request, article_id):
        surrogates.declare(request, surrogates.story(article_id))
        return get_object_or_404(Article.objects.published(), pk=article_id)

    def title(self, article):
        return clean_text(f"Comments on “{article.headline}”", multiline=False)

    def link(self, article):
        return article.get_absolute_url()

    def description(self, article):
        return clean_text(f"Reader comments on “{article.headline}” at {conf.site_name()}.", multiline=False)

    def items(self, article):
        return self._comments().filter(article=article)[: conf.FEED_SIZE]
