"""Settings, read from the environment (12-factor).

SPORSKIFTE_ENV chooses the profile: ``development`` (default: SQLite, console e-mail, a local
secret key generated once under var/) or ``production`` (every secret must come from the
environment, HTTPS everywhere; ``manage.py check --deploy`` is clean). Parsing is strict:
an unknown profile or a malformed value stops the start instead of falling back silently.
"""

import os
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key
from django.utils.translation import gettext_lazy as _

from sporskifte.core import envparse

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
env.read_env(BASE_DIR / ".env")  # optional; never committed


# Booleans and numbers are parsed strictly (sporskifte.core.envparse): environ's own bool
# reads a typo as false.
def env_bool(name: str, *, default: bool) -> bool:
    try:
        return envparse.parse_bool(os.environ, name, default=default)
    except envparse.SettingError as error:
        raise ImproperlyConfigured(str(error)) from None


def env_positive_int(name: str, *, default: int, minimum: int = 1) -> int:
    try:
        return envparse.parse_positive_int(os.environ, name, default=default, minimum=minimum)
    except envparse.SettingError as error:
        raise ImproperlyConfigured(str(error)) from None


PROFILE = env.str("SPORSKIFTE_ENV", default="development")
if PROFILE not in {"development", "production"}:
    raise ImproperlyConfigured(f"SPORSKIFTE_ENV must be development or production, not {PROFILE!r}")
PRODUCTION = PROFILE == "production"

DEBUG = env_bool("DJANGO_DEBUG", default=not PRODUCTION)
# The demo shows a helper for demo accounts' one-time codes; refused in production (see checks).
DEMO = env_bool("SPORSKIFTE_DEMO", default=False)


def _local_secret(name: str) -> str:
    """A development secret made once per checkout, so nothing secret is ever committed."""
    VAR_DIR.mkdir(exist_ok=True)
    path = VAR_DIR / name
    if not path.exists():
        path.write_text(get_random_secret_key())
        path.chmod(0o600)
    return path.read_text().strip()


if PRODUCTION:
    SECRET_KEY = env.str("DJANGO_SECRET_KEY")
    PSEUDONYM_KEY = env.str("SPORSKIFTE_PSEUDONYM_KEY")
else:
    SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="") or _local_secret("secret_key")
    PSEUDONYM_KEY = env.str("SPORSKIFTE_PSEUDONYM_KEY", default="") or _local_secret(
        "pseudonym_key"
    )

ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=[] if PRODUCTION else ["localhost", "127.0.0.1", "[::1]"]
)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "django_htmx",
    "rest_framework",
    "drf_spectacular",
    "django_tasks",
    "django_tasks_db",
    "sporskifte.core",
    "sporskifte.accounts",
    "sporskifte.organisations",
    "sporskifte.audit",
    "sporskifte.jobs",
    "sporskifte.people",
    "sporskifte.referrals",
    "sporskifte.insights",
    "sporskifte.research",
    "sporskifte.fora",
    "sporskifte.concerns",
    "sporskifte.councils",
    "sporskifte.mediation",
    "sporskifte.api",
    "sporskifte.outreach",
    "sporskifte.victims",
    "sporskifte.exit",
    "djangosaml2",
    "sporskifte.saml",
    "sporskifte.screening",
]

MIDDLEWARE = [
    # Probes first: no host check, HTTPS redirect, session or log line (core.health).
    "sporskifte.core.health.HealthCheckMiddleware",
    "sporskifte.core.requestlog.RequestIdMiddleware",
    "sporskifte.core.replica.ReadYourWritesMiddleware",  # only with a replica
    "django.middleware.security.SecurityMiddleware",
    "sporskifte.core.middleware.NoStoreMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The SAML exchange's own session cookie: the identity provider's POST to the ACS is
    # cross-site, where the Lax session cookie is not sent (djangosaml2).
    "djangosaml2.middleware.SamlSessionMiddleware",
    "sporskifte.accounts.middleware.SlidingSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's AuthenticationMiddleware and django-otp's OTPMiddleware in one: the user, their
    # membership and second factor read in one query (sporskifte.accounts.authentication).
    "sporskifte.accounts.authentication.AuthenticationMiddleware",
    "sporskifte.accounts.middleware.CountryLanguageMiddleware",
    # After the language is known (a Swedish user reads the refusal in Swedish), before any view.
    "sporskifte.core.middleware.RejectNulMiddleware",
    "sporskifte.accounts.middleware.RequireVerifiedStaffMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "sporskifte.audit.middleware.RefusedLookMiddleware",
]

# The apps that add endpoints to the API's version 1 (URL prefix, URL module).
API_V1_APPS = [
    ("screening", "sporskifte.screening.api"),
    ("mediation", "sporskifte.mediation.api"),
]

# The councils' indicators fed by the counts of the apps beside them (feed → counting function).
COUNCIL_FEEDS = {
    "mediation_meetings": "sporskifte.mediation.figures.council_feed_meetings_held",
    "notifications_sent": "sporskifte.screening.figures.council_feed_notifications_sent",
}

ROOT_URLCONF = "sporskifte.urls"
FORM_RENDERER = "sporskifte.core.forms.DesignSystemFormRenderer"
WSGI_APPLICATION = "sporskifte.wsgi.application"
AUTH_USER_MODEL = "accounts.User"

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
                "sporskifte.accounts.context_processors.sporskifte",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url(
        "DATABASE_URL",
        default=f"sqlite:///{VAR_DIR / 'sporskifte.sqlite3'}",
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# A new connection per request costs more than most pages (TCP, authentication, backend start):
# production keeps each worker's connection for a minute, checked before reuse after an error
# or a restart of the database. ``?conn_max_age=`` in DATABASE_URL still wins.
DATABASES["default"].setdefault(
    "CONN_MAX_AGE",
    env_positive_int("DJANGO_CONN_MAX_AGE", default=60 if PRODUCTION else 0, minimum=0),
)
_health = str(DATABASES["default"].get("CONN_HEALTH_CHECKS", "true")).lower()
if _health not in {"true", "false"}:
    raise ImproperlyConfigured(f"conn_health_checks must be true or false, not {_health!r}")
DATABASES["default"]["CONN_HEALTH_CHECKS"] = _health == "true"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # WAL lets the inbox be read while an import writes; IMMEDIATE avoids lock upgrades.
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
# A PostgreSQL streaming replica for reports and exports (sporskifte.core.replica): without
# DATABASE_REPLICA_URL there is one database and no router, as before.
READ_OWN_WRITES_SECONDS = env_positive_int("SPORSKIFTE_READ_OWN_WRITES_SECONDS", default=30)
DATABASE_ROUTERS: list[str] = []
if env.str("DATABASE_REPLICA_URL", default=""):
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_REPLICA_URL needs a PostgreSQL DATABASE_URL")
    DATABASES["replica"] = env.db_url("DATABASE_REPLICA_URL")
    if DATABASES["replica"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_REPLICA_URL must be a PostgreSQL URL")
    DATABASES["replica"].setdefault("CONN_MAX_AGE", DATABASES["default"]["CONN_MAX_AGE"])
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = DATABASES["default"]["CONN_HEALTH_CHECKS"]
    # A write sent there by mistake fails at once, as it would on a hot standby.
    DATABASES["replica"].setdefault("OPTIONS", {})["options"] = (
        "-c default_transaction_read_only=on"
    )
    # Tests run against one database: the replica alias reads the test database.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["sporskifte.core.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One cache for every gunicorn worker and host, in the database they already share: the public
# forms' limits count per address, not per process, and nothing new has to be run (the API's
# limit has its own one-statement counter, api.throttling). The table is made
# after every ``migrate`` (core.apps). Culling counts the table on each write: kept small.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "sporskifte_cache",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
}

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "sporskifte.saml.backends.SamlBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Block after 3 failures, per user name *and* address together: a stranger who knows a user name
# locks out only their own address, not the user (sporskifte.accounts.lockout). The lock rises
# in steps (15 min, 1 h, 4 h, 16 h, 24 h); the user lifts it with their second factor.
AXES_FAILURE_LIMIT = env_positive_int("SPORSKIFTE_LOGIN_FAILURE_LIMIT", default=3)
AXES_COOLOFF_TIME = "sporskifte.accounts.lockout.cool_off"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# Every failure is kept (the administrator's bursts), a bounded number per user name.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_ACCESS_FAILURE_LOG_PER_USER_LIMIT = 300

# Sessions end after 30 idle minutes and when the browser closes. The idle time slides, but the
# session is written at most once a minute (accounts.middleware.SlidingSessionMiddleware), so
# a session ends between 29 and 30 minutes after its last request, never later.
SESSION_ENGINE = "sporskifte.accounts.sessions"  # Django's db sessions, read in one plain SELECT
SESSION_COOKIE_AGE = env_positive_int("SPORSKIFTE_SESSION_SECONDS", default=30 * 60, minimum=60)
# How old the menu's answer to "does this user sit in a forum / on a council" may be (each a
# query per page otherwise; the pages behind the links check access on every request).
MENU_ANSWER_SECONDS = env_positive_int("SPORSKIFTE_MENU_SECONDS", default=60, minimum=0)
SESSION_REFRESH_SECONDS = min(60, SESSION_COOKIE_AGE // 10)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# The language cookie says which country's staff is at the keyboard: same rules as the others.
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = PRODUCTION

MFA_REQUIRED = env_bool("SPORSKIFTE_MFA_REQUIRED", default=True)
OTP_TOTP_ISSUER = "Sporskifte"

LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Danish")), ("en", _("English")), ("sv", _("Swedish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Where collectstatic gathers the files WhiteNoise serves (a release folder in production).
STATIC_ROOT = Path(env.str("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [
    # Served as the npm packages ship them; dkfds' CSS refers to ../fonts and ../img.
    ("dkfds", BASE_DIR / "node_modules" / "dkfds" / "dist"),
    ("htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = VAR_DIR / "media"

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Sporskifte <noreply@sporskifte.invalid>"
)

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "sporskifte.api.authentication.OrganisationTokenAuthentication"
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.CursorPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_VERSIONING_CLASS": "rest_framework.versioning.NamespaceVersioning",
    "ALLOWED_VERSIONS": ["v1"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["sporskifte.api.parsers.SafeJSONParser"],
    # Counted per token in one upsert every worker and host shares (api.throttling).
    "DEFAULT_THROTTLE_CLASSES": ["sporskifte.api.throttling.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": env.str("SPORSKIFTE_API_RATE", default="1000/minute")},
    "EXCEPTION_HANDLER": "sporskifte.api.exceptions.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Sporskifte API",
    "DESCRIPTION": (
        "Referral data for partner and police systems. A token belongs to one organisation and "
        "sees exactly what that organisation's users see."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets that share a field name ("method", "answer") get their own names.
    "ENUM_NAME_OVERRIDES": {
        "StepEnum": "sporskifte.referrals.models.Step",
        "ContactMethodEnum": "sporskifte.referrals.models.ContactAttempt.Method",
        "ConsentMethodEnum": "sporskifte.referrals.models.Consent.Method",
        "OfferAnswerEnum": "sporskifte.referrals.models.Offer.Answer",
        "AnswerGivenEnum": "sporskifte.api.inputs.ANSWERS",
    },
}

# The site's own address, for links in e-mails sent by the nightly jobs (no request to ask).
SITE_URL = (
    env.str("SPORSKIFTE_SITE_URL")
    if PRODUCTION
    else env.str("SPORSKIFTE_SITE_URL", default="http://127.0.0.1:8000")
).rstrip("/")
# A referral open and never contacted this many days after it was made goes to the district's
# administrators as stale instead of into the partner's nightly reminder.
STALE_REFERRAL_DAYS = env_positive_int("SPORSKIFTE_STALE_REFERRAL_DAYS", default=30)

# Retention set by the operator on the controller's decision (docs/data-retention.md). The
# audit trail's six months are what data-processor terms ask; worry cases keep two years.
AUDIT_RETENTION_DAYS = env_positive_int("AUDIT_RETENTION_DAYS", default=183, minimum=30)
CONCERNS_RETENTION_DAYS = env_positive_int("CONCERNS_RETENTION_DAYS", default=730, minimum=30)
# An uploaded suspect list is emptied when imported; a file never imported (its job failed and
# nobody retried it) is deleted after this many days.
SUSPECT_IMPORT_RETENTION_DAYS = env_positive_int("SUSPECT_IMPORT_RETENTION_DAYS", default=14)

# /readyz takes a server out of rotation when the oldest task waiting in the database queue
# has waited longer than this (core.health).
READY_QUEUE_LAG_SECONDS = env_positive_int("SPORSKIFTE_READY_QUEUE_LAG_SECONDS", default=300)

# JSON lines for the log collector in production (core.requestlog); plain text to read in a
# terminal in development.
try:
    LOG_FORMAT = envparse.parse_choice(
        os.environ, "LOG_FORMAT", choices=("json", "text"), default="json" if PRODUCTION else "text"
    )
    LOG_LEVEL = envparse.parse_choice(
        os.environ,
        "LOG_LEVEL",
        choices=("debug", "info", "warning", "error", "critical"),
        default="info",
    ).upper()
except envparse.SettingError as error:
    raise ImproperlyConfigured(str(error)) from None

# Background work is a queue in the database (django-tasks-db), on SQLite as on PostgreSQL: a job
# is a row written in the same transaction as the change it belongs to. Workers run
# ``manage.py run_worker``; one ``manage.py run_scheduler`` queues the periodic jobs below. The
# tests use the same backend and run the queued jobs explicitly (sporskifte.testing.jobs).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Cron fields in the site's time zone. Nightly jobs run before 02:00, because 02:00-03:00 is
# skipped or repeated when daylight saving time begins or ends. What each job deletes and keeps:
# docs/data-retention.md.
JOBS_SCHEDULE: dict[str, dict[str, str]] = {
    "overdue-reminders": {"cron": "0 6 * * *", "command": "send_overdue_reminders"},
    "erase-personal-data": {"cron": "0 1 * * *", "command": "erase_expired_personal_data"},
    "erase-concerns": {"cron": "10 1 * * *", "command": "erase_expired_concerns"},
    "erase-outreach": {"cron": "15 1 * * *", "command": "erase_expired_outreach"},
    "erase-forum-records": {"cron": "20 1 * * *", "command": "erase_expired_forum_records"},
    "erase-victim-referrals": {"cron": "25 1 * * *", "command": "erase_expired_victim_referrals"},
    "erase-exit-cases": {"cron": "35 1 * * *", "command": "erase_expired_exit_cases"},
    "erase-screening": {"cron": "5 1 * * *", "command": "erase_expired_screening"},
    "erase-mediation": {"cron": "55 1 * * *", "command": "erase_expired_mediation"},
    "clear-sessions": {"cron": "30 1 * * *", "command": "clearsessions"},
    "purge-audit-log": {"cron": "40 1 * * *", "command": "purge_audit_log"},
    "purge-saml-messages": {"cron": "45 1 * * *", "command": "purge_saml_messages"},
    # NemLog-in rolls its certificates through its metadata; a failed fetch keeps the stored one.
    "refresh-saml-metadata": {"cron": "0 0 * * *", "command": "refresh_saml_metadata"},
    "compact-erased-data": {"cron": "0 4 * * 0", "command": "compact_erased_data"},
    "prune-job-results": {"cron": "50 1 * * *", "command": "prune_job_results"},
    "prune-open-deadlines": {"cron": "52 1 * * *", "command": "prune_open_deadlines"},
    # SQLite's planner statistics after the night's erasures (PostgreSQL: autovacuum); every
    # night, since statistics from before a district's first cases sent a case's figures
    # through every offer (350 ms against 16 at 1,000,000 referrals). Not between 02:00 and
    # 03:00, the hour daylight saving time skips or repeats.
    "planner-statistics": {"cron": "50 3 * * *", "command": "refresh_planner_statistics"},
    # Socialsøg: every district's incremental run, Monday morning before the working week.
    "screening-weekly": {"cron": "0 5 * * 1", "command": "run_screening"},
    # Socialsøg: each sending district told of notifications past the receipt deadline.
    "screening-overdue": {"cron": "5 6 * * *", "command": "remind_overdue_acknowledgements"},
    # Konfliktråd / medling: agreement terms falling due or past due, in the inbox by morning.
    "mediation-terms": {"cron": "0 3 * * *", "command": "remind_mediation_terms"},
}
# A scheduler stopped for less than this still queues the slots it missed when it starts again.
JOBS_CATCH_UP_SECONDS = env.int("SPORSKIFTE_JOBS_CATCH_UP_SECONDS", default=6 * 60 * 60)
# A worker beats every JOBS_WORKER_BEAT_SECONDS; a running job whose worker has not beaten for
# JOBS_WORKER_LEASE_SECONDS goes back to the queue, at most JOBS_MAX_ATTEMPTS times.
JOBS_WORKER_BEAT_SECONDS = env.int("SPORSKIFTE_JOBS_WORKER_BEAT_SECONDS", default=15)
JOBS_WORKER_LEASE_SECONDS = env.int("SPORSKIFTE_JOBS_WORKER_LEASE_SECONDS", default=120)
JOBS_MAX_ATTEMPTS = 3
# Finished jobs are kept this long for the system administrator's page; failed ones until retried.
JOBS_KEEP_DAYS = env.int("SPORSKIFTE_JOBS_KEEP_DAYS", default=14)

# SAML log-in (sporskifte.saml; djangosaml2 + pysaml2, OIOSAML 3). In production it is off
# unless SPORSKIFTE_SAML is set, and then the SP's key, certificate and entity ID must be named.
SAML_ENABLED = env.bool("SPORSKIFTE_SAML", default=not PRODUCTION)
if PRODUCTION and SAML_ENABLED:
    SAML_KEY_FILE = Path(env.str("SPORSKIFTE_SAML_KEY_FILE"))
    SAML_CERT_FILE = Path(env.str("SPORSKIFTE_SAML_CERT_FILE"))
    SAML_ENTITY_ID = env.str("SPORSKIFTE_SAML_ENTITY_ID")
else:
    SAML_KEY_FILE = Path(env.str("SPORSKIFTE_SAML_KEY_FILE", default=str(VAR_DIR / "saml_sp.key")))
    SAML_CERT_FILE = Path(
        env.str("SPORSKIFTE_SAML_CERT_FILE", default=str(VAR_DIR / "saml_sp.crt"))
    )
    SAML_ENTITY_ID = env.str("SPORSKIFTE_SAML_ENTITY_ID", default="")
SAML_BASE_URL = SITE_URL
SAML_XMLSEC_BINARY = env.str("SPORSKIFTE_XMLSEC_BINARY", default="/usr/bin/xmlsec1")
# NemLog-in asks service providers to keep the exchanged messages for 180 days.
SAML_MESSAGE_RETENTION_DAYS = 180
SAML_CONFIG_LOADER = "sporskifte.saml.config.sp_config"
SAML_DEFAULT_BINDING = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
SAML_CREATE_UNKNOWN_USER = False
SAML_SESSION_COOKIE_SAMESITE = "None" if PRODUCTION else "Lax"
# The demo's identity provider (manage.py demo_identity_provider), on its own loopback port.
DEMO_IDP_PORT = env.int("SPORSKIFTE_DEMO_IDP_PORT", default=8001)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "sporskifte.core.requestlog.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # The letter renderer's font library logs each font it subsets at INFO; pysaml2's schema
    # library logs each schema it loads (at every start).
    "loggers": {
        "axes": {"level": "WARNING"},
        "xmlschema": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
    },
}
