"""One settings module, configured by environment variables; the defaults run on SQLite."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import dj_database_url

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
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Pages compressed (a 200-department results page: 1.5 MB of HTML, about 100 KB gzipped).
    # BREACH: Django masks the CSRF token afresh on every response, so its bytes never repeat
    # for a compression oracle to guess; no other secret is echoed into a page beside what the
    # user typed. GZipMiddleware also adds random bytes to the gzip header (Django 4.2+).
    "django.middleware.gzip.GZipMiddleware",
    # Static files (CSS, htmx) from STATIC_ROOT in production, from the apps in development.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "kaohe.core.limits.RequestSizeLimitMiddleware",  # before CSRF, which reads the body
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # An initial, reset or expired password: the change page before any other (issue 14).
    "kaohe.accounts.middleware.PasswordChangeRequiredMiddleware",
    "kaohe.results.middleware.SealMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "kaohe.core.errors.ErrorPagesMiddleware",
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

# The password rules of 等保2.0 level 3 (issue 14; kaohe/accounts/passwords.py): at least 10
# characters of three classes, not like the login name, not common, not one of the last five.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "kaohe.accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "kaohe.accounts.passwords.CharacterClassesValidator"},
    {"NAME": "kaohe.accounts.passwords.NotUsernameValidator"},
    {"NAME": "kaohe.accounts.passwords.HistoryValidator", "OPTIONS": {"count": 5}},
]
# After this many days the next page is the password change page (0: passwords never expire).
KAOHE_PASSWORD_MAX_AGE_DAYS = env_int("KAOHE_PASSWORD_MAX_AGE_DAYS", 90)
# The demo's shared password must be changed at first login: by default in production mode only,
# so that `make run` and the browser tests log in with it as they always have.
KAOHE_DEMO_MUST_CHANGE = env_bool("KAOHE_DEMO_MUST_CHANGE", not DEBUG)
# Django's backend, loading the request's user with its profile in the same query.
AUTHENTICATION_BACKENDS = ["kaohe.accounts.backends.ProfileBackend"]
# Security settings the 安全管理员 edits (lockout, sessions, second factor) come next (issue 14
# part 2): their defaults from the environment here, their current values in the database.

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

# Evidence files: the largest accepted upload, in megabytes.
EVIDENCE_MAX_BYTES = env_int("KAOHE_EVIDENCE_MAX_MB", 20) * 1024 * 1024
# Request bodies (kaohe/core/limits.py): forms, and the views that take files (several at once).
REQUEST_MAX_BYTES = env_int("KAOHE_REQUEST_MAX_KB", 2048) * 1024
UPLOAD_REQUEST_MAX_BYTES = env_int("KAOHE_UPLOAD_REQUEST_MAX_MB", 100) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = REQUEST_MAX_BYTES  # the fields of a request, its files aside
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Ballot codes (docs/ballots.md): the HMAC key codes are stored under (empty: derived from
# SECRET_KEY, so changing either during an open round voids its codes), the address printed on the
# slips (empty: the address the office uses), and how many refused codes may share one printed
# group of a code per window before codes with that group are refused (kaohe/ballots/throttle.py).
BALLOT_KEY = env_str("KAOHE_BALLOT_KEY", "")
BALLOT_PUBLIC_URL = env_str("KAOHE_BALLOT_PUBLIC_URL", "")
BALLOT_MAX_FAILURES = env_int("KAOHE_BALLOT_MAX_FAILURES", 30)
BALLOT_FAILURE_WINDOW = env_int("KAOHE_BALLOT_FAILURE_WINDOW", 600)
