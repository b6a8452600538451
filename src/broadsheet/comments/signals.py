"""Signals the comments app sends (after commit), e.g. for a page cache to forget an article's pages."""

from django.dispatch import Signal

# The comments readers can see on an article changed (one appeared, was edited, or went away).
# Arguments: article_id.
comments_changed = Signal()
