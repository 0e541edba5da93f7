"""Settings for the e-Rozgar Portal, read from the environment.

DJANGO_ENV picks the mode: ``development`` (default), ``test`` or ``production``.
Without DATABASE_URL / REDIS_URL the embedded servers from ``erozgar.devservices``
are used (never in production, where both must be set). Importing these settings never
starts a server: they only read where the embedded ones listen (``make``, ``manage.py`` and
the test suite start them).
"""

from __future__ import annotations

import sys
from datetime import timedelta
from email.utils import getaddresses
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
if "pytest" in sys.modules or (len(sys.argv) > 1 and sys.argv[1] == "test"):
    DJANGO_ENV = env.str("DJANGO_ENV", default="test")
if DJANGO_ENV not in {"development", "test", "production"}:
    raise environ.ImproperlyConfigured("DJANGO_ENV must be production, development or test")
PRODUCTION = DJANGO_ENV == "production"
TESTING = DJANGO_ENV == "test"

DEBUG = env.bool("DEBUG", default=DJANGO_ENV == "development")
if PRODUCTION:
    SECRET_KEY = env.str("SECRET_KEY")
else:
    SECRET_KEY = env.str(
        "SECRET_KEY", default="dev-only-insecure-key-change-me-0123456789-abcdefghijklmnopqrstuvwxyz"
    )
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[] if PRODUCTION else ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The portal's public address, in every link an email, QR code, PDF or .ics file carries.
if PRODUCTION:
    SITE_URL = env.str("SITE_URL", default="")
    if not SITE_URL.startswith(("https://", "http://")):
        raise environ.ImproperlyConfigured(
            "SITE_URL must be set in production to the portal's public address (https://erozgar.example.pk)"
        )
else:
    # `make run PORT=8080` (and `make dev`) serve on PORT: links in emails, PDFs and .ics follow it.
    SITE_URL = env.str("SITE_URL", default=f"http://127.0.0.1:{env.int('PORT', default=8000)}")

# --- apps -----------------------------------------------------------------------------

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "csp",
    "accounts",
    "freelancers",
    "centres",
    "bookings",
    "desk",
    "outbox",
    "privacy",
    "erozgar",
]

MIDDLEWARE = [
    "erozgar.observability.RequestIdMiddleware",
    # Answers /metrics before the host check and the https redirect; times everything else.
    "erozgar.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # gzip after WhiteNoise (static files are precompressed) and before everything that writes the
    # body; never for a response marked as holding a secret (BREACH: erozgar/compression.py).
    "erozgar.compression.CompressionMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "erozgar.middleware.RefuseUnstorableInput",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.two_factor.RequireTwoFactor",
    "django_htmx.middleware.HtmxMiddleware",
    "erozgar.middleware.AdminLookupGuard",
]

ROOT_URLCONF = "erozgar.urls"
WSGI_APPLICATION = "erozgar.wsgi.application"
ASGI_APPLICATION = "erozgar.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # ``{{ amount|pkr }}`` everywhere, pages and emails alike: one way to write money.
            "builtins": ["erozgar.templatetags.money"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "erozgar.context_processors.portal",
            ],
        },
    },
]

# --- data stores ----------------------------------------------------------------------

if env.str("DATABASE_URL", default=""):
    DATABASES = {"default": env.db_url("DATABASE_URL")}
elif PRODUCTION:
    raise environ.ImproperlyConfigured("DATABASE_URL must be set in production")
else:
    from erozgar import devservices

    _pg = devservices.postgres_connection()  # where it listens; manage.py / make start it
    DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", **_pg}}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0 if TESTING else 60))
# No "SELECT 1" before each request's first query (a round trip per request). A persistent
# connection that broke is dropped at the end of the request that found it (Django closes a
# connection after an error), so after a database restart at most one request per worker fails.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=False)
# A database that does not answer fails a request (and /healthz/ready) in seconds, not minutes.
DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
    "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=3)
)
DATABASES["default"].setdefault("TEST", {})
# Parallel test runs on one server (two checkouts, or CI's two passes) pick their own test database.
DATABASES["default"]["TEST"]["NAME"] = env.str("TEST_DB_NAME", default="test_erozgar")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if env.str("REDIS_URL", default=""):
    REDIS_URL = env.str("REDIS_URL")
elif PRODUCTION:
    raise environ.ImproperlyConfigured("REDIS_URL must be set in production")
else:
    from erozgar import devservices

    REDIS_URL = devservices.redis_url()
if TESTING:
    # Tests use their own Redis database so a `make run` worker never takes a test's task.
    from erozgar.devservices import with_redis_db

    REDIS_URL = with_redis_db(REDIS_URL, env.int("TEST_REDIS_DB", default=9))

CACHES = {
    "default": {
        # Redis, but a Redis outage is a cache miss, never a 500 (see erozgar/cache.py).
        "BACKEND": "erozgar.cache.ResilientRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "erozgar-test" if TESTING else "erozgar",
        "TIMEOUT": 300,
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
    }
}
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- auth -----------------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_SESSION_REMEMBER = None
# Nothing tells a stranger whether an email has an account: password reset and sign-up answer
# alike for known and unknown emails, and mail the address instead ("someone asked for a reset,
# but there is no account" / "you already have an account: reset your password").
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = True
ACCOUNT_RATE_LIMITS = {
    # Failed passwords are counted by accounts.login_guard (EROZGAR_RATE_LIMITS below).
    "login_failed": False,
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "change_email": "1/m/user",
}
# Where the client address comes from: REMOTE_ADDR, or with TRUSTED_PROXY_COUNT proxies in front
# (each appending to X-Forwarded-For), the address the outermost one saw. allauth, DRF and the
# portal's own limits all read it through erozgar.ratelimit.client_address.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
if TRUSTED_PROXY_COUNT < 0:
    raise environ.ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more")
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
# The portal's own limits (erozgar.ratelimit; allauth's sliding windows on the Redis cache).
EROZGAR_RATE_LIMITS = {
    # Failed passwords (accounts.login_guard): a stranger's guesses never lock the owner's
    # known devices out; see README "Security: signing in".
    "login_failed_pair": "5/5m/key",  # one account from one address
    "login_failed_account": "20/h/key,100/d/key",  # one account from all addresses together
    "login_failed_address": "30/5m/ip",  # one address across all accounts
    "login_failed_device": "10/5m/key",  # one account from one of its known devices
    # Public certificate verification (page and API share it): numbers are sequential.
    "verify_registration": "20/m/ip,200/d/ip",
    # The desk's look-up of a person by CNIC or mobile, per staff member.
    "desk_lookup": "20/m/key,200/h/key",
}
# Two-factor sign-in (accounts/two_factor.py): TOTP with recovery codes; required for staff.
MFA_ADAPTER = "accounts.two_factor.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "e-Rozgar Portal"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[e-Rozgar] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"

# --- i18n -----------------------------------------------------------------------------

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ur", _("Urdu"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Karachi"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "erozgar_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_HTTPONLY = True

# --- static and media -----------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded documents are private: stored outside any served folder, handed out by views.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
MEDIA_URL = "/media-not-served/"
WHITENOISE_USE_FINDERS = not PRODUCTION
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024

# --- email ----------------------------------------------------------------------------

if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
elif PRODUCTION:
    raise environ.ImproperlyConfigured("EMAIL_URL must be set in production (smtp+tls://user:pass@host:587)")
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="e-Rozgar Portal <no-reply@erozgar.example.pk>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)  # an SMTP server that hangs must not hold a row

# The outbox (outbox/): every email is a row, sent by the worker; see README "How email leaves".
# A row "sending" for longer than the lease is taken back by the sweeper (longer than a send
# can take: the task's hard time limit is 300 s).
OUTBOX_LEASE_SECONDS = env.int("OUTBOX_LEASE_SECONDS", default=360)
# A due row whose send task was queued this long ago and is still pending is queued again.
OUTBOX_REQUEUE_SECONDS = env.int("OUTBOX_REQUEUE_SECONDS", default=60)
# How often beat runs the sweeper: OUTBOX_SWEEP_SECONDS (default 60), read in erozgar/celery.py.
OUTBOX_KEEP_SENT_DAYS = env.int("OUTBOX_KEEP_SENT_DAYS", default=30)

# --- error reporting ------------------------------------------------------------------

# Who hears about 500s and failed tasks when Sentry is not set up: "Name <a@b>, c@d".
ADMINS = [(name or address, address) for name, address in getaddresses(env.list("ADMINS", default=[]))]
# Error mail goes straight to the SMTP server of EMAIL_URL, never through a queue or the
# database: it must still work when those are what failed.
ERROR_EMAIL_BACKEND = EMAIL_BACKEND
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN and not TESTING:
    from erozgar.monitoring import init_sentry

    init_sentry(SENTRY_DSN, environment=DJANGO_ENV, release=env.str("SENTRY_RELEASE", default=None))

# --- Celery ---------------------------------------------------------------------------

CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_RESULT_EXPIRES = 3600
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Short socket timeouts: a request that queues a task after its commit must never hang on a
# broker that is down or unreachable (the outbox queues with no retries and logs a failure).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3600,
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 2
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(BASE_DIR / "var" / "celerybeat-schedule")
CELERY_TASK_ALWAYS_EAGER = False

# --- API ------------------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.tokens.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "erozgar.schema.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
    "EXCEPTION_HANDLER": "erozgar.api.exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "erozgar.api.JSONParser",
        "rest_framework.parsers.FormParser",
        "erozgar.api.MultiPartParser",
    ],
    "DEFAULT_THROTTLE_RATES": {"token": "10/min"},
    # Read only by DRF's stock throttles; the portal's throttles use erozgar.ratelimit.client_address.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
# API tokens (django-rest-knox): stored as SHA-512 digests, sent as "Authorization: Token <token>".
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=env.int("API_TOKEN_TTL_DAYS", default=30)),
    "AUTH_HEADER_PREFIX": "Token",
}
API_TOKENS_PER_USER = env.int("API_TOKENS_PER_USER", default=10)
SPECTACULAR_SETTINGS = {
    "TITLE": "e-Rozgar Portal API",
    "DESCRIPTION": "Centres, spaces, bookings and freelancer registration for Pakistan's e-Rozgar centres.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Several apps have a "status" or a "kind"; name each choice set after its model.
    "ENUM_NAME_OVERRIDES": {
        "CentreStatusEnum": "centres.models.CentreStatus",
        "SpaceKindEnum": "centres.models.SpaceKind",
        "BookingStatusEnum": "bookings.models.BookingStatus",
        "RegistrationStatusEnum": "freelancers.models.RegistrationStatus",
        "DocumentKindEnum": "freelancers.models.DocumentKind",
    },
}

# --- security -------------------------------------------------------------------------

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz(/live|/ready)?$"]
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "https://tile.openstreetmap.org"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "media-src": ["'self'", "blob:"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- personal data at rest ----------------------------------------------------------
# CNIC, mobile and uploaded documents are sealed with AES-256-GCM (erozgar.crypto).
# FIELD_ENCRYPTION_KEYS: comma-separated keys, newest first (rotate: put a new key first, run
# `manage.py rotate_encryption_keys`, then drop the old one). BLIND_INDEX_KEY: the HMAC key of
# the look-up hashes. Development and tests use fixed public keys; production requires both.
from erozgar import crypto  # noqa: E402  (needs nothing from these settings)

if PRODUCTION:
    FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS")
    BLIND_INDEX_KEY = env.str("BLIND_INDEX_KEY")
    crypto.check_production_keys(FIELD_ENCRYPTION_KEYS, BLIND_INDEX_KEY)
else:
    FIELD_ENCRYPTION_KEYS = env.list(
        "FIELD_ENCRYPTION_KEYS", default=[crypto.development_key("field encryption key")]
    )
    BLIND_INDEX_KEY = env.str("BLIND_INDEX_KEY", default=crypto.development_key("blind index key"))

# --- metrics --------------------------------------------------------------------------
# /metrics (erozgar/metrics.py): readable with "Authorization: Bearer <METRICS_TOKEN>", or from
# these addresses or networks when the request came through no proxy.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
METRICS_ALLOWED_IPS = env.list("METRICS_ALLOWED_IPS", default=["127.0.0.1", "::1"])

# --- logging --------------------------------------------------------------------------
# Production logs one JSON object per line (request id on every line, one line per request);
# development and tests plain lines. The worker then logs through the same handlers.
LOG_FORMAT = env.str("LOG_FORMAT", default="json" if PRODUCTION else "plain")
if LOG_FORMAT not in {"json", "plain"}:
    raise environ.ImproperlyConfigured("LOG_FORMAT must be json or plain")
LOG_REQUESTS = env.bool("LOG_REQUESTS", default=PRODUCTION)
CELERY_WORKER_HIJACK_ROOT_LOGGER = LOG_FORMAT != "json"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"},
        "json": {"()": "erozgar.observability.JsonFormatter"},
    },
    "filters": {
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        "request_id": {"()": "erozgar.observability.RequestIdFilter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]},
        # Replaces Django's own mail_admins handler: the same mail, with personal data scrubbed.
        "mail_admins": {
            "class": "erozgar.monitoring.ScrubbingAdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django": {"handlers": ["mail_admins"], "level": "INFO"},
        "django.db.backends": {"level": "WARNING"},
    },
}
