"""The application's log: warnings and errors, with tracebacks, to stderr and a rotating file.

What a log line may never carry: ballot codes, passwords, POST bodies, session or CSRF values.
`Redact` removes them from every record before any handler formats it: the request's POST values
and cookies (wherever they appear: a message, an exception's text, a traceback), anything shaped
like a ballot code, and the request object itself (which handlers such as Django's mail handler
would dump). The 500 page's error number is written into the line so a clerk can quote it.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import re
from pathlib import Path
from typing import Any

REDACTED = "[redacted]"
# A ballot code as printed or typed: 28 characters of base32, whole or in dashed groups of four.
BALLOT_CODE = re.compile(
    r"(?<![0-9A-Za-z-])(?:[0-9A-Za-z]{28}|(?:[0-9A-Za-z]{4}-){6}[0-9A-Za-z]{4})(?![0-9A-Za-z-])"
)
# Values shorter than this are not looked for in the text (a 1 or a "H1" would blank half the
# traceback); a password is longer, and a ballot code is caught by its shape.
SHORTEST_SECRET = 4
SECRET_HEADERS = ("HTTP_COOKIE", "HTTP_X_CSRFTOKEN", "HTTP_AUTHORIZATION")
FILE_MODE = 0o640
DIRECTORY_MODE = 0o750


def request_secrets(request: Any) -> list[str]:
    """The values a request carries that no log may show: POST values, cookies, secret headers."""
    if request is None:
        return []
    found: list[str] = []
    # Only a body already parsed: reading it here would read what the size limit refused unread
    # (RequestDataTooBig), and values never parsed cannot have reached the message.
    post = getattr(request, "_post", None)
    if post is not None:
        found += [value for key in post for value in post.getlist(key)]
    found += list(getattr(request, "COOKIES", {}).values())
    meta = getattr(request, "META", {})
    found += [str(meta[name]) for name in SECRET_HEADERS if meta.get(name)]
    # Longest first, so that a value containing another is replaced whole.
    return sorted({v for v in found if len(v) >= SHORTEST_SECRET}, key=len, reverse=True)


def scrub(text: str, secrets: list[str]) -> str:
    """The text without the secrets and without anything shaped like a ballot code."""
    for secret in secrets:
        text = text.replace(secret, REDACTED)
    return BALLOT_CODE.sub(REDACTED, text)


class Redact(logging.Filter):
    """Removes secrets from a record (message, exception, stack), then the request itself."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        secrets = request_secrets(request)
        error_id = getattr(request, "kaohe_error_id", "")
        message = scrub(record.getMessage(), secrets)
        record.msg, record.args = (f"{message} [error {error_id}]" if error_id else message), None
        if record.exc_info:
            text = logging.Formatter().formatException(record.exc_info)
            record.exc_text, record.exc_info = scrub(text, secrets), None
        elif record.exc_text:
            record.exc_text = scrub(record.exc_text, secrets)
        if record.stack_info:
            record.stack_info = scrub(record.stack_info, secrets)
        record.request = None
        return True


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log file readable by its owner and group only, in a directory closed to others."""

    def _open(self) -> Any:
        directory = Path(self.baseFilename).parent
        directory.mkdir(mode=DIRECTORY_MODE, parents=True, exist_ok=True)
        stream = super()._open()
        os.chmod(self.baseFilename, FILE_MODE)
        return stream


# Over 40 lines by nature: one literal, Django's LOGGING setting.
def logging_config(log_dir: Path, *, level: str = "WARNING") -> dict[str, Any]:
    """The LOGGING setting: Django's and kaohe's warnings and errors to stderr and the log file."""
    handlers = ["stderr", "file"]
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"redact": {"()": Redact}},
        "formatters": {
            "line": {"format": "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s"},
            "server": {
                "()": "django.utils.log.ServerFormatter",
                "format": "[{server_time}] {message}",
                "style": "{",
            },
        },
        "handlers": {
            # runserver's access lines, as Django has them (configuring "django" would reset them)
            "server": {
                "class": "logging.StreamHandler",
                "filters": ["redact"],
                "formatter": "server",
                "level": "INFO",
            },
            "stderr": {
                "class": "logging.StreamHandler",
                "filters": ["redact"],
                "formatter": "line",
                "level": level,
            },
            "file": {
                "()": PrivateRotatingFileHandler,
                "filename": str(log_dir / "kaohe.log"),
                "maxBytes": 10 * 1024 * 1024,
                "backupCount": 10,
                "encoding": "utf-8",
                "delay": True,
                "filters": ["redact"],
                "formatter": "line",
                "level": level,
            },
        },
        "loggers": {
            "django": {"handlers": handlers, "level": level, "propagate": False},
            "kaohe": {"handlers": handlers, "level": level, "propagate": False},
            "django.server": {"handlers": ["server"], "level": "INFO", "propagate": False},
        },
    }
