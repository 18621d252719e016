"""One settings module, configured by environment variables; the defaults run on SQLite."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import dj_database_url

from kaohe.files import s3_storage
from kaohe.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent


def env_str(name: str, default: str) -> str:
    """A string setting from the environment."""
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    """A boolean setting: 1/true/yes/on or 0/false/no/off; anything else fails loudly."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    """A comma-separated list setting."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


def env_int(name: str, default: int) -> int:
    """An integer setting; a non-integer fails loudly."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"{name} must be an integer, got {raw!r}") from None


DATA_DIR = Path(env_str("KAOHE_DATA_DIR", str(Path.cwd() / "var"))).resolve()
DEBUG = env_bool("KAOHE_DEBUG", True)
SECRET_KEY = env_str("KAOHE_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ValueError("KAOHE_SECRET_KEY must be set when KAOHE_DEBUG is off")
    SECRET_KEY = "insecure-development-key-change-me"  # noqa: S105 - development default only
# Django's test client calls itself "testserver": a development name, never a production one.
ALLOWED_HOSTS = env_list(
    "KAOHE_ALLOWED_HOSTS", ["127.0.0.1", "localhost", *(["testserver"] if DEBUG else [])]
)
CSRF_TRUSTED_ORIGINS = env_list("KAOHE_CSRF_TRUSTED_ORIGINS", [])

# kaohe's apps first: an app listed earlier wins for a msgid both translate (our 添加, 退出, 筛选
# rather than django.contrib.admin's 增加, 注销, 过滤器), and for a template name both define.
INSTALLED_APPS = [
    "kaohe.core",
    "kaohe.accounts",
    "kaohe.org",
    "kaohe.years",
    "kaohe.ledger",
    "kaohe.ballots",
    "kaohe.targets",
    "kaohe.results",
    "kaohe.audit",
    "kaohe.assessment",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Pages compressed (a 200-department results page: 1.5 MB of HTML, about 100 KB gzipped).
    # BREACH: Django masks the CSRF token afresh on every response, so its bytes never repeat
    # for a compression oracle to guess; no other secret is echoed into a page beside what the
    # user typed. GZipMiddleware also adds random bytes to the gzip header (Django 4.2+).
    "django.middleware.gzip.GZipMiddleware",
    "csp.middleware.CSPMiddleware",
    # Static files (CSS, htmx) from STATIC_ROOT in production, from the apps in development.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "kaohe.core.limits.RequestSizeLimitMiddleware",  # before CSRF, which reads the body
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session passed its second factor.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Idle and absolute session limits, then the second factor (verify or enrol), then the
    # password change: each lets the others' pages through (issue 14).
    "kaohe.accounts.middleware.SessionLimitsMiddleware",
    "kaohe.accounts.middleware.SecondFactorMiddleware",
    # An initial, reset or expired password: the change page before any other (issue 14).
    "kaohe.accounts.middleware.PasswordChangeRequiredMiddleware",
    "kaohe.results.middleware.SealMiddleware",
    # What a GET asks more than once while its page is built, read once (kaohe.core.reads).
    "kaohe.core.reads.RequestReadsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "kaohe.core.errors.ErrorPagesMiddleware",
    # A login refused for a lockout becomes the Chinese lockout page (accounts/lockout.html).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kaohe.urls"
WSGI_APPLICATION = "kaohe.wsgi.application"

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
                "kaohe.assessment.context.navigation",
            ],
        },
    },
]

_default_db = f"sqlite:///{DATA_DIR / 'kaohe.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", _default_db), conn_max_age=env_int("KAOHE_DB_CONN_MAX_AGE", 0)
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            # secure_delete: deleted rows are overwritten with zeros, not left in free pages
            # (a closed round's old ballots, docs/ballots.md).
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000; PRAGMA secure_delete=ON;"
            ),
            "transaction_mode": "IMMEDIATE",
        }
    )
    # Tests on a file, not Django's shared-cache memory database: there, the live server's threads
    # (browser tests) hit table locks that fail at once ("database table is locked") instead of
    # waiting on busy_timeout. One file per test process, so parallel runs never share one.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"kaohe-test-{os.getpid()}.sqlite3")
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The security policy (issue 14): the variables below are its initial values; once the 安全管理员
# changes it on the security settings page, the database's current version is in force instead
# (kaohe/accounts/policy.py), read by the password rules, axes, and the session and second-factor
# middleware.
#
# The password rules of 等保2.0 level 3 (kaohe/accounts/passwords.py): at least 10 characters
# of three classes, not like the login name, not common, not one of the last five.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "kaohe.accounts.passwords.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "kaohe.accounts.passwords.CharacterClassesValidator"},
    {"NAME": "kaohe.accounts.passwords.NotUsernameValidator"},
    {"NAME": "kaohe.accounts.passwords.HistoryValidator"},
]
KAOHE_PASSWORD_MIN_LENGTH = env_int("KAOHE_PASSWORD_MIN_LENGTH", 10)
KAOHE_PASSWORD_CLASSES = env_int("KAOHE_PASSWORD_CLASSES", 3)
KAOHE_PASSWORD_HISTORY = env_int("KAOHE_PASSWORD_HISTORY", 5)
# After this many days the next page is the password change page (0: passwords never expire).
KAOHE_PASSWORD_MAX_AGE_DAYS = env_int("KAOHE_PASSWORD_MAX_AGE_DAYS", 90)
# The demo's shared password must be changed at first login: by default in production mode only,
# so that `make run` and the browser tests log in with it as they always have.
KAOHE_DEMO_MUST_CHANGE = env_bool("KAOHE_DEMO_MUST_CHANGE", not DEBUG)
# Axes first (it refuses a locked-out login name or address before the password is checked),
# then Django's, loading the request's user with its profile in the same query.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "kaohe.accounts.backends.ProfileBackend",
]

# Lockout (django-axes): after KAOHE_LOCKOUT_FAILURES failures of one login name, or
# KAOHE_LOCKOUT_ADDRESS_FAILURES from one address, that name or address is refused for
# KAOHE_LOCKOUT_MINUTES (or until the 安全管理员 clears it). The two are counted apart: a guesser trying many names from one address is stopped,
# and so is one trying one name from many addresses. Axes is off in the tests that log in with
# Django's test client (it passes no request); tests/conftest.py turns it on for the lockout tests.
AXES_ENABLED = env_bool("KAOHE_LOCKOUT", True)
KAOHE_LOCKOUT_FAILURES = env_int("KAOHE_LOCKOUT_FAILURES", 5)
KAOHE_LOCKOUT_ADDRESS_FAILURES = env_int("KAOHE_LOCKOUT_ADDRESS_FAILURES", KAOHE_LOCKOUT_FAILURES)
KAOHE_LOCKOUT_MINUTES = env_int("KAOHE_LOCKOUT_MINUTES", 30)
AXES_FAILURE_LIMIT = "kaohe.accounts.policy.axes_failure_limit"
AXES_COOLOFF_TIME = "kaohe.accounts.policy.axes_cool_off"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_HANDLER = "kaohe.accounts.policy.PolicyAxesHandler"
# Behind a reverse proxy the client's address comes from the header the proxy sets
# (KAOHE_REAL_IP_HEADER=HTTP_X_REAL_IP or HTTP_X_FORWARDED_FOR); without one, the peer's.
_REAL_IP_HEADER = env_str("KAOHE_REAL_IP_HEADER", "")
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    [_REAL_IP_HEADER, "REMOTE_ADDR"] if _REAL_IP_HEADER else ["REMOTE_ADDR"]
)
AXES_IPWARE_PROXY_COUNT = env_int("KAOHE_PROXY_COUNT", 1 if _REAL_IP_HEADER else 0) or None

# Sessions: logged out after KAOHE_SESSION_IDLE_MINUTES without a request, and in any case
# KAOHE_SESSION_MAX_HOURS after the login (kaohe/accounts/middleware.py).
KAOHE_SESSION_IDLE_MINUTES = env_int("KAOHE_SESSION_IDLE_MINUTES", 30)
KAOHE_SESSION_MAX_HOURS = env_int("KAOHE_SESSION_MAX_HOURS", 12)
# The cookie lasts the longest lifetime the page allows; each login sets its session's own.
SESSION_COOKIE_AGE = 24 * 3600

# The second factor (TOTP, django-otp) for the assessment office, the party group and the three
# administrators (kaohe/access/accounts.py must_use_second_factor): required in production,
# optional under DEBUG (`make run`: the demo logs in without a phone) unless KAOHE_OTP_REQUIRED=1.
KAOHE_OTP_REQUIRED = env_bool("KAOHE_OTP_REQUIRED", not DEBUG)

# Server processes (kaohe/wsgi.py) move what lives as long as they do out of the cyclic
# collector (gc.freeze; kaohe.core.memory); 0 leaves the collector alone.
KAOHE_GC_FREEZE = env_bool("KAOHE_GC_FREEZE", True)
# Roles beyond those that must use a second factor anyway (e.g. "leader,office_clerk").
KAOHE_SECOND_FACTOR_ROLES = env_list("KAOHE_SECOND_FACTOR_ROLES", [])
OTP_TOTP_ISSUER = env_str("KAOHE_OTP_ISSUER", "kaohe")
RECOVERY_CODES = 10

LANGUAGE_CODE = "zh-hans"
# The UI is Chinese whatever the browser asks for: one language, no LocaleMiddleware.
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("KAOHE_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("KAOHE_MEDIA_ROOT", str(DATA_DIR / "media")))
# Production serves the files `kaohe collectstatic` wrote (names with their content's hash,
# compressed copies); development serves them from the apps as they are edited.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploads (evidence, attachments) in an S3-compatible bucket instead of MEDIA_ROOT, so that several
# hosts serve one installation (docs/deploy.md); charts and published versions are in the database.
S3_BUCKET = env_str("KAOHE_S3_BUCKET", "")
if S3_BUCKET:
    STORAGES["default"] = s3_storage(
        bucket=S3_BUCKET,
        endpoint_url=env_str("KAOHE_S3_ENDPOINT_URL", ""),
        access_key=env_str("KAOHE_S3_ACCESS_KEY_ID", ""),
        secret_key=env_str("KAOHE_S3_SECRET_ACCESS_KEY", ""),
        region=env_str("KAOHE_S3_REGION", ""),
        prefix=env_str("KAOHE_S3_PREFIX", ""),
    )
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
# Uploaded evidence and attachments: readable by the service's user and group only (kaohe/files.py).
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750

# Warnings and errors with tracebacks to stderr and KAOHE_DATA_DIR/logs/kaohe.log (rotated at
# 10 MB, 10 kept), without ballot codes, passwords, POST bodies, session or CSRF values.
LOG_DIR = Path(env_str("KAOHE_LOG_DIR", str(DATA_DIR / "logs")))
LOGGING = logging_config(LOG_DIR, level=env_str("KAOHE_LOG_LEVEL", "WARNING").upper())

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("KAOHE_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
# A refused form (expired page, cookies off) gets the Chinese page with a way back.
CSRF_FAILURE_VIEW = "kaohe.core.errors.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# HTTPS (docs/deploy.md): HSTS for this many seconds (0: none; a year, 31536000, once HTTPS
# works), with subdomains and preload only when asked; http:// redirected to https://; behind a
# proxy that terminates TLS, the header it sets ("X-Forwarded-Proto") tells Django the request
# was HTTPS. An intranet without HTTPS leaves all of them off (what that costs: docs/deploy.md).
SECURE_HSTS_SECONDS = env_int("KAOHE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("KAOHE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("KAOHE_HSTS_PRELOAD", False)
SECURE_SSL_REDIRECT = env_bool("KAOHE_SSL_REDIRECT", False)
# `check --deploy` asks for HSTS preload (security.W021): the browsers' preload list is for public
# domains, an organ's intranet name is never on it; KAOHE_HSTS_PRELOAD=1 remains for a public one.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
_proxy_ssl_header = env_str("KAOHE_PROXY_SSL_HEADER", "")
if _proxy_ssl_header:
    # "X-Forwarded-Proto" (the header's name; its value "https" means the request was HTTPS)
    SECURE_PROXY_SSL_HEADER = (
        "HTTP_" + _proxy_ssl_header.strip().upper().replace("-", "_"),
        "https",
    )
# Content-Security-Policy (django-csp): scripts, styles, images and fonts from this site only,
# no inline script, style or event handler (kaohe's are static files; htmx is told not to insert
# its indicator style, base.html), no framing (with X-Frame-Options DENY), forms posted here only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

# Evidence files: the largest accepted upload, in megabytes.
EVIDENCE_MAX_BYTES = env_int("KAOHE_EVIDENCE_MAX_MB", 20) * 1024 * 1024
# Request bodies (kaohe/core/limits.py): forms, and the views that take files (several at once).
REQUEST_MAX_BYTES = env_int("KAOHE_REQUEST_MAX_KB", 2048) * 1024
UPLOAD_REQUEST_MAX_BYTES = env_int("KAOHE_UPLOAD_REQUEST_MAX_MB", 100) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = REQUEST_MAX_BYTES  # the fields of a request, its files aside
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# E-mail of the deadline reminders (`kaohe remind`): sent only when an SMTP server is named.
EMAIL_HOST = env_str("KAOHE_EMAIL_HOST", "")
EMAIL_PORT = env_int("KAOHE_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("KAOHE_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("KAOHE_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("KAOHE_EMAIL_TLS", False)
EMAIL_USE_SSL = env_bool("KAOHE_EMAIL_SSL", False)
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = env_str("KAOHE_EMAIL_FROM", "kaohe@localhost")
# Where the links in the e-mails lead (the address people open kaohe at).
KAOHE_PUBLIC_URL = env_str("KAOHE_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
# How many days before a deadline `kaohe remind` sends the first reminder.
KAOHE_REMIND_DAYS_BEFORE = env_int("KAOHE_REMIND_DAYS_BEFORE", 3)

# Ballot codes (docs/ballots.md): the HMAC key codes are stored under (empty: derived from
# SECRET_KEY, so changing either during an open round voids its codes), the address printed on the
# slips (empty: the address the office uses), and how many refused codes may share one printed
# group of a code per window before codes with that group are refused (kaohe/ballots/throttle.py).
BALLOT_KEY = env_str("KAOHE_BALLOT_KEY", "")
BALLOT_PUBLIC_URL = env_str("KAOHE_BALLOT_PUBLIC_URL", "")
BALLOT_MAX_FAILURES = env_int("KAOHE_BALLOT_MAX_FAILURES", 30)
BALLOT_FAILURE_WINDOW = env_int("KAOHE_BALLOT_FAILURE_WINDOW", 600)

# `kaohe serve` (gunicorn, kaohe/core/management/commands/serve.py): where it listens, how many
# worker processes (default 2 × cores + 1, at most 9: each holds its own database connection),
# a request's time limit in seconds, the access log ("-": stdout, so journald keeps it), and
# the proxies whose X-Forwarded-* headers gunicorn believes.
SERVE_BIND = env_str("KAOHE_BIND", "127.0.0.1:8000")
SERVE_WORKERS = env_int("KAOHE_WORKERS", min(2 * (os.cpu_count() or 1) + 1, 9))
SERVE_TIMEOUT = env_int("KAOHE_TIMEOUT", 120)
SERVE_ACCESS_LOG = env_str("KAOHE_ACCESS_LOG", "-")
SERVE_FORWARDED_ALLOW_IPS = env_str("KAOHE_FORWARDED_ALLOW_IPS", "127.0.0.1")
