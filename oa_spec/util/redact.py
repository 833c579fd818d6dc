"""Keep AppSecrets and access tokens out of logs and messages.

The platform wants both in query strings (`?access_token=`, classic `/cgi-bin/token?secret=`), and
urllib3 logs request lines at DEBUG level, so redaction happens where text is logged, not only where
oaspec writes it. A secret the platform or a proxy echoes back comes in the form it was sent or shown in
(JSON-escaped, percent-encoded, escaped by display.visible): `redacted` masks each of them (attack review 65).
"""

from __future__ import annotations

import base64
import json
import logging
import re
from collections.abc import Callable, Iterable, Iterator

_CREDENTIAL_IN_QUERY = re.compile(r"(access_token|secret)=[^&\s'\"]+")
_FILTERED_LOGGERS = ("urllib3.connectionpool",)
# What an AppSecret, token, AES key or signing secret is written in (hex, base64, url-safe base64), at least a
# short token's length.
_KEY_ALPHABET = re.compile(r"[A-Za-z0-9+/=_.-]{16,}")
# Where a value that is not one key splits into parts that could each be one: a URL's '.', ':' and '?' (a host
# name's labels and a path's segments stay whole: they are joined by key characters).
_NOT_A_KEY = re.compile(r"[^A-Za-z0-9+/=_-]+")
# A host name's label or a path's segment as written: one case, no '+' or '='.
_ONE_CASE = re.compile(r"[a-z0-9_-]*|[A-Z0-9_-]*")
# A piece of a secret this long (its characters in any case, or of its base64) gives a run holding it away
# (attack review 66, F4: a proxy quoting the first 100 characters of the request left 24 of 32 characters).
PIECE = 8
# A run of a key's characters in an echo ('=' only at its end, so that `secret=` stays a word of its own).
_KEY_RUN = re.compile(r"[A-Za-z0-9+/_-]+=*")


def redact_query(text: str) -> str:
    """`...?access_token=abc&x=1` -> `...?access_token=***&x=1` (also `secret=`)."""
    return _CREDENTIAL_IN_QUERY.sub(r"\1=***", text)


def looks_like_a_credential(value: str) -> bool:
    """Whether `value` could be a secret pasted where it does not belong (an AppSecret in `app_id:` or in
    `state.variable:`): 16 or more characters of a key's alphabet, letters and digits both. A message names
    such a value by its length only, so that it does not reach a CI log."""
    return (_KEY_ALPHABET.fullmatch(value) is not None and any(ch.isdigit() for ch in value)
            and any(ch.isalpha() for ch in value))


def holds_a_credential(value: str, separators: re.Pattern[str] = _NOT_A_KEY) -> bool:
    """Whether `value`, or one of its parts split at `separators`, looks like a credential (a key after https://).
    A part that is a host name's label or a path is not a key when each of its segments is readable (attack review
    66, F5: https://wechat-proxy01.bank.cn was named by its length; review 67, F4: so was
    https://wechat-gateway-prod01.citybank.com.cn): see `_readable_path`."""
    return any(looks_like_a_credential(part) and not _readable_path(part) for part in separators.split(value))


def _readable_path(part: str) -> bool:
    """Segments joined by '/' that each are in one case, with no '+' or '=', and either too short to be a key
    (//wechat-proxy01, /wechat/api/v2024) or words and numbers joined by '-' or '_' (wechat-gateway-prod01,
    gateway-v20240601): a base64 key holding '/' mixes both cases, and a key is one long run of letters and digits
    mixed (9f3c2a1b8e7d6c5b, a UUID's 9f3c2a1b-8e7d-...), so either stays a key."""
    return all(_ONE_CASE.fullmatch(segment) and (not looks_like_a_credential(segment) or _words_and_numbers(segment))
               for segment in part.split("/"))


def _words_and_numbers(segment: str) -> bool:
    """'-' or '_' joining two or more parts that each are a word with a number after it or not (gateway, prod01,
    v20240601) or a number, none of them as long as a key (attack review 67, F4)."""
    parts = re.split(r"[-_]", segment)
    return len(parts) > 1 and all(_A_WORD_OR_NUMBER.fullmatch(part) and len(part) < 16 for part in parts)


# A readable part of a name: letters, then digits or not (prod01, v20240601), or digits (2024).
_A_WORD_OR_NUMBER = re.compile(r"[A-Za-z]+[0-9]*|[0-9]+")


def quoted(value: object, show: Callable[[object], str] = repr, what: str = "the value",
           separators: re.Pattern[str] = _NOT_A_KEY) -> str:
    """A value from the spec as a refusal names it: `show(value)`, or `what` and its length only when the value, or
    one of its parts (split at `separators`: by default the '.', ':' and '?' of a URL), looks like a credential.
    The one rule for every message that quotes back what a pull request wrote (it goes into every CI log)."""
    if isinstance(value, str) and holds_a_credential(value, separators):
        return f"{what} ({len(value)} characters, not quoted back: it could be a key or token)"
    return show(value)


def redacted(text: str, secrets: Iterable[str | None]) -> str:
    """`text` with each of `secrets` replaced by *** in every form it can come back in: as itself, JSON-escaped
    (a request body echoed), percent-encoded (a query string echoed: quote or quote_plus, either case of hex),
    escaped as repr or display.visible shows it, and any of these JSON-escaped once more, mixed character by
    character. Then any run of a key's characters that holds 8 (PIECE) consecutive characters of a secret, compared
    ignoring case, or of the base64 of any text holding it (standard or url-safe, at each of the three byte offsets:
    `_base64_forms`), is masked whole: an echo truncated, split by a line break, upper- or lower-cased, or
    base64-encoded alone or inside the whole request (a split secret's pieces shorter than 8 are not told from other
    text). A run that only happens to share 8 characters with a secret is masked too: with a real AppSecret (32 hex
    characters) or a platform token a chance match is negligible, but a word-like test secret (any-secret-you-like)
    can mask ordinary words of an error (use-secret-yourself; attack review 67, F6). The one rule for the AppSecret
    and the access token; the database password: `redacted_password`."""
    known = [secret for secret in secrets if secret]  # read once: `secrets` may be a one-pass iterable
    for secret in known:
        text = re.sub(_echoes(secret), "***", text)
    pieces = frozenset(piece for secret in known for piece in _pieces(secret))
    return _KEY_RUN.sub(lambda run: "***" if _holds_a_piece(run.group(), pieces) else run.group(), text)


def redacted_password(text: str, passwords: Iterable[str]) -> str:
    """`text` with each password replaced by *** in every form `redacted` masks it in, where it stands as a word of
    its own, in any case: a whole token, `password=...`, a quoted value, next to a Chinese character; not inside a
    longer name of ASCII letters and digits (a password `postgres` leaves `database "oaspec_postgres"` as it is, so
    that the error still says what to fix; attack review 66, F6). A user or database named exactly as the password is
    hidden too (`for user "***"`): it is the password."""
    for password in passwords:
        if password:
            before = _NOT_AFTER_A_NAME if _JOINS.fullmatch(password[0]) else ""
            after = _NOT_BEFORE_A_NAME if _JOINS.fullmatch(password[-1]) else ""
            text = re.sub(before + _echoes(password) + after, "***", text, flags=re.IGNORECASE)
    return text


# What makes a password that begins or ends in an ASCII letter or digit part of a longer name: an ASCII letter or
# digit next to it, or '_' or '-' joining one (oaspec_postgres, postgres-ci). A Chinese character, a sign or a '_'
# before a space does not (attack review 67, F5: Unicode \w left 密码hunter2错误 and hunter2_ unmasked).
_JOINS = re.compile(r"[A-Za-z0-9]")
_NOT_AFTER_A_NAME = r"(?<![A-Za-z0-9])(?<![A-Za-z0-9][_-])"
_NOT_BEFORE_A_NAME = r"(?![A-Za-z0-9]|[_-][A-Za-z0-9])"


def _pieces(secret: str) -> Iterator[str]:
    for form in (secret, *_base64_forms(secret.encode("utf-8"))):
        form = form.lower()
        yield from (form[i:i + PIECE] for i in range(len(form) - PIECE + 1))


def _base64_forms(data: bytes) -> Iterator[str]:
    """What the base64 of any text holding `data` is sure to hold, for each of the three byte offsets `data` can
    start at (mod 3), standard and url-safe: the groups of 3 bytes that are `data`'s alone (attack review 67, F1: a
    gateway quoting the whole request base64-encoded put the secret at any offset, and only offset 0 was known)."""
    for pad in range(3):
        whole = (pad + len(data)) // 3  # groups made of the pad and `data` only; the last one may be followed by more
        for encode in (base64.b64encode, base64.urlsafe_b64encode):
            yield encode(bytes(pad) + data).decode()[4 if pad else 0:4 * whole]


def _holds_a_piece(run: str, pieces: frozenset[str]) -> bool:
    run = run.lower()
    return any(run[i:i + PIECE] in pieces for i in range(len(run) - PIECE + 1))


def _echoes(secret: str) -> str:
    """A pattern for every form the whole secret takes in an echo."""
    return "".join(_one_character(ch) for ch in secret)


def _one_character(ch: str) -> str:
    """A pattern for every form `ch` takes in an echo of the secret that holds it."""
    from oa_spec.util.display import visible  # the display rules load only when a secret is redacted

    forms = {ch, json.dumps(ch)[1:-1], json.dumps(ch, ensure_ascii=False)[1:-1], repr(ch)[1:-1], visible(ch)}
    if ch in "'\"":
        forms.add("\\" + ch)  # repr of a text holding both quotes
    if ch == " ":
        forms.add("+")  # quote_plus
    forms |= {json.dumps(form)[1:-1] for form in forms}  # a JSON body echoed inside JSON
    percent = "".join(f"%{byte:02x}" for byte in ch.encode("utf-8"))
    alternatives = [re.escape(form) for form in sorted(forms, key=len, reverse=True)]
    return f"(?:{'|'.join(alternatives)}|(?i:{re.escape(percent)}))"


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
