"""Settings for the stemwijzer, read from environment variables.

Every value comes from the environment with a safe development default; the helpers below fail
loudly (ImproperlyConfigured) on a value they cannot read rather than guessing.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str) -> bool:
    value = os.environ.get(name, default).strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envint(name: str, default: str) -> int:
    value = os.environ.get(name, default)
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def envchoice(name: str, default: str, choices: list[str]) -> str:
    value = os.environ.get(name, default).strip().upper()
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, not {value!r}")
    return value


DEBUG = envbool("DEBUG", "false")

# Behind our own reverse proxy (nginx): trust its X-Forwarded-Proto and X-Forwarded-For, but only
# on requests that come from one of TRUSTED_PROXIES (gunicorn's forwarded_allow_ips is the same list).
BEHIND_PROXY = envbool("BEHIND_PROXY", "false")
TRUSTED_PROXIES = envlist("TRUSTED_PROXIES", "127.0.0.1,::1")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "development-only-key-never-use-in-production-0123456789abcdef"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must name the site's host names when DEBUG is off")

INSTALLED_APPS = [
    "positions.admin_apps.StemwijzerAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "csp",
    "simple_history",
    "axes",
    "positions",
    "stemwijzer.ratelimit",
    "stemwijzer.questionnaire",
    "stemwijzer.citizen",
    "stemwijzer.classroom",
]

# Partners who may embed the stemwijzer in a frame (opt-in), e.g. "https://nieuws.example.nl".
FRAME_ANCESTORS = envlist("FRAME_ANCESTORS", "")

MIDDLEWARE = [
    "stemwijzer.middleware.RefuseMalformedInputMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "stemwijzer.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # With partners allowed to embed, CSP frame-ancestors alone decides (X-Frame-Options can't list them).
    *([] if FRAME_ANCESTORS else ["django.middleware.clickjacking.XFrameOptionsMiddleware"]),
    "django_htmx.middleware.HtmxMiddleware",
    "stemwijzer.middleware.MethodNotAllowedPageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "stemwijzer.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into a clear 429 page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Admin logins: locked for an hour after 5 failures of one account from one address. Locking per
# account alone or per address alone would let anyone lock an editor (or, behind a proxy, every
# editor) out; the password rules (12+ characters, not common) make slow guessing hopeless.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "errors/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "stemwijzer.ratelimit.limits.client_address"

ROOT_URLCONF = "stemwijzer.urls"
WSGI_APPLICATION = "stemwijzer.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Each process keeps its own caches ("default" is unused by the app; rate-limit counters live in the
# database, stemwijzer/ratelimit/, so that every worker and instance shares them), "fragments" for
# rendered HTML that is the same for everyone who sees it (statement steps, the templates'
# {% cache %}, a class's aggregated dashboard). A key names a content variant (language,
# publication, statement, which option is shown as chosen) or a class, never one person's answers.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "fragments",
        "TIMEOUT": None,
        "OPTIONS": {"MAX_ENTRIES": 20000},
    },
}

# An embedded SQLite file by default; postgres://… uses psycopg 3 with persistent connections that
# are health-checked, so the app recovers by itself when the database comes back. A database that
# does not answer costs a request a few seconds at most (connect and statement timeouts), then 503.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=envint("DB_CONN_MAX_AGE", "600"),
        conn_health_checks=True,
    )
}
DB_STATEMENT_TIMEOUT_MS = envint("DB_STATEMENT_TIMEOUT_MS", "5000")
# A server that stops answering altogether (a frozen process): given up on this much later.
DB_QUERY_DEADLINE = DB_STATEMENT_TIMEOUT_MS / 1000 + 1
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["ENGINE"] = "stemwijzer.db"  # Django's PostgreSQL backend with that deadline
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        connect_timeout=envint("DB_CONNECT_TIMEOUT", "3"),
        options=f"-c statement_timeout={DB_STATEMENT_TIMEOUT_MS}",
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Production serves hashed, compressed files made by `collectstatic`; tests and development read
# the files where they are.
STATIC_MANIFEST = envbool("STATIC_MANIFEST", "false" if DEBUG else "true")
# Uploaded source documents (the originals; their text is in the database). Production may use
# S3-compatible storage instead: see README, "Storage in production".
MEDIA_ROOT = os.environ.get("MEDIA_ROOT", str(BASE_DIR / "media"))
MEDIA_URL = "/media/"
DOCUMENT_MAX_BYTES = envint("DOCUMENT_MAX_MB", "50") * 1024 * 1024
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST

# Security headers. Secure cookies and HSTS follow DEBUG so that `runserver` on http works.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "false" if DEBUG else "true")
SECURE_REDIRECT_EXEMPT = [r"^gezond/$"]  # load balancers probe over plain http
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000")
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
# The __Host- prefix binds a cookie to this host and path / over https; plain http in DEBUG can't.
SESSION_COOKIE_NAME = "sessionid" if DEBUG else "__Host-sessionid"
CSRF_COOKIE_NAME = "csrftoken" if DEBUG else "__Host-csrftoken"
CSRF_FAILURE_VIEW = "stemwijzer.errors.csrf_failure"
# Only staff have sessions; they expire after a working day and when the browser closes.
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", str(8 * 3600))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
X_FRAME_OPTIONS = "DENY"

# A strict Content-Security-Policy: no inline scripts or styles anywhere, htmx included (its eval,
# script-tag and indicator-style options are off in templates/base.html).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "base-uri": ["'none'"],
        "manifest-src": ["'self'"],
        "worker-src": ["'none'"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'self'", *FRAME_ANCESTORS] if FRAME_ANCESTORS else ["'none'"],
    }
}

# Classroom sessions close by themselves after some hours and are deleted a set number of days
# after closing (`manage.py purge_classrooms`, from cron).
CLASSROOM_RETENTION_DAYS = envint("CLASSROOM_RETENTION_DAYS", "7")
CLASSROOM_OPEN_HOURS = envint("CLASSROOM_OPEN_HOURS", "24")
# Failed join-code attempts allowed per address per ten minutes, on every route that takes a code
# (the join form, the QR link, a student's steps). Only failures count, so a whole school behind one
# address can join; guessing one of 25^6 codes stays hopeless. Counted in the database: the limit
# holds for all workers and instances together.
CLASSROOM_JOIN_FAILURES = envint("CLASSROOM_JOIN_FAILURES", "30")
# Class sessions one address may open per hour (a school's teachers share one address).
CLASSROOM_NEW_PER_HOUR = envint("CLASSROOM_NEW_PER_HOUR", "20")

# The last published content of every election, as files, so that a worker starting while the
# database is away still serves the questionnaire (positions/published.py).
PUBLISHED_DIR = Path(os.environ.get("PUBLISHED_DIR", BASE_DIR / "var" / "published"))

# The public name, logo text and accent colour, so that a newsroom or municipality can run it under
# its own brand. The default name is our own: "StemWijzer" is ProDemos' registered name. The accent
# reaches the pages as a stylesheet served by a view (no inline style, so the CSP stays strict).
BRAND_NAME = os.environ.get("BRAND_NAME", "Kiesbron").strip()
BRAND_LOGO_TEXT = os.environ.get("BRAND_LOGO_TEXT", BRAND_NAME).strip()
if not BRAND_NAME or not BRAND_LOGO_TEXT or len(BRAND_NAME) > 60 or len(BRAND_LOGO_TEXT) > 60:
    raise ImproperlyConfigured("BRAND_NAME and BRAND_LOGO_TEXT must be 1 to 60 characters")


def envcolour(name: str, default: str) -> str:
    """A #rrggbb colour dark enough for white text on it and for links on white (WCAG AA, 4.5:1)."""
    value = os.environ.get(name, default).strip().lower()
    if len(value) != 7 or value[0] != "#" or any(c not in "0123456789abcdef" for c in value[1:]):
        raise ImproperlyConfigured(f"{name} must be a colour like #0b4f8a, not {value!r}")

    def linear(channel):
        c = int(channel, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(value[i : i + 2]) for i in (1, 3, 5))
    contrast = 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)
    if contrast < 4.5:
        raise ImproperlyConfigured(
            f"{name} {value} is too light: {contrast:.1f}:1 against white, 4.5:1 needed"
        )
    return value


BRAND_ACCENT = envcolour("BRAND_ACCENT", "#0b4f8a")

# Every form here is small: refuse big or field-stuffed bodies early, with a 400.
DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 400

# Never log request bodies or query strings: they can hold a citizen's answers.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "stemwijzer.logsafety.RedactSecrets"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact"]}},
    "root": {
        "handlers": ["console"],
        "level": envchoice("LOG_LEVEL", "WARNING", ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]),
    },
    "loggers": {
        # Only server errors; 4xx lines would name every probed URL.
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
