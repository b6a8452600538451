"""A small HTTP session for tests that talk to a live server over real sockets: cookies kept,
the CSRF token read from the form, redirects not followed (a test looks at the 302 itself)."""

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request

_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Session:
    def __init__(self, base_url, headers=None):
        self.base_url = base_url.rstrip("/")
        self.headers = dict(headers or {})
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect()
        )

    def request(self, method, path, data=None, headers=None):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(
            self.base_url + path, data=body, method=method, headers={**self.headers, **(headers or {})}
        )
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.headers, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode("utf-8", "replace")

    def get(self, path, headers=None):
        return self.request("GET", path, headers=headers)

    def post(self, path, data, headers=None):
        return self.request("POST", path, data=data, headers=headers)

    def form_token(self, path):
        """Load a form page and return the CSRF token it carries."""
        _status, _headers, html = self.get(path)
        match = _TOKEN.search(html)
        return match.group(1) if match else ""
