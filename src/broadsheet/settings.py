"""Broadsheet settings: every value comes from the environment, with defaults that run locally.

The table of variables lives in the README. Any other BROADSHEET_* variable becomes the setting
of the same name (the end of this file), which an app's conf.py reads when it is used, never at
import; the core.W001 check names a BROADSHEET_* variable that no code reads. The only other
readers of os.environ are the server commands' defaults: `broadsheet serve` (HOST, PORT,
WEB_CONCURRENCY, BROADSHEET_SERVER, BROADSHEET_THREADS) and `broadsheet varnish` (HOST,
VARNISH_PORT).
"""

import os
import secrets
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    value = os.environ.get(name, default)
    return [item.strip() for item in value.split(",") if item.strip()]


DATA_DIR = Path(os.environ.get("BROADSHEET_DATA") or "var").resolve()
# Owner-only: the folder holds the database (sessions, two-factor keys, commenters' emails).
DATA_DIR.mkdir(parents=True, exist_ok=True, mode=0o700)


# Where the generated key lives (None when SECRET_KEY comes from the environment); the
# core.E001 system check refuses a key file inside a source checkout.
SECRET_KEY_FILE = None if os.environ.get("SECRET_KEY") else DATA_DIR / "secret_key"


def _secret_key():
    """SECRET_KEY from the environment, else one generated once and kept in the data folder."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = SECRET_KEY_FILE
    try:
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return key_file.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

BROADSHEET_SITE_NAME = os.environ.get("BROADSHEET_SITE_NAME", "The Broadsheet")
# Unset, absolute links (canonical, feeds, sitemaps, emails) follow where `broadsheet serve`
# listens (HOST and PORT; a wildcard host is reached on the loopback address).
_SERVED_HOST = os.environ.get("HOST", "127.0.0.1").strip("[]")
_SERVED_HOST = "127.0.0.1" if _SERVED_HOST in {"", "0.0.0.0", "::"} else _SERVED_HOST
_SERVED_HOST = f"[{_SERVED_HOST}]" if ":" in _SERVED_HOST else _SERVED_HOST
BROADSHEET_SITE_URL = (
    os.environ.get("BROADSHEET_SITE_URL") or f"http://{_SERVED_HOST}:{os.environ.get('PORT') or '8000'}"
).rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "broadsheet.core",
    "broadsheet.pagecache",
    "broadsheet.accounts",
    "broadsheet.newsroom",
    "broadsheet.media",
    "broadsheet.submissions",
    "broadsheet.comments",
    "broadsheet.related",
    "broadsheet.search",
    "broadsheet.syndication",
    "broadsheet.api",
    "broadsheet.redirects",
    "broadsheet.pages",
    "broadsheet.wordpress",
    "broadsheet.desk",
    "broadsheet.wire",
    "broadsheet.sitesettings",
    "broadsheet.newsletters",
    "broadsheet.readership",
    "broadsheet.live",
    "broadsheet.edge",
]

MIDDLEWARE = [
    "broadsheet.core.middleware.RequestSizeLimitMiddleware",
    "broadsheet.edge.middleware.SharedCacheHeaders",
    "django.middleware.security.SecurityMiddleware",
    "broadsheet.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "broadsheet.redirects.middleware.RedirectFallbackMiddleware",
]

ROOT_URLCONF = "broadsheet.urls"
WSGI_APPLICATION = "broadsheet.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "broadsheet.core.context_processors.site",
                "broadsheet.newsroom.context_processors.navigation",
                "broadsheet.sitesettings.context_processors.look",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------------

SQLITE_PATH = DATA_DIR / "broadsheet.sqlite3"


def _create_owner_only(path):
    """Create an empty file readable by its owner only (SQLite gives its -wal and -shm files
    the database file's mode), unless it exists already."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass


DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{SQLITE_PATH}",
        conn_max_age=600,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if DATABASES["default"]["NAME"] not in ("", ":memory:"):
        _create_owner_only(DATABASES["default"]["NAME"])
    # WAL lets readers run beside a writer; IMMEDIATE transactions and a busy timeout make
    # concurrent writers queue instead of failing with "database is locked".
    # Each server thread keeps its connection (opening one and setting its pragmas cost about
    # as much as rendering a page); core.sqlite keeps the planner's statistics fresh on it.
    DATABASES["default"]["CONN_MAX_AGE"] = 600
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA foreign_keys=ON;"
            "PRAGMA temp_store=MEMORY;"
            "PRAGMA mmap_size=268435456;"
            "PRAGMA cache_size=-32000;"
        ),
    }
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test-broadsheet.sqlite3")}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiler pays for long reports, not for a page's queries: a query the
    # planner costs high (a sitemap page, a tag with many stories) waited 100-300 ms for it.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")

# An optional read replica: read-only queries go there, writes and transactions to the primary.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=600, conn_health_checks=True
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    if DATABASES["replica"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
    DATABASE_ROUTERS = ["broadsheet.core.db_router.ReplicaRouter"]
    MIDDLEWARE.insert(0, "broadsheet.core.db_router.PinPrimaryAfterWriteMiddleware")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FORMS_URLFIELD_ASSUME_HTTPS = True

# --- Cache ----------------------------------------------------------------------------------

REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_KEY_PREFIX = os.environ.get("BROADSHEET_CACHE_PREFIX", "broadsheet")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "broadsheet.core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "TIMEOUT": 300,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    # A file cache is shared by every worker process of one machine without another service.
    CACHES = {
        "default": {
            "BACKEND": "broadsheet.core.cache.FileCache",
            "LOCATION": str(DATA_DIR / "cache"),
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "TIMEOUT": 300,
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }

# --- Background tasks -----------------------------------------------------------------------

TASKS = {
    "default": {
        "BACKEND": os.environ.get("BROADSHEET_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# --- Email ----------------------------------------------------------------------------------


def _email_settings(url):
    """Turn EMAIL_URL (console://, locmem://, smtp://user:pass@host:port?tls=1) into settings."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    backends = {
        "console": "django.core.mail.backends.console.EmailBackend",
        "locmem": "django.core.mail.backends.locmem.EmailBackend",
        "dummy": "django.core.mail.backends.dummy.EmailBackend",
        "smtp": "django.core.mail.backends.smtp.EmailBackend",
        "smtps": "django.core.mail.backends.smtp.EmailBackend",
        "submission": "django.core.mail.backends.smtp.EmailBackend",
    }
    result = {"EMAIL_BACKEND": backends.get(scheme, backends["console"])}
    if scheme in {"smtp", "smtps", "submission"}:
        query = parse_qs(parts.query)
        result.update(
            EMAIL_HOST=parts.hostname or "localhost",
            EMAIL_PORT=parts.port or (465 if scheme == "smtps" else 587 if scheme == "submission" else 25),
            EMAIL_HOST_USER=unquote(parts.username or ""),
            EMAIL_HOST_PASSWORD=unquote(parts.password or ""),
            EMAIL_USE_SSL=scheme == "smtps",
            EMAIL_USE_TLS=scheme == "submission" or query.get("tls", ["0"])[0] in {"1", "true"},
        )
    return result


globals().update(_email_settings(os.environ.get("EMAIL_URL", "console://")))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "newsroom@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
BROADSHEET_EDITOR_EMAILS = env_list("BROADSHEET_EDITOR_EMAILS", "editors@localhost")

# --- Auth, sessions, security ---------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"

HTTPS = env_bool("BROADSHEET_HTTPS", False)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = HTTPS
CSRF_FAILURE_VIEW = "broadsheet.core.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = HTTPS and env_bool("BROADSHEET_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = False
# Preloading HSTS is a one-way promise for the whole domain and its subdomains, so it is the
# operator's choice, not a default; `check --deploy` would otherwise always warn about it.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
BEHIND_PROXY = env_bool("BROADSHEET_BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Internationalisation, static and media -------------------------------------------------

LANGUAGE_CODE = "en"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("BROADSHEET_MEDIA", DATA_DIR / "media")).resolve()
MEDIA_ROOT.mkdir(parents=True, exist_ok=True, mode=0o700)
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not env_bool("BROADSHEET_PLAIN_STATIC", False)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_MAX_AGE = 3600

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Broadsheet -----------------------------------------------------------------------------

BROADSHEET_PAGE_SIZE = int(os.environ.get("BROADSHEET_PAGE_SIZE", "20"))


# Every other BROADSHEET_* environment variable becomes the setting of the same name that an
# app's conf.py reads: JSON values are parsed (true, 5, ["https://a.example"]), anything else
# is kept as text. e.g. BROADSHEET_FEED_FULL_TEXT=true, BROADSHEET_COMMENTS_FLOOD_SECONDS=0.
def _app_settings_from_environment(namespace):
    import json

    for name, raw in os.environ.items():
        if name.startswith("BROADSHEET_") and name not in namespace:
            try:
                namespace[name] = json.loads(raw)
            except ValueError:
                namespace[name] = raw


_app_settings_from_environment(globals())
