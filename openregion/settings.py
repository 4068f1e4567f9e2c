"""Django settings for OpenRegion.

SQLite is the embedded default; set DATABASE_URL (e.g. postgres://user:pw@127.0.0.1/db) for PostgreSQL.
"""

import os
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = os.environ.get(
    "OPENREGION_SECRET_KEY", "dev-only-insecure-key-change-me-in-production"
)
DEBUG = os.environ.get("OPENREGION_DEBUG", "1") == "1"
ALLOWED_HOSTS = os.environ.get("OPENREGION_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(
    ","
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # failed-login throttling and lockout (see the AXES_* settings below)
    "axes",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    # imports every app's rules.py (core.policy): the permission rules, declared once per app
    "rules.apps.AutodiscoverRulesConfig",
    # OpenRegion bounded contexts
    "core",
    "accounts",
    "actors",
    "matching",
    "ideas",
    "services",
    "events",
    "notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # a redirect answering an htmx request becomes HX-Redirect (no login page inside a fragment)
    "core.middleware.HtmxRedirectMiddleware",
    "core.middleware.RequestGuardMiddleware",
    # turns a login refused by the lockout into the lockout page; must stay last
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "openregion.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "openregion" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "openregion.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("OPENREGION_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + a busy timeout let concurrent writers wait instead of failing at once.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    # A file (not in-memory) test database so threads (live server, concurrency tests) share it;
    # one per process so parallel test runs do not collide.
    DATABASES["default"].setdefault("TEST", {})["NAME"] = os.environ.get(
        "OPENREGION_TEST_DB",
        str(Path(tempfile.gettempdir()) / f"openregion-test-{os.getpid()}.sqlite3"),
    )
elif os.environ.get("OPENREGION_TEST_DB"):
    # Server databases: name the test database when several test runs share one server.
    DATABASES["default"].setdefault("TEST", {})["NAME"] = os.environ["OPENREGION_TEST_DB"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
# Before the e-mail login: the lockout check (axes) and the limit of failed logins per client address.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.LoginRateLimitBackend",
    "accounts.backends.EmailBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # "Sommer2024", "Winter2025!", "Passwort123": one word with a number or year
    {"NAME": "accounts.validators.WordWithNumberValidator"},
]

# Password reset links work once (the password hash changes) and for one hour.
PASSWORD_RESET_TIMEOUT = 60 * 60
# E-mail confirmation links work once (the address is then confirmed) and for three days.
ACCOUNTS_CONFIRMATION_TIMEOUT = 3 * 24 * 60 * 60

# Failed logins (django-axes): after AXES_FAILURE_LIMIT failures for one address from one client
# address, logins for that pair are refused for AXES_COOLOFF_TIME, even with the right password.
# Failures per client address over all e-mail addresses are limited by core.ratelimit ("login").
# Behind a reverse proxy set AXES_IPWARE_PROXY_COUNT / AXES_IPWARE_META_PRECEDENCE_ORDER.
AXES_ENABLED = True
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "accounts.security.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_HTTP_RESPONSE_CODE = 429
# Only failures are recorded; successful logins leave no log of addresses.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False

LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "openregion" / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

# The site's public address, used for links in e-mails sent by background tasks.
OPENREGION_SITE_URL = os.environ.get("OPENREGION_SITE_URL", "http://127.0.0.1:8000")

# Who runs this instance, for the Impressum (§ 5 DDG) and the accessibility statement's contact.
# The pages show a visible note while these are unset.
OPENREGION_OPERATOR_NAME = os.environ.get("OPENREGION_OPERATOR_NAME", "")
OPENREGION_OPERATOR_ADDRESS = os.environ.get("OPENREGION_OPERATOR_ADDRESS", "")
OPENREGION_OPERATOR_EMAIL = os.environ.get("OPENREGION_OPERATOR_EMAIL", "")

# English dates in an unambiguous format ("3 Dec 2026"); German keeps Django's formats.
FORMAT_MODULE_PATH = ["openregion.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "openregion" / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("OPENREGION_MEDIA_ROOT", BASE_DIR / "media"))

EMAIL_BACKEND = os.environ.get(
    "OPENREGION_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get(
    "OPENREGION_FROM_EMAIL", "OpenRegion <noreply@openregion.local>"
)

TASKS = {
    "default": {
        "BACKEND": os.environ.get("OPENREGION_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

NINJA_PAGINATION_PER_PAGE = 50

# Request bodies (other than file uploads) larger than this are answered with 413.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("OPENREGION_MAX_BODY_BYTES", 2_621_440))

# Counters for rate limits (core.ratelimit) live in this cache. With several web processes use a
# shared cache (e.g. OPENREGION_CACHE_BACKEND=django.core.cache.backends.db.DatabaseCache and
# OPENREGION_CACHE_LOCATION=openregion_cache after `manage.py createcachetable`).
CACHES = {
    "default": {
        "BACKEND": os.environ.get(
            "OPENREGION_CACHE_BACKEND", "django.core.cache.backends.locmem.LocMemCache"
        ),
        "LOCATION": os.environ.get("OPENREGION_CACHE_LOCATION", "openregion"),
    }
}
OPENREGION_RATE_LIMITS_ENABLED = os.environ.get("OPENREGION_RATE_LIMITS", "1") == "1"
# Per-scope overrides of core.ratelimit.DEFAULT_LIMITS: {"scope": (hits, seconds)}.
OPENREGION_RATE_LIMITS: dict[str, tuple[int, int]] = {}

# API
# Every paginated API operation uses core.api_pagination.BoundedPagination: page 1..10,000 and page
# size 1..100, anything beyond is a 422 (an unbounded page overflowed the query offset).
NINJA_PAGINATION_CLASS = "core.api_pagination.BoundedPagination"
NINJA_MAX_PER_PAGE_SIZE = 100
# With "ninja" installed, /api/docs serves Swagger UI from our own static files; without it the page
# would load its scripts from a CDN (no third-party resources on our pages).
INSTALLED_APPS += ["ninja"]
