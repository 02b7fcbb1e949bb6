"""Settings, read from the environment (12-factor).

SPORSKIFTE_ENV chooses the profile: ``development`` (default: SQLite, console e-mail, a local
secret key generated once under var/) or ``production`` (every secret must come from the
environment, HTTPS everywhere; ``manage.py check --deploy`` is clean). Parsing is strict:
an unknown profile or a malformed value stops the start instead of falling back silently.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
env.read_env(BASE_DIR / ".env")  # optional; never committed

PROFILE = env.str("SPORSKIFTE_ENV", default="development")
if PROFILE not in {"development", "production"}:
    raise ImproperlyConfigured(f"SPORSKIFTE_ENV must be development or production, not {PROFILE!r}")
PRODUCTION = PROFILE == "production"

DEBUG = env.bool("DJANGO_DEBUG", default=not PRODUCTION)
# The demo shows a helper for demo accounts' one-time codes; refused in production (see checks).
DEMO = env.bool("SPORSKIFTE_DEMO", default=False)


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
    "sporskifte.core",
    "sporskifte.accounts",
    "sporskifte.organisations",
    "sporskifte.audit",
    "sporskifte.people",
    "sporskifte.referrals",
    "sporskifte.insights",
    "sporskifte.research",
    "sporskifte.fora",
    "sporskifte.concerns",
    "sporskifte.mediation",
    "sporskifte.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "sporskifte.core.middleware.NoStoreMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sporskifte.accounts.middleware.SlidingSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "sporskifte.core.middleware.CountryLanguageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "sporskifte.accounts.middleware.RequireVerifiedStaffMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "sporskifte.audit.middleware.RefusedLookMiddleware",
]

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
                "sporskifte.core.context_processors.sporskifte",
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
    "CONN_MAX_AGE", env.int("DJANGO_CONN_MAX_AGE", default=60 if PRODUCTION else 0)
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
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One cache for every gunicorn worker and host, in the database they already share: API
# throttles count per token, not per process, and nothing new has to be run. The table is made
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
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Block after 3 failures, per user name *and* address together: a stranger who knows a user name
# locks out only their own address, not the user (sporskifte.accounts.lockout). The lock rises
# in steps (15 min, 1 h, 4 h, 16 h, 24 h); the user lifts it with their second factor.
AXES_FAILURE_LIMIT = env.int("SPORSKIFTE_LOGIN_FAILURE_LIMIT", default=3)
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
SESSION_COOKIE_AGE = env.int("SPORSKIFTE_SESSION_SECONDS", default=30 * 60)
SESSION_REFRESH_SECONDS = min(60, SESSION_COOKIE_AGE // 10)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# The language cookie says which country's staff is at the keyboard: same rules as the others.
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = PRODUCTION

MFA_REQUIRED = env.bool("SPORSKIFTE_MFA_REQUIRED", default=True)
OTP_TOTP_ISSUER = "Sporskifte"

LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Danish")), ("en", _("English")), ("sv", _("Swedish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
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
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
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
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
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
STALE_REFERRAL_DAYS = env.int("SPORSKIFTE_STALE_REFERRAL_DAYS", default=30)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # The letter renderer's font library logs each font it subsets at INFO.
    "loggers": {
        "axes": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
    },
}
