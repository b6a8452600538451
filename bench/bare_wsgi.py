"""The ceiling for the servers: a WSGI app returning a 36 KB page from memory, nothing else.

granian --interface wsgi --workers 2 --no-ws --working-dir bench bare_wsgi:application
"""

_PARAGRAPH = (
    "<p>A paragraph of filler text standing in for a news story, long enough that the page weighs "
    "about as much as a real article page of the site, markup and all.</p>\n"
)
BODY = (
    b"<!doctype html><html lang=en><head><meta charset=utf-8><title>Bare</title></head><body>\n"
    + (_PARAGRAPH * (36_000 // len(_PARAGRAPH))).encode()
    + b"</body></html>\n"
)
HEADERS = [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(BODY)))]


def application(environ, start_response):
    start_response("200 OK", HEADERS)
    return [BODY]
