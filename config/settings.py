"""Footing settings: everything comes from the environment (or an optional `.env`).

Every variable read here is listed in `.env.example`. No secret has a default.
"""

import os
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.logging import build_logging

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
# ENV_FILE names another file, or "" for none (the test run reads no developer's .env).
ENV_FILE = os.environ.get("ENV_FILE", str(BASE_DIR / ".env"))
if ENV_FILE and Path(ENV_FILE).is_file():
    env.read_env(ENV_FILE)

SECRET_KEY = env.str("SECRET_KEY")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "people",
    "programmes",
    "supervision",
    "assessments",
]

MIDDLEWARE = [
    "config.logging.RequestIdMiddleware",  # first: everything after it logs with the id
    "django.middleware.security.SecurityMiddleware",
    "config.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.middleware.LoginRequiredMiddleware",
    "people.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lockout into the locked-out page
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "django.template.context_processors.i18n",
                "config.context_processors.navigation",
            ],
        },
    },
]

# --- Database: SQLite under var/ unless DATABASE_URL names another (PostgreSQL in production).
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'footing.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL and an immediate write lock: without them concurrent writers (web, worker, beat)
    # see "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # The tables live in memory or on SSD; PostgreSQL's default random_page_cost (4) is for
    # spinning disks and had it scan 195,000 evidence tags where an index lookup takes 1 ms, not
    # 30 (the dashboard's coverage query at 9,000 enrolments: benchmarks/README.md).
    random_page_cost = env.float("PG_RANDOM_PAGE_COST", default=1.1)
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c random_page_cost={random_page_cost}"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Broker and cache: Redis when REDIS_URL is set, else the file system and local memory.
REDIS_URL = env.str("REDIS_URL", default="")
BROKER_DIR = VAR_DIR / "broker"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        # Where kombu keeps its exchange table; left unset it is `control/` in the working folder.
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "Europe/London"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# --- People and sign-in.
AUTH_USER_MODEL = "people.User"
LOGIN_URL = "people:login"
LOGIN_REDIRECT_URL = "programmes:home"
LOGOUT_REDIRECT_URL = "people:login"
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ["email", "full_name"]},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_MINUTES", default=30) * 60
SESSION_SAVE_EVERY_REQUEST = True  # the age above is then an idle timeout, not a fixed one
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# --- Language and time: English now; every user-facing string is marked for translation.
LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/London"
USE_TZ = True

# --- Static files, served by whitenoise.
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG

# --- Email: the console unless an SMTP server is configured.
# EMAIL_PROVIDER chooses: "console" (prints each email; the default), "smtp" (EMAIL_HOST …) or
# "notify" (GOV.UK Notify, through django-gov-notify on the official client). EMAIL_BACKEND, if
# set, names any other Django backend and wins.
EMAIL_PROVIDERS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "notify": "django_gov_notify.backends.NotifyEmailBackend",
}
EMAIL_PROVIDER = env.str("EMAIL_PROVIDER", default="console")
if EMAIL_PROVIDER not in EMAIL_PROVIDERS:
    raise ImproperlyConfigured(
        f"EMAIL_PROVIDER must be one of {', '.join(EMAIL_PROVIDERS)}, not {EMAIL_PROVIDER!r}."
    )
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default=EMAIL_PROVIDERS[EMAIL_PROVIDER])
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="footing@localhost")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=587)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
GOVUK_NOTIFY_API_KEY = env.str("GOVUK_NOTIFY_API_KEY", default="")
# A Notify email template whose subject is ((subject)) and whose body is ((body)).
GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID = env.str("GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID", default="")
if EMAIL_PROVIDER == "notify" and not (
    GOVUK_NOTIFY_API_KEY and GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID
):
    raise ImproperlyConfigured(
        "EMAIL_PROVIDER=notify needs GOVUK_NOTIFY_API_KEY and GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID."
    )
# The address people use to reach Footing: emails sent by background jobs link to it.
SITE_URL = env.str("SITE_URL", default="http://localhost:8000").rstrip("/")

# --- API.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an anonymous caller then gets 401 with a WWW-Authenticate challenge.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "config.api.ApiSchema",  # drf-spectacular's, plus error answers
    "EXCEPTION_HANDLER": "config.api.exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Footing API",
    "DESCRIPTION": "Early-career programmes for newly qualified social workers.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a "kind" and a "status": name each set, so the schema's names are stable.
    "ENUM_NAME_OVERRIDES": {
        "SupervisionSessionKindEnum": "supervision.models.SupervisionSession.Kind",
        "EvidenceStatusEnum": "assessments.models.Evidence.Status",
    },
}

# --- The dashboard and its figures are kept in the cache until a record they read changes
# (programmes/views/cached.py); this only bounds how long an unread page takes room. 0: never kept.
DASHBOARD_CACHE_SECONDS = env.int("DASHBOARD_CACHE_SECONDS", default=600)

# --- Uploaded files: outside the web root, served only through views that check visible_to.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_MEGABYTES", default=10) * 1024 * 1024

# --- Sign-in: lockout, two-factor, single sign-on.
# django-axes counts failed sign-ins per account *and* address: LOCKOUT_FAILURES of them lock
# that pair for LOCKOUT_MINUTES, and signing in clears the count. A lead unlocks sooner with
# `manage.py axes_reset_username <email>` or in the admin; a password reset unlocks too.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: a locked-out pair is refused before a check
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("LOCKOUT_FAILURES", default=5)
LOCKOUT_MINUTES = env.int("LOCKOUT_MINUTES", default=30)
AXES_COOLOFF_TIME = timedelta(minutes=LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Trying again while locked out does not restart the wait, so the page can say how long it is.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_USERNAME_FORM_FIELD = "email"  # people.forms.SignInForm authenticates with email=
AXES_USERNAME_CALLABLE = "people.lockout.username_from_credentials"
AXES_CLIENT_IP_CALLABLE = "people.lockout.client_address"
AXES_LOCKOUT_CALLABLE = "people.lockout.locked_out"
AXES_HTTP_RESPONSE_CODE = 429
# Keep no log of successful sign-ins: failed attempts are all the lockout needs (data minimisation).
AXES_DISABLE_ACCESS_LOG = True
AXES_SENSITIVE_PARAMETERS = ["username", "email", "ip_address", "code"]  # kept out of its logs
# Proxies in front of the app that append to X-Forwarded-For (0: the connection's address).
LOCKOUT_PROXY_COUNT = env.int("LOCKOUT_PROXY_COUNT", default=0)
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_HOURS", default=24) * 3600
# Days an assessor invitation link works for (it works once; sending it again starts afresh).
INVITATION_DAYS = env.int("INVITATION_DAYS", default=7)
# Two-step verification (TOTP) is optional; with REQUIRE_2FA leads and managers must use it.
REQUIRE_2FA = env.bool("REQUIRE_2FA", default=False)
# Single sign-on by OpenID Connect (e.g. Microsoft Entra ID), only when a client id is set.
OIDC_RP_CLIENT_ID = env.str("OIDC_RP_CLIENT_ID", default="")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
OIDC_BACKEND = "people.oidc.CouncilAccountBackend"
OIDC_CREATE_USER = env.bool("OIDC_CREATE_USERS", default=False)  # else: matched by email only
if OIDC_ENABLED:
    OIDC_RP_CLIENT_SECRET = env.str("OIDC_RP_CLIENT_SECRET")  # a secret: no default
    OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("OIDC_OP_AUTHORIZATION_ENDPOINT")
    OIDC_OP_TOKEN_ENDPOINT = env.str("OIDC_OP_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = env.str("OIDC_OP_USER_ENDPOINT")
    OIDC_OP_JWKS_ENDPOINT = env.str("OIDC_OP_JWKS_ENDPOINT")
    OIDC_RP_SIGN_ALGO = env.str("OIDC_RP_SIGN_ALGO", default="RS256")
    OIDC_RP_SCOPES = "openid email profile"  # profile: the `name` claim for a new person
    OIDC_USE_PKCE = True
    OIDC_TIMEOUT = 10  # seconds; the library waits for ever by default
    LOGIN_REDIRECT_URL_FAILURE = "/accounts/login/?sso=failed"
    AUTHENTICATION_BACKENDS.append(OIDC_BACKEND)

# --- Security headers, errors and logging.
# HTTPS only, and browsers told to remember it. HSTS is sent on HTTPS responses only.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# The container's own probe calls http://127.0.0.1:8000/healthz: no redirect for it.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Behind a proxy that ends TLS, the header it sets to say so (e.g. X-Forwarded-Proto). Only
# when the proxy always sets it: otherwise a client could claim HTTPS by sending it.
_proxy_ssl_header = env.str("TRUSTED_PROXY_SSL_HEADER", default="")
if _proxy_ssl_header:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_ssl_header.upper().replace("-", "_"), "https")
SECURE_HSTS_SECONDS = env.int("HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("HSTS_INCLUDE_SUBDOMAINS", default=True)
# Preload asks browsers to hard-code HTTPS for the whole registrable domain, for months after
# any change of mind: the council's decision for its domain, not this app's default. Until it
# is made, Django's reminder (W021) is silenced so `check --deploy` shows only real problems.
SECURE_HSTS_PRELOAD = env.bool("HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
# SECURE_REFERRER_POLICY stays "same-origin" (above): nothing goes to other sites. "no-referrer"
# would make browsers send `Origin: null` on form posts, which Django's CSRF check refuses.
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CSRF_FAILURE_VIEW = "config.errors.csrf_failure"  # Django's own page has inline styles
# The worker and beat log through LOGGING too (same format, same handler), not Celery's own.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# --- Privacy: retention and subject access.
# Former workers are anonymised this many whole years after their last programme ended.
RETENTION_YEARS = env.int("RETENTION_YEARS", default=6)
# The monthly job only reports who is due unless this is on: a person looks before anything goes.
RETENTION_AUTO_APPLY = env.bool("RETENTION_AUTO_APPLY", default=False)
# Named in the privacy notice as the data controller and the contact for a person's rights.
COUNCIL_NAME = env.str("COUNCIL_NAME", default="the council")
DATA_PROTECTION_CONTACT = env.str(
    "DATA_PROTECTION_CONTACT", default="your council's data protection officer"
)
# Days a feedback link (or its short code) can be answered before it expires.
FEEDBACK_LINK_DAYS = env.int("FEEDBACK_LINK_DAYS", default=28)
# Only essential cookies: messages ride in the session, not in a cookie of their own.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
# Where `manage.py backup` writes its archives (SQLite deployments; see README, "Backups").
BACKUP_DIR = Path(env.str("BACKUP_DIR", default=str(VAR_DIR / "backups")))

# --- The demo authority.
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="footing-demo-2026")

SIMPLE_HISTORY_REVERT_DISABLED = True  # history is a record, never a way to change the present

LOGGING = build_logging(
    level=env.str("LOG_LEVEL", default="INFO"),
    log_format=env.str("LOG_FORMAT", default="text"),  # "json": one JSON object a line
)
