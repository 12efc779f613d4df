"""Settings, read from the environment (django-environ); see README for the variables.

Without ``DATABASE_URL`` an embedded PostgreSQL starts under ``var/`` so that ``make run``
and ``make test`` need no set-up; with it, the named server is used. There is no SQLite:
trigram search, partial unique indexes and trigger-based history need PostgreSQL.
"""

from datetime import timedelta
from pathlib import Path

import environ

from casemgmt.database_roles import OWNER_ROLE, role_settings, runs_as_owner

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)
# The key `make run` and the tests use; casemgmt.checks refuses to serve with it when DEBUG is off.
DEVELOPMENT_SECRET_KEY = "insecure-local-development-key-change-me-in-production"
SECRET_KEY = env.str("SECRET_KEY", default=DEVELOPMENT_SECRET_KEY)
# Social Security and Medicaid numbers are encrypted with these (clients.encryption): the first
# key encrypts, every key decrypts (rotation: put a new key first, run rotate_field_keys, then
# drop the old). Exact searches compare a keyed hash under FIELD_LOOKUP_KEY. The development
# values are refused with DEBUG off (casemgmt.checks).
DEVELOPMENT_FIELD_ENCRYPTION_KEY = "Y2FzZXdvcmstZGV2ZWxvcG1lbnQtZmllbGQta2V5ISE="
DEVELOPMENT_FIELD_LOOKUP_KEY = "insecure-development-lookup-key"
FIELD_ENCRYPTION_KEYS = env.list(
    "FIELD_ENCRYPTION_KEYS", default=[DEVELOPMENT_FIELD_ENCRYPTION_KEY]
)
FIELD_LOOKUP_KEY = env.str("FIELD_LOOKUP_KEY", default=DEVELOPMENT_FIELD_LOOKUP_KEY)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "pgtrigger",
    "pghistory",
    "pghistory.admin",
    "axes",
    "casemgmt",
    "accounts",
    "clients",
    "exports",
    "serviceplans",
    "referrals",
    "supervision",
    "scheduling",
    "outcomes",
    "quality",
    "reports",
    "workspace",
    "audit",
    "devtools",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.AbsoluteSessionTimeoutMiddleware",
    # Nothing but the steps of logging in until the second factor is passed.
    "accounts.second_factor.SecondFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # No page or API answer is kept by a browser or a proxy cache: they carry client data.
    "casemgmt.middleware.NoStoreMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Saves through the web pages evaluate the changed enrollment's compliance at once.
    "casemgmt.middleware.InteractiveRequestMiddleware",
    "clients.audit.RefusalLogMiddleware",
    "pghistory.middleware.HistoryMiddleware",
    # Axes last, as its documentation asks, so that it sees the final response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "casemgmt.urls"
WSGI_APPLICATION = "casemgmt.wsgi.application"

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
                # The navigation bar's count of open flags (pending variances for
                # administrators), looked up only when a page renders it.
                "supervision.context_processors.navigation",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------
# Two roles (casemgmt.database_roles): DATABASE_URL is the app's, which owns nothing;
# DATABASE_OWNER_URL (the same database, another role) owns the tables and is used by the
# commands in OWNER_COMMANDS (manage.py sets CASEWORK_DATABASE_AS_OWNER for them) and by the
# test suite's set-up. Without DATABASE_OWNER_URL both are DATABASE_URL's role, which the
# production entry points refuse (casemgmt.checks). The embedded database creates both roles.
if env.str("DATABASE_URL", default=""):
    _app_database = env.db("DATABASE_URL")
    _owner_database = env.db("DATABASE_OWNER_URL", default=env.str("DATABASE_URL"))
else:
    from casemgmt.embedded_db import embedded_database_settings

    _app_database = embedded_database_settings(
        data_dir=BASE_DIR / "var" / "pgdata", name="casemgmt"
    )
    _owner_database = {**_app_database, "USER": OWNER_ROLE}
DATABASE_ROLES = {"app": role_settings(_app_database), "owner": role_settings(_owner_database)}
DATABASES = {"default": _app_database}
if runs_as_owner():
    DATABASES["default"].update(DATABASE_ROLES["owner"])
# Keep a connection for a minute instead of opening one per request (checked before reuse).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# PostgreSQL's JIT compilation pays off on long analytical queries, not on these short ones:
# at 100,000 clients it added 20-35 ms to the dashboard's and the evaluation's queries
# (manage.py benchmark --set jit=on shows it).
# random_page_cost: PostgreSQL's default of 4 prices a random read for spinning disks; with
# the working set in memory or on SSD (1.1 is the usual figure) it picks the index scans of a
# team's rows instead of scanning every enrollment and hashing every flag and risk screen
# (the referral list and the dashboard's per-case-manager summary at 100,000 clients).
_db_options = DATABASES["default"].setdefault("OPTIONS", {})
_db_options["options"] = (
    f"{_db_options.get('options', '')} -c jit=off -c random_page_cost=1.1".strip()
)
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Every select box of a model (ModelChoiceField) reads its options with QuerySet.iterator(),
# which by default opens a server-side cursor: DECLARE, FETCH and CLOSE for a dozen rows,
# 2.5 ms a box instead of 0.2 ms (the variance queue's region and program filters). Code that
# reads a table too large to fetch in one go pages through it by key (reports.activity
# .contact_rows, behind the contact export).
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts, passwords, sessions, lockout ---------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# The agency's name, refused in passwords like the product's (accounts.password_validation).
AGENCY_NAME = env.str("AGENCY_NAME", default="")
# Length, not composition (NIST SP 800-63B §5.1.1.2): at least 12 characters, not a common
# password, not digits only, no context-specific word (the user's names, Casework, the agency).
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.password_validation.ContextSpecificWordsValidator"},
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# A session idles out after SESSION_IDLE_MINUTES (the cookie age, renewed by each request)
# and ends SESSION_ABSOLUTE_HOURS after login whatever the activity (accounts.middleware).
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=15)
SESSION_ABSOLUTE_HOURS = env.int("SESSION_ABSOLUTE_HOURS", default=12)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
# How long before the idle logoff a page warns and offers to stay signed in (WCAG 2.2.1;
# templates/accounts/_idle_warning.html, static/js/idle.js).
SESSION_IDLE_WARNING_SECONDS = env.int("SESSION_IDLE_WARNING_SECONDS", default=120)
# Renewed by accounts.middleware at most once a minute, not saved on every request.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
# Set SECURE_COOKIES=1 behind HTTPS in production.
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# The second factor (accounts.second_factor): the issuer an authenticator app shows beside the
# code; a wrong code backs off 1, 2, 4 ... seconds per device and counts toward the lockout.
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Casework")
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# Passkeys (WebAuthn, accounts.passkeys): the relying party is the host name people reach the
# app at (never an IP address: browsers refuse one), and passkeys are bound to it, so
# changing it later orphans every passkey. Its name is what the browser shows when one is made.
WEBAUTHN_RP_ID = env.str("WEBAUTHN_RP_ID", default="localhost")
WEBAUTHN_RP_NAME = env.str("WEBAUTHN_RP_NAME", default="Casework")

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="America/Boise")
# The interface is in English only. Without the translation machinery every value a template
# prints skips a look-up of the active language (a tenth of the caseload's rendering time).
USE_I18N = False
USE_TZ = True

# --- Static files -----------------------------------------------------------------------------
STATIC_URL = "static/"
# Uploaded signed consents and agreements. Served only through views that check access.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")

# Exports (exports/): up to this many rows a page writes its CSV or XLSX in the request; beyond,
# a Celery worker writes the file into MEDIA_ROOT (which every web process must share), kept
# this many hours for the person who asked.
EXPORT_IN_REQUEST_MAX_ROWS = env.int("EXPORT_IN_REQUEST_MAX_ROWS", default=10_000)
EXPORT_FILE_HOURS = 24
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns at start-up when it is missing
# Served from the source folders too, so runserver and tests need no collectstatic.
WHITENOISE_USE_FINDERS = True

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- API --------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # The session of a login that passed the second factor, nothing else: HTTP Basic would
    # reach the data with a password alone (tokens come with their own second factor).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        # Expiring tokens minted from a session past the second factor (accounts.api_tokens).
        "accounts.api_tokens.ExpiringTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "casemgmt.api_errors.api_exception_handler",
    # Per user, in the cache below (casemgmt.throttling.StaffRateThrottle, API_RATE_LIMIT).
    "DEFAULT_THROTTLE_CLASSES": ["casemgmt.throttling.StaffRateThrottle"],
}
# Requests to the API per user, and client searches per user (the directory, the navigation
# bar's search, the duplicate search of a registration), before a 429: a stolen session or a
# script cannot page through the agency's clients at machine speed.
# The longest an API token may live (accounts.api_tokens); its owner chooses up to this.
API_TOKEN_MAX_DAYS = env.int("API_TOKEN_MAX_DAYS", default=90)
API_RATE_LIMIT = env.str("API_RATE_LIMIT", default="600/minute")
SEARCH_RATE_LIMIT_PER_MINUTE = env.int("SEARCH_RATE_LIMIT_PER_MINUTE", default=60)
SPECTACULAR_SETTINGS = {
    "TITLE": "Casework API",
    "DESCRIPTION": "Clients, enrollments, contacts, assessments, risk screens and service plans, "
    "with the same access rules as the web app.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Choice sets shared by several fields (a risk screen's two stages of change, its two
    # adherence ratings) get one enum each in the schema.
    "ENUM_NAME_OVERRIDES": {
        "StageOfChangeEnum": "serviceplans.models.StageOfChange",
        "AdherenceEnum": "serviceplans.models.Adherence",
        # A referral's status, its steps and allowed next steps; a provider's service types
        # and a consent's class of recipient; what consents, referrals and disclosures share.
        "ReferralStatusEnum": "referrals.models.ReferralStatus",
        "ServiceTypeEnum": "referrals.models.ServiceType",
        "InformationCategoryEnum": "referrals.models.InformationCategory",
        # A flag's rule, also the standard a variance is requested against.
        "FlagRuleEnum": "supervision.models.FlagRule",
    },
}

# --- Celery -----------------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="redis://127.0.0.1:6379/0")
CELERY_RESULT_BACKEND = None
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
# Delivery: a message is acknowledged after its task ran, not when a worker takes it, so a
# worker killed mid-task (or its machine) leaves the message to another worker; every task is
# safe to run twice (each says how). A worker reserves one message at a time, so a killed one
# strands no others. Redis hands an unacknowledged message out again after the visibility
# timeout, set above the hard time limit, so a task still running is never given out twice.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_TASK_TIME_LIMIT + 30 * 60}
# The schedule is casemgmt/celery.py's beat_schedule, nowhere else (not the database, not the
# admin); however many beats run, the one holding a PostgreSQL advisory lock sends it.
CELERY_BEAT_SCHEDULER = "casemgmt.beat:LockedScheduler"

# --- Audit chain (audit/) ---------------------------------------------------------------------
# The HMAC key that seals the access log, the history and the accounting of disclosures. It is
# held here, outside the database, so that whoever owns the database cannot rewrite audit rows
# and seal them again. Keys retired by a rotation stay in AUDIT_PREVIOUS_KEYS so that the seals
# made with them still verify. casemgmt.checks refuses the development key when DEBUG is off.
DEVELOPMENT_AUDIT_KEY = "insecure-local-development-audit-key"
AUDIT_KEY = env.str("AUDIT_KEY", default=DEVELOPMENT_AUDIT_KEY)
AUDIT_PREVIOUS_KEYS = env.list("AUDIT_PREVIOUS_KEYS", default=[])

# --- Cache -----------------------------------------------------------------------------------
# The rate limits count in the cache: with several web processes, give them one Redis
# (CACHE_REDIS_URL, e.g. redis://127.0.0.1:6379/1); without it each process counts alone.
CACHE_REDIS_URL = env.str("CACHE_REDIS_URL", default="")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_REDIS_URL}
        if CACHE_REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# --- Email ------------------------------------------------------------------------------------
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
# SMTP in production: TLS on (STARTTLS on 587), with the relay's host and credentials.
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=587)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="casework@localhost")
# Where the app is reached, for the links in emails (the daily flag digest).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# --- Security headers (production passes `manage.py check --deploy`) --------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Behind HTTPS (SECURE_COOKIES=1) plain HTTP is redirected and browsers are told to use HTTPS
# only, for a year, unless said otherwise. The load balancer's health check stays on HTTP.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=SESSION_COOKIE_SECURE)
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_HSTS_SECONDS = env.int(
    "SECURE_HSTS_SECONDS", default=365 * 24 * 3600 if SESSION_COOKIE_SECURE else 0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
# Joining the browsers' HSTS preload list is the agency's decision, not a default.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = ["security.W021"]
# Content-Security-Policy (django-csp): scripts, styles, fonts and requests from this origin
# only, and no inline script or style anywhere (htmx, Bootstrap and Chart.js are vendored under
# static/; data for the charts travels in json_script blocks, which are not run). An injected
# <script> or on* attribute in a client's name or a note does not run even if escaping failed.
# data: images are Bootstrap's SVG icons in its CSS. No page may be framed, and forms post
# here only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_PROXY", default=False) else None
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

# Event tables are append-only: history cannot be rewritten either.
PGHISTORY_APPEND_ONLY = True
