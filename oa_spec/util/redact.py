"""Keep AppSecrets and access tokens out of logs and messages.

The platform wants both in query strings (`?access_token=`, classic `/cgi-bin/token?secret=`), and
urllib3 logs request lines at DEBUG level, so redaction happens where text is logged, not only where
oaspec writes it.
"""

from __future__ import annotations

import logging
import re

_CREDENTIAL_IN_QUERY = re.compile(r"(access_token|secret)=[^&\s'\"]+")
_FILTERED_LOGGERS = ("urllib3.connectionpool",)
# What an AppSecret, token, AES key or signing secret is written in (hex, base64, url-safe base64), at least a
# short token's length.
_KEY_ALPHABET = re.compile(r"[A-Za-z0-9+/=_.-]{16,}")


def redact_query(text: str) -> str:
    """`...?access_token=abc&x=1` -> `...?access_token=***&x=1` (also `secret=`)."""
    return _CREDENTIAL_IN_QUERY.sub(r"\1=***", text)


def looks_like_a_credential(value: str) -> bool:
    """Whether `value` could be a secret pasted where it does not belong (an AppSecret in `app_id:` or in
    `state.variable:`): 16 or more characters of a key's alphabet, letters and digits both. A message names
    such a value by its length only, so that it does not reach a CI log."""
    return (_KEY_ALPHABET.fullmatch(value) is not None and any(ch.isdigit() for ch in value)
            and any(ch.isalpha() for ch in value))


class RedactingFilter(logging.Filter):
    """Rewrites a log record whose message carries credentials in a query string."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_query(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


_FILTER = RedactingFilter()


def install_log_redaction() -> None:
    """Attach the filter to the HTTP libraries' loggers (idempotent)."""
    for name in _FILTERED_LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
