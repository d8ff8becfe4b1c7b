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
    # Ends a request's wait on a hung PostgreSQL: refsite/core/db_deadline.py.
    "refsite.core.db_deadline.database_deadline_middleware",
    # One read of the content version per request: refsite/core/content_version.py.
    "refsite.core.content_version.version_middleware",
    "refsite.core.middleware.api_headers_middleware",
    # HEAD runs as GET below here; then 429 and 406 before any cache or view.
    "refsite.core.middleware.api_head_middleware",
    "refsite.core.middleware.api_admission_middleware",
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
# A database that stops answering costs a request seconds, never a hung worker
# (docs/production.md, "When things fail"): the server cancels a statement after
# DB_STATEMENT_TIMEOUT, and refsite/core/db_deadline.py ends any wait on
# PostgreSQL longer than DB_WAIT_DEADLINE, which no server-side setting can.
DB_STATEMENT_TIMEOUT = envint("DB_STATEMENT_TIMEOUT", 3)
DB_WAIT_DEADLINE = envint("DB_WAIT_DEADLINE", DB_STATEMENT_TIMEOUT + 1)
_db_options = DATABASES["default"].setdefault("OPTIONS", {})
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _db_options.update(
        # Fail fast when PostgreSQL is unreachable: a 503 in seconds.
        connect_timeout=envint("DB_CONNECT_TIMEOUT", 3),
        # Slow statements (locks, a runaway query) end on the server; 0 turns it off.
        options=f"-c statement_timeout={DB_STATEMENT_TIMEOUT * 1000}",
        # A peer that vanishes (host down, network cut) is noticed in seconds:
        # unacknowledged data for 5 s, or 3 unanswered keepalives after 5 s idle.
        keepalives=1,
        keepalives_idle=5,
        keepalives_interval=1,
        keepalives_count=3,
        tcp_user_timeout=5000,
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several gunicorn workers write to one file (sessions, rate-limit counters).
    # WAL: reads go on during a write. IMMEDIATE: a transaction takes the write
    # lock when it begins, since a transaction that reads and then writes fails
    # at once, ignoring the timeout, when another writer got in between. timeout:
    # a writer waits up to DB_STATEMENT_TIMEOUT seconds for the lock, then the
    # request answers 503 instead of hanging.
    _db_options.update(
        {
            "timeout": DB_STATEMENT_TIMEOUT or 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        }
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A transaction takes SQLite's write lock when it starts: concurrent writers then
    # wait their turn (up to the busy timeout) instead of failing with "database is
    # locked" when a read turns into a write, and a check-then-write in
    # transaction.atomic() cannot interleave with another.
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = envstr("REDIS_URL", "")
CACHE_KEY_PREFIX = envstr("CACHE_KEY_PREFIX", "refsite")
# After a Redis failure, skip Redis for this long before trying again
# (refsite/core/cache.py): a hung Redis costs one timeout, not one per call.
CACHE_BREAKER_SECONDS = envint("CACHE_BREAKER_SECONDS", 5)


# How many entries the page cache keeps in process memory (without Redis), and
# the largest page it stores. With Redis, its maxmemory policy is the bound
# (docs/production.md): everything kept in Redis is a cache that may be evicted.
PAGE_CACHE_MAX_ENTRIES = envint("PAGE_CACHE_MAX_ENTRIES", 1000)
PAGE_CACHE_MAX_BYTES = envint("PAGE_CACHE_MAX_BYTES", 512 * 1024)


def _cache(alias: str, url: str) -> dict:
    """Redis when a URL is set (shared by every process), else process memory."""
    if not url:
        config = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": alias}
        if alias == "pages":
            # Full: drop a quarter of the entries (the oldest), not all of them.
            config["OPTIONS"] = {"MAX_ENTRIES": PAGE_CACHE_MAX_ENTRIES, "CULL_FREQUENCY": 4}
        return config
    return {
        # Django's Redis backend, wrapped so a Redis outage means "no cache".
        "BACKEND": "refsite.core.cache.ResilientRedisCache",
        "LOCATION": url,
        "KEY_PREFIX": f"{CACHE_KEY_PREFIX}:{alias}",
        # redis-py's pool takes both timeouts (a silent Redis costs 0.5 s, once:
        # then the breaker skips it); breaker_seconds is ResilientRedisCache's.
        "OPTIONS": {
            "socket_connect_timeout": 0.5,
            "socket_timeout": 0.5,
            "breaker_seconds": CACHE_BREAKER_SECONDS,
        },
    }


# "default" holds social cards; "pages" is the page cache (refsite/core/http_cache.py),
# keyed by the content version. The version and the rate-limit counters live in
# the database, so every process agrees on them and no eviction can drop them.
CACHES = {"default": _cache("default", REDIS_URL), "pages": _cache("pages", REDIS_URL)}

# How long a stored page is kept; an edit makes it unreachable long before that.
PAGE_CACHE_SECONDS = envint("PAGE_CACHE_SECONDS", 3600)
# How long a browser or shared proxy may reuse an anonymous page: the longest an
# edit can take to reach every reader (docs/production.md).
PAGE_MAX_AGE = envint("PAGE_MAX_AGE", 300)
NOT_FOUND_MAX_AGE = envint("NOT_FOUND_MAX_AGE", 60)
# Requests a minute one client address may make to the JSON API (then 429).
API_RATE_LIMIT = envint("API_RATE_LIMIT", 300)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Messages in a signed cookie: reading them never touches the session, so anonymous
# pages stay free of session cookies.
MESSAGE_STORAGE = "django.contrib.messages.storage.cookie.CookieStorage"

# Request bodies, capped (docs/production.md). Beyond any of these Django refuses the
# request and the site answers 413 (refsite/core/views.py: bad_request). The largest
# form is a guide edited in the admin, tens of KB; no form takes a file, so a file
# part is refused before it is read (raise DATA_UPLOAD_MAX_NUMBER_FILES if one ever
# does). docs/nginx/refsite.conf caps the body at the same 1 MiB.
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("DATA_UPLOAD_MAX_MEMORY_SIZE", 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = envint("DATA_UPLOAD_MAX_NUMBER_FIELDS", 1000)
DATA_UPLOAD_MAX_NUMBER_FILES = envint("DATA_UPLOAD_MAX_NUMBER_FILES", 0)
FILE_UPLOAD_MAX_MEMORY_SIZE = envint("FILE_UPLOAD_MAX_MEMORY_SIZE", 1024 * 1024)

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

# How many reverse proxies in front of the app append to X-Forwarded-For (nginx
# alone: 1). Rate limits then count the address the outermost one saw
# (refsite/core/throttle.py: client_address). 0 trusts no header: only the TCP peer.
TRUSTED_PROXY_HOPS = envint("TRUSTED_PROXY_HOPS", 0)
if TRUSTED_PROXY_HOPS < 0:
    raise ImproperlyConfigured(f"TRUSTED_PROXY_HOPS must be 0 or more, got {TRUSTED_PROXY_HOPS}")

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
