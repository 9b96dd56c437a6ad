"""The one settings module of Kinerja. Every key can be set through an environment variable.

See docs/configuration.md for the list. Defaults give a working single-office installation on a
SQLite file under ``var/``; production sets ``DATABASE_URL`` to PostgreSQL.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from kinerja.core.env import env_bool, env_choice, env_int, env_list, env_str, persistent_secret

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("KINERJA_VAR_DIR") or BASE_DIR / "var")

DEBUG = env_bool("DEBUG", False)
# SECRET_KEY, or the file SECRET_KEY_FILE names (made on first use, mode 0600): the same for every
# web process and machine.
SECRET_KEY = env_str("SECRET_KEY") or persistent_secret(
    Path(env_str("SECRET_KEY_FILE") or VAR_DIR / "secret_key")
)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# The public address: links in e-mails and the QR code of every signed document.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Where officials' signing certificates (PKCS#12) are kept; keep it out of any web root.
KINERJA_SIGNING_DIR = Path(env_str("KINERJA_SIGNING_DIR") or VAR_DIR / "signing")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",  # authenticator apps (docs/accounts.md)
    "django_otp.plugins.otp_static",  # recovery codes
    "simple_history",
    "rest_framework",
    "drf_spectacular",
    # Our layers, lowest first: each may read the ones above it in this list, never below.
    "kinerja.core",
    "kinerja.organisation",
    "kinerja.procedures",  # SOP definitions
    "kinerja.cases",  # running SOPs: cases, tasks, calendar (procedures layer)
    "kinerja.performance",
    "kinerja.documents",
    "kinerja.api",  # HTTP API over every layer's services
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "kinerja.core.middleware.SecurityHeadersMiddleware",
    # Serves the static files the repository ships (CSS, htmx) from any WSGI server, so the demo
    # and a plain gunicorn install look right without a web server in front.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kinerja.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): has this session passed the second step (django-otp)?
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "kinerja.organisation.middleware.AgencyTimezoneMiddleware",
    # A login with a second factor, or one the region's policy requires to have one, reaches no
    # page before the second step (docs/accounts.md).
    "kinerja.organisation.middleware.TwoFactorMiddleware",
    # Last, as django-axes asks: it turns lock-outs into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kinerja.urls"
WSGI_APPLICATION = "kinerja.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kinerja.core.context_processors.kinerja",
                "kinerja.organisation.context_processors.agency",
            ],
        },
    }
]

# Database: a SQLite file by default, anything dj-database-url reads otherwise.
_default_db = f"sqlite:///{VAR_DIR / 'kinerja.sqlite3'}"
try:
    DATABASES = {
        "default": dj_database_url.parse(
            env_str("DATABASE_URL", _default_db),
            conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
            # A connection PostgreSQL dropped (restart, failover) is replaced before the next
            # request uses it, instead of that request getting a 500.
            conn_health_checks=True,
        )
    }
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL cannot be read: {exc}") from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})
    # Writers queue for the lock up to 20 s (busy timeout) instead of failing at once; WAL lets
    # pages read while an import writes. Services keep their write transactions short.
    DATABASES["default"]["OPTIONS"].update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    DATABASES["default"]["TEST"] = {"NAME": env_str("SQLITE_TEST_NAME") or None}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (django-axes): after AXES_FAILURE_LIMIT failures for one username from one
# address, that pair is locked out for AXES_COOLOFF_MINUTES.
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Behind a reverse proxy, the client's own address (kinerja/core/clientip.py): set
# KINERJA_TRUSTED_PROXY_COUNT to the number of proxies in front (1 for one nginx) and, to be strict,
# KINERJA_TRUSTED_PROXIES to their addresses. Without them X-Forwarded-For is ignored.
KINERJA_TRUSTED_PROXY_COUNT = env_int("KINERJA_TRUSTED_PROXY_COUNT", 0, minimum=0)
KINERJA_TRUSTED_PROXIES = env_list("KINERJA_TRUSTED_PROXIES", [])
AXES_CLIENT_IP_CALLABLE = "kinerja.core.clientip.client_ip"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# A wrong one-time code (activation, second step) counts as a failed login of that username too;
# what was typed there is never stored in the failure log.
AXES_SENSITIVE_PARAMETERS = ["code", "otp_token", "new_password1", "new_password2"]

# Accounts (docs/accounts.md): an invitation link or an activation code is valid this many days;
# a "Lupa kata sandi" link this many hours. Requests for reset links are limited per address and
# per login/e-mail (KINERJA_RESET_RATE per hour each).
KINERJA_INVITATION_DAYS = env_int("KINERJA_INVITATION_DAYS", 7, minimum=1)
PASSWORD_RESET_TIMEOUT = 3600 * env_int("PASSWORD_RESET_HOURS", 24, minimum=1)
KINERJA_RESET_RATE = env_int("KINERJA_RESET_RATE", 5, minimum=1)
# Two-factor login (django-otp): the name authenticator apps show beside the login.
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Kinerja")
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the admin lists devices (to remove a lost one), not keys

# HTTP API (/api/v1/): personal bearer tokens or the browser session (CSRF enforced), throttled.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "kinerja.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    # Every endpoint needs a login or a token, so only authenticated callers reach the throttle.
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": env_str("API_USER_RATE", "600/minute")},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Kinerja API",
    "DESCRIPTION": "Cases and tasks of running SOPs, achievement, the letter register.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The description is for the systems that call the API: like every endpoint, it needs a login.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
}

# Languages: Indonesian by default, English available. Source strings are English.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_str("TIME_ZONE", "Asia/Jakarta")  # the fallback; each agency has its own

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT") or VAR_DIR / "static")
# Without `kinerja collectstatic` (a developer's checkout) WhiteNoise reads the apps' folders.
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", True)
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns about a missing folder
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or VAR_DIR / "media")
# Stored files are sent only by views that check who asks. Behind nginx, set this to the path of an
# `internal` location aliasing MEDIA_ROOT (e.g. /_berkas/): those views then answer with
# X-Accel-Redirect and nginx sends the bytes (docs/production.md). Never serve MEDIA_ROOT publicly.
KINERJA_X_ACCEL_PREFIX = env_str("KINERJA_X_ACCEL_PREFIX")
if KINERJA_X_ACCEL_PREFIX and not (
    KINERJA_X_ACCEL_PREFIX.startswith("/") and KINERJA_X_ACCEL_PREFIX.endswith("/")
):
    raise ImproperlyConfigured(
        f"KINERJA_X_ACCEL_PREFIX={KINERJA_X_ACCEL_PREFIX!r} must start and end with '/'."
    )
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Uploads: size limits enforced by Django and by our own validators.
KINERJA_MAX_UPLOAD_MB = env_int("KINERJA_MAX_UPLOAD_MB", 20, minimum=1)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Untrusted files, refused before any parser reads them (docs/configuration.md): XLSX, DOCX and
# ZIP uploads by kinerja/core/archives.py (uncompressed size of the whole file and of one part,
# entries, compression ratio, shared strings); SOP files by kinerja/procedures/sopfile.py.
KINERJA_ARCHIVE_MAX_MB = env_int("KINERJA_ARCHIVE_MAX_MB", 50, minimum=1)
KINERJA_ARCHIVE_PART_MAX_MB = env_int("KINERJA_ARCHIVE_PART_MAX_MB", 50, minimum=1)
KINERJA_ARCHIVE_MAX_ENTRIES = env_int("KINERJA_ARCHIVE_MAX_ENTRIES", 1000, minimum=1)
KINERJA_ARCHIVE_MAX_RATIO = env_int("KINERJA_ARCHIVE_MAX_RATIO", 100, minimum=2)
KINERJA_XLSX_MAX_SHARED_STRINGS = env_int("KINERJA_XLSX_MAX_SHARED_STRINGS", 200_000, minimum=1)
KINERJA_SOP_MAX_KB = env_int("KINERJA_SOP_MAX_KB", 512, minimum=1)

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "kinerja@localhost")

# Security defaults. Behind a TLS-terminating proxy set SECURE_COOKIES=true and
# SECURE_PROXY_SSL_HEADER_NAME=HTTP_X_FORWARDED_PROTO.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600, minimum=300)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if env_str("SECURE_PROXY_SSL_HEADER_NAME"):
    SECURE_PROXY_SSL_HEADER = (env_str("SECURE_PROXY_SSL_HEADER_NAME"), "https")
# HTTPS only: redirect plain HTTP and tell browsers never to use it (HSTS). Both off by default so
# the demo runs on http://127.0.0.1; docs/production.md sets them.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Content-Security-Policy of every response (kinerja.core.middleware.SecurityHeadersMiddleware):
# only our own scripts run; no inline script, no eval, no plug-ins, no framing. Inline styles
# stay allowed (the flowcharts and a few tables colour cells with style attributes).
CONTENT_SECURITY_POLICY = env_str(
    "CONTENT_SECURITY_POLICY",
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; frame-ancestors 'none'; form-action 'self'",
)

LOG_LEVEL = env_choice("LOG_LEVEL", ("DEBUG", "INFO", "WARNING", "ERROR"), "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "axes": {"level": "WARNING"},
        # WeasyPrint reports every CSS property it ignores; only its warnings matter.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
