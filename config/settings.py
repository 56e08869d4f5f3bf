"""Cramp Diary settings: one file, read from the environment, failing loudly on bad values."""

import os
from datetime import timedelta
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    """Read a true/false variable; anything else is a configuration error, not a silent False."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in ("true", "1", "yes", "on"):
        return True
    if value in ("false", "0", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None


def email_settings(url: str) -> dict:
    """SMTP settings from EMAIL_URL: smtp://user:password@host:587?tls=true (STARTTLS), smtps://... (TLS from the
    start), or console:// (messages printed, for development)."""
    parts = urlsplit(url)
    if parts.scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ImproperlyConfigured(f"EMAIL_URL must look like smtp://user:password@host:587, not {url!r}")
    query = parse_qs(parts.query)
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": parts.port or (465 if parts.scheme == "smtps" else 25),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_SSL": parts.scheme == "smtps",
        "EMAIL_USE_TLS": query.get("tls", ["false"])[0].lower() in ("true", "1", "yes"),
        "EMAIL_TIMEOUT": 20,
    }


def proxy_settings(trusted: int) -> tuple[list[str], int | None]:
    """AXES_IPWARE_META_PRECEDENCE_ORDER and AXES_IPWARE_PROXY_COUNT for `trusted` proxies appending X-Forwarded-For
    in front of the app servers: whether the header is read at all, and the number of proxies. tracker.app.client
    reads them (under the names django-axes documents) to find the client's address."""
    if trusted <= 0:
        return ["REMOTE_ADDR"], None
    return ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"], trusted


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is required when DEBUG is off (set DEBUG=true for development)"
        )
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "csp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "knowledge",
    "tracker",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed too (static files come compressed from WhiteNoise); Django's GZip pads against BREACH and
    # CSRF tokens are masked per response. A zip download is left as it is (compressed already).
    "tracker.app.middleware.GZipExceptPackedMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language: the one chosen on this device (a cookie), else the browser's Accept-Language; a signed-in
    # person's own choice wins further down (UserLanguageMiddleware).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before the CSRF check, which reads the body: a body larger than its view takes is refused unread.
    "tracker.app.middleware.RequestBodyLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tracker.app.middleware.UserTimeZoneMiddleware",
    "tracker.app.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "tracker.app.middleware.PermissionsPolicyMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Request bodies: every form takes up to 2.5 MB (Django's default, stated here); the import alone takes a file up
# to its own limit (tracker/data/imports.py), and RequestBodyLimitMiddleware refuses larger bodies unread. An
# upload over FILE_UPLOAD_MAX_MEMORY_SIZE is streamed to a temporary file, not held in memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tracker.app.theme.theme",
                "tracker.entries.undo.context",
            ],
            # Partials are built into Django 6.0; as builtins, the upgrade only touches settings.
            "builtins": ["template_partials.templatetags.partials"],
            "loaders": [
                (
                    "template_partials.loader.Loader",
                    [
                        (
                            "django.template.loaders.cached.Loader",
                            [
                                "django.template.loaders.filesystem.Loader",
                                "django.template.loaders.app_directories.Loader",
                            ],
                        )
                    ],
                )
            ],
        },
    }
]

# SQLite is the embedded default: WAL so readers never wait for the writer, a busy timeout instead of
# "database is locked", and IMMEDIATE transactions so a write takes its lock up front, not mid-way.
SQLITE_PATH = Path(os.environ.get("SQLITE_PATH", BASE_DIR / "db.sqlite3"))
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SQLITE_PATH,  # type: ignore[typeddict-item]  # Django takes a Path here; the stubs say str
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            },
            # A file, not shared-cache memory: tests see the same locking as production (WAL, busy timeout).
            "TEST": {"NAME": str(SQLITE_PATH.with_name(SQLITE_PATH.stem + "-test.sqlite3"))},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Today's and History's markup and the trends data, cached per person (tracker/entries/page_cache.py). Each
# process keeps its own: an entry is found by the person's page_version, which every write changes in the
# database, so no process serves a page another made stale. PAGE_CACHE_SECONDS bounds how late time alone (not
# a write) can change a prompt or tip on Today.
PAGE_CACHE_SECONDS = 600
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"},
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
        "TIMEOUT": PAGE_CACHE_SECONDS,
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Login throttling: 5 wrong passwords for one username from one address lock that pair out for 15 minutes.
# A session's person is read with their profile in one query (tracker.app.auth_backend). ModelBackend stays listed so
# sessions made before it keep working until their next log-in.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "tracker.app.auth_backend.UserWithProfileBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Plus a pace per username that can't lock its owner out, and one reading of the client's address for everything.
AXES_HANDLER = "tracker.accounts.throttle.LoginThrottle"
AXES_LOCKOUT_CALLABLE = "tracker.accounts.throttle.lockout_answer"
AXES_CLIENT_IP_CALLABLE = "tracker.app.client.client_address"
AXES_VERBOSE = False
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "today"
LOGOUT_REDIRECT_URL = "login"

# Every word goes through Django's gettext; the catalogues are in locale/ (templates and scripts), tracker/locale/
# and knowledge/locale/, compiled by `make setup` (manage.py compile_catalogues). A further language is a catalogue
# and a line here. Each name is written in its own language, as the language switch shows it.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español"), ("de", "Deutsch")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Kept a year on the device; the account keeps its own (Profile.language).
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env_bool("PLAIN_STATIC", False)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

PLAIN_STATIC = DEBUG or env_bool("PLAIN_STATIC", False)
# Without collectstatic (development and tests), WhiteNoise serves straight from the app's static folders.
WHITENOISE_USE_FINDERS = PLAIN_STATIC
WHITENOISE_AUTOREFRESH = PLAIN_STATIC

# Content-Security-Policy: nothing inline, nothing from another host. Report-only while developing.
_csp = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "worker-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
if DEBUG:
    CONTENT_SECURITY_POLICY_REPORT_ONLY = _csp
else:
    CONTENT_SECURITY_POLICY = _csp

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 30

# Production transport security: on unless DEBUG, and switchable for a plain-HTTP local `make serve`.
SECURE = env_bool("SECURE", not DEBUG)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
LANGUAGE_COOKIE_SECURE = SECURE
LANGUAGE_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = SECURE
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many proxies that append to X-Forwarded-For stand between the clients and the app servers (0 to
# MAX_TRUSTED_PROXIES). The client's address (for the log-in lockout and the sign-up and password-reset limits, read by
# tracker.app.client) is the entry that many from the right: the one the outermost of them appended. Entries further
# left are whatever the client sent, so a forged one changes nothing. A number outside that range stops the app at
# start-up rather than trust a chain wrongly.
MAX_TRUSTED_PROXIES = 5
TRUSTED_PROXIES = env_int("TRUSTED_PROXIES", 1 if BEHIND_PROXY else 0)
if not 0 <= TRUSTED_PROXIES <= MAX_TRUSTED_PROXIES:
    raise ImproperlyConfigured(
        f"TRUSTED_PROXIES must be a number from 0 to {MAX_TRUSTED_PROXIES}: the proxies (load balancer, CDN, nginx) "
        "that each append the address they saw to X-Forwarded-For between the clients and the app servers."
    )
AXES_IPWARE_META_PRECEDENCE_ORDER, AXES_IPWARE_PROXY_COUNT = proxy_settings(TRUSTED_PROXIES)

# Email: optional, for password reset and reminders. EMAIL_URL, or Django's usual EMAIL_* variables; without either
# every message is printed to the log (the console backend), as `make run` wants.
EMAIL_URL = os.environ.get("EMAIL_URL", "")
if EMAIL_URL:
    globals().update(email_settings(EMAIL_URL))
else:
    EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
    EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
    EMAIL_PORT = env_int("EMAIL_PORT", 25)
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Cramp Diary <diary@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
PASSWORD_RESET_TIMEOUT = 60 * 60  # a reset link works for an hour, and once
EMAIL_CONFIRMATION_DAYS = 3

# Background work (sending email) runs on Django's tasks framework: the database backend stores each task and
# `manage.py run_worker` (db_worker, kept up through its own errors) runs it, on any number of servers.
# Tests run tasks at once (TASKS_BACKEND).
TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

# Reminders (tracker/reminders/). SITE_URL is where links in reminder emails lead (no request to read it from).
# Unset, it is the development server's address under DEBUG, else the first of ALLOWED_HOSTS.
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/") or (
    "http://127.0.0.1:8000"
    if DEBUG or not ALLOWED_HOSTS
    else f"{'https' if SECURE else 'http'}://{ALLOWED_HOSTS[0].lstrip('.')}"
)
# Web Push (VAPID): the installation's key pair is made once and kept in the database (shared by every server),
# unless VAPID_PRIVATE_KEY (base64url, the raw 32-byte P-256 key or DER) is set. The subject is how a push service
# reaches the operator: a mailto: or https: address.
VAPID_PRIVATE_KEY = os.environ.get("VAPID_PRIVATE_KEY", "")
VAPID_SUBJECT = os.environ.get("VAPID_SUBJECT", "") or f"mailto:{parseaddr(DEFAULT_FROM_EMAIL)[1]}"
# The push services a browser's subscription may point at (a host or a parent domain); anything else is refused,
# so the server never posts to an address a person typed. Plain http is accepted only for 127.0.0.1 or localhost
# listed here (a test push service).
PUSH_SERVICES = env_list(
    "PUSH_SERVICES",
    ["fcm.googleapis.com", "push.services.mozilla.com", "push.apple.com", "notify.windows.com"],
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # The app's own events at INFO whatever LOG_LEVEL says: share links opened (link and owner ids, never the
    # token), imports accepted or refused (counts), whole-diary recounts, backups and restores. Never diary contents.
    "loggers": {"tracker": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}
