"""WSGI entry point (gunicorn kaohe.wsgi)."""

from __future__ import annotations

import gc
import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

from kaohe.core import memory
from kaohe.files import restrict_umask

restrict_umask()  # the database, evidence and logs this process writes: not world-readable
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaohe.settings")
application = get_wsgi_application()

# Everything loaded at start-up (Django, the apps, the engine, the built-in schemes) is moved
# out of the cyclic collector's generations: it lives as long as the process, and the collector
# otherwise walks it again on every full collection (issue 15: about a third of a heavy page's
# time was the collector). With gunicorn's --preload the frozen objects also stay shared
# between the forked workers instead of being copied on the collector's writes.
# KAOHE_GC_FREEZE=0 leaves the collector as Python has it (bench/web.py --no-gc-freeze measures
# the difference).
if settings.KAOHE_GC_FREEZE:
    gc.freeze()
    memory.FREEZE = True  # and again whenever a memo takes in a year's computation (core.memory)
