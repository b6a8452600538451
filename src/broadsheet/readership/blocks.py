"""Readership on newsroom pages: the beacon under each story, "Most read" on the home and
section pages (the same for every reader, so cached; refreshed every five minutes)."""

import time

from . import services


def beacon(request, article):
    return "readership/_beacon.html", {"article_id": article.pk}


def most_read(request, section=None):
    stories = services.most_read(section=section)
    if not stories:
        return None
    return "readership/_most_read.html", {"stories": stories, "section": section}


def five_minutes():
    return int(time.time() // 300)
