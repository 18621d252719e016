"""The bare app's settings: what a minimal Django site on PostgreSQL has, and nothing more."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

BASE = Path(__file__).resolve().parent
# The product's key when bench/web.py serves both: the bare app then reads a session the bench
# wrote into the product's database (the logged-in table page, the yardstick of a login).
SECRET_KEY = os.environ.get("KAOHE_SECRET_KEY", "bench-bare-only-not-a-secret")
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]
ROOT_URLCONF = "bench.bare.urls"
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "django.contrib.sessions"]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Lazy: a request without a session cookie reads nothing (hello, the table, the token).
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
LOGIN_URL = "/hello/"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE / "templates"],
        "OPTIONS": {"context_processors": []},
    }
]
DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
USE_TZ = True
LANGUAGE_CODE = "zh-hans"
