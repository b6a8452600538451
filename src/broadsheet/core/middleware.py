"""Security headers Django 5.2 does not set by itself (CSP and Permissions-Policy), and a limit
on the size of a request body.

Django's SecurityMiddleware adds nosniff, Referrer-Policy, Cross-Origin-Opener-Policy and (over
HTTPS) HSTS; XFrameOptionsMiddleware adds X-Frame-Options. One policy serves the whole site,
the admin included: Django 5.2's admin loads its scripts and styles from files, so it needs no
'unsafe-inline' (tests/core/test_security_headers.py checks its pages for inline code).
"""

from django.http import HttpResponse

from . import conf

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "object-src 'none'",
    ]
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class RequestSizeLimitMiddleware:
    """Refuse a request whose declared body is larger than BROADSHEET_MAX_REQUEST_BYTES with a
    413, before any of it is read. Django bounds form fields (DATA_UPLOAD_MAX_MEMORY_SIZE) but
    streams file parts to disk, so a 300 MB upload was read whole before "too large"."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = conf.max_request_bytes()
        if length > limit:
            response = HttpResponse(
                "<!doctype html><title>Too large</title><h1>That was too large</h1><p>We accept at "
                f"most {limit // (1024 * 1024)} MB in one go (a picture may be up to 10 MB). Go back, "
                "attach a smaller file and send again.</p>",
                status=413,
            )
            # Sized, so the client reads the answer without waiting for the server to drop (or
            # drain) the body it never read.
            response["Content-Length"] = str(len(response.content))
            return response
        return self.get_response(request)
