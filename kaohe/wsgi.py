"""WSGI entry point (gunicorn kaohe.wsgi)."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

from kaohe.files import restrict_umask

restrict_umask()  # the database, evidence and logs this process writes: not world-readable
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaohe.settings")
application = get_wsgi_application()
