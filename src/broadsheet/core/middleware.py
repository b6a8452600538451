"""Security headers Django 5.2 does not set by itself: CSP and Permissions-Policy.

Django's SecurityMiddleware adds nosniff, Referrer-Policy, Cross-Origin-Opener-Policy and (over
HTTPS) HSTS; XFrameOptionsMiddleware adds X-Frame-Options. One policy serves the whole site,
the admin included: Django 5.2's admin loads its scripts and styles from files, so it needs no
'unsafe-inline' (tests/core/test_security_headers.py checks its pages for inline code).
"""

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
