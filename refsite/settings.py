"""Settings for the HTTP status code reference.

One file, every deployment knob read from the environment through the small
typed helpers below. Local defaults are safe and need nothing installed:
SQLite and the local-memory cache. A bad value fails loudly at start-up.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def envstr(name: str, default: str) -> str:
    value = os.environ.get(name)
    return default if value is None or value == "" else value


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false, 1/0), got {value!r}")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from None


def envlist(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = envbool("DEBUG", True)

SECRET_KEY = envstr("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DEBUG off the site refuses to start without one. "
            "Set SECRET_KEY to a long random string, for example the output of "
            '`python -c "import secrets; print(secrets.token_urlsafe(50))"`.'
        )
    # Only ever used with DEBUG on, on a developer's machine.
    SECRET_KEY = "insecure-local-development-key-do-not-use-in-production"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "simple_history",
    "refsite.core",
    "codes",
    "guides",
    "refsite.accounts",
]

# Every model of these apps is public content: saving, deleting or bulk-updating
# any of them bumps the content version (refsite/core/content_version.py).
CONTENT_APPS = ["codes", "guides"]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # NUL in a path or query is a 400 before anything looks it up: refsite/core/middleware.py.
    "refsite.core.middleware.reject_nul_middleware",
    # One read of the content version per request: refsite/core/content_version.py.
    "refsite.core.content_version.version_middleware",
    "refsite.core.middleware.api_headers_middleware",
    # Above everything that a stored page does not need: see refsite/core/http_cache.py.
    "refsite.core.http_cache.page_cache_middleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "refsite.core.middleware.api_validators_middleware",
    "refsite.core.http_cache.cache_control_middleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "refsite.core.middleware.error_pages_middleware",
]

ROOT_URLCONF = "refsite.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "refsite.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=envint("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Fail fast when PostgreSQL is unreachable: a 503 in seconds, not a hung worker.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = envint(
        "DB_CONNECT_TIMEOUT", 3
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = envstr("REDIS_URL", "")
CACHE_KEY_PREFIX = envstr("CACHE_KEY_PREFIX", "refsite")


def _cache(alias: str) -> dict:
    """Redis when REDIS_URL is set (shared by every process), else process memory."""
    if not REDIS_URL:
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": alias}
    return {
        # Django's Redis backend, wrapped so a Redis outage means "no cache".
        "BACKEND": "refsite.core.cache.ResilientRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": f"{CACHE_KEY_PREFIX}:{alias}",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }


# "default" holds throttle counters and social cards; "pages" is the page cache
# (refsite/core/http_cache.py), keyed by the content version, which lives in
# the database so every process agrees on it.
CACHES = {"default": _cache("default"), "pages": _cache("pages")}

# How long a stored page is kept; an edit makes it unreachable long before that.
PAGE_CACHE_SECONDS = envint("PAGE_CACHE_SECONDS", 3600)
# How long a browser or shared proxy may reuse an anonymous page: the longest an
# edit can take to reach every reader (docs/production.md).
PAGE_MAX_AGE = envint("PAGE_MAX_AGE", 300)
NOT_FOUND_MAX_AGE = envint("NOT_FOUND_MAX_AGE", 60)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Messages in a signed cookie: reading them never touches the session, so anonymous
# pages stay free of session cookies.
MESSAGE_STORAGE = "django.contrib.messages.storage.cookie.CookieStorage"

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:account"
LOGOUT_REDIRECT_URL = "codes:index"

# The admin's address; move it with ADMIN_URL (e.g. "staff-7f3a/") to keep bots away.
ADMIN_URL = envstr("ADMIN_URL", "admin/").strip("/") + "/"

# E-mail (Django 6.1 mailers): printed to the console unless an SMTP host is set.
_SMTP_HOST = envstr("EMAIL_HOST", "")
if _SMTP_HOST:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _SMTP_HOST,
                "port": envint("EMAIL_PORT", 587),
                "username": envstr("EMAIL_HOST_USER", ""),
                "password": envstr("EMAIL_HOST_PASSWORD", ""),
                "use_tls": envbool("EMAIL_USE_TLS", True),
                "timeout": envint("EMAIL_TIMEOUT", 10),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = envstr(
    "DEFAULT_FROM_EMAIL", "HTTP Status Reference <noreply@localhost>"
)

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(envstr("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# A static file missing from the manifest is an error at render time, not a
# silently unhashed URL: a deploy that forgot collectstatic fails loudly.
WHITENOISE_MANIFEST_STRICT = True

# Security headers that cost nothing locally and matter in production.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
X_FRAME_OPTIONS = "DENY"
# Outside DEBUG, HTTPS everywhere by default; a TLS-terminating proxy in front sets
# SECURE_PROXY_SSL_HEADER=1 so Django trusts its X-Forwarded-Proto.
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", False)
if envbool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP

# A strict Content-Security-Policy (Django's built-in CSP): everything from this
# origin, no inline script or style anywhere, no framing, forms post only here.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# gunicorn (refsite/gunicorn.conf.py reads these). The classic rule of thumb for
# CPU-bound Django: two workers per core, plus one. Each worker runs a few threads
# (gthread) so that /status/?sleep= holds a thread, never a whole worker; with
# GUNICORN_THREADS=1 the workers are plain sync workers (docs/production.md).
GUNICORN = {
    "bind": envstr("GUNICORN_BIND", "127.0.0.1:8000"),
    "workers": envint("GUNICORN_WORKERS", (os.cpu_count() or 1) * 2 + 1),
    "threads": envint("GUNICORN_THREADS", 4),
    "timeout": envint("GUNICORN_TIMEOUT", 30),
    "graceful_timeout": envint("GUNICORN_GRACEFUL_TIMEOUT", 20),
    "keepalive": envint("GUNICORN_KEEPALIVE", 5),  # > the proxy's upstream keepalive_timeout
    "max_requests": envint("GUNICORN_MAX_REQUESTS", 5000),
    "accesslog": envstr("GUNICORN_ACCESS_LOG", "-"),
    "forwarded_allow_ips": envstr("FORWARDED_ALLOW_IPS", "127.0.0.1"),
}
# How many /status/?sleep= requests one process lets sleep at once; the rest get a
# quick 503. One thread fewer than a worker has, so ordinary pages always find a
# free thread (0 with sync workers: there a sleeper would hold the whole worker).
STATUS_SLEEPERS = envint("STATUS_SLEEPERS", GUNICORN["threads"] - 1)
if STATUS_SLEEPERS < 0:
    raise ImproperlyConfigured(f"STATUS_SLEEPERS must be 0 or more, got {STATUS_SLEEPERS}")
# Built in the gunicorn master before it forks, so every worker starts warm.
WARM_UP = ["codes.catalogue.get_catalogue", "guides.library.get_library"]
WARM_UP_TEMPLATES = ["codes/detail.html", "codes/index.html"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
}
