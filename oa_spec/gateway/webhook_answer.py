"""What a module's webhook answered, read strictly: {"text": "..."} or {"articles": [{"title": ...}, ...]}.

The one place a webhook's answer is read. It comes from a service outside the gateway, so anything but one of
those two shapes, with every field a string the spec itself would accept there (no control, bidirectional or
invisible character: the spec's own check) within the platform's limits, and a character XML 1.0 can hold, is
refused as unusable (WebhookError): the reply's own text then answers, as for a webhook that failed. JSON
nested too deeply or holding a key twice is refused by the state's strict, bounded reader before anything walks it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from oa_spec import limits
from oa_spec.gateway.config import Article, Reply
from oa_spec.history import stored_json
from oa_spec.util.display import describe, text_problem, value_problem

ARTICLE_FIELDS = {"title": "title", "description": "description", "url": "url", "picurl": "pic_url",
                  "pic_url": "pic_url"}  # the platform's name, and the field's name here (answered before)
# Not a Char of XML 1.0 (§2.2), CDATA included: a reply holding one is not XML the platform can read. The spec's
# own check (text_problem) refuses all of these but the noncharacters U+FFFE and U+FFFF, which YAML refuses.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
Check = Callable[[str], str | None]


def _xml_problem(text: str) -> str | None:
    found = _NOT_XML.search(text)
    if found is None:
        return None
    return f"contains {describe(found.group())} at character {found.start() + 1}, a character XML does not allow"


def _chars(limit: int) -> Check:
    return lambda text: f"is over {limit} characters" if len(text) > limit else None


def _bytes(limit: int) -> Check:
    return lambda text: f"is over {limit} bytes (UTF-8)" if limits.utf8_len(text) > limit else None


# What the spec refuses in each field (its own checks), what XML cannot hold, and the platform's limits.
_CHECKS: dict[str, tuple[Check, ...]] = {
    "text": (text_problem, _xml_problem, _bytes(limits.REPLY_TEXT_BYTES)),
    "title": (text_problem, _xml_problem, _chars(limits.ARTICLE_TITLE_MAX_CHARS)),
    "description": (text_problem, _xml_problem, _chars(limits.ARTICLE_DIGEST_MAX_CHARS)),
    "url": (value_problem, _bytes(limits.URL_BYTES)),
    "picurl": (value_problem, _bytes(limits.URL_BYTES)),
    "pic_url": (value_problem, _bytes(limits.URL_BYTES)),
}


class UnusableAnswer(ValueError):
    """Why a webhook's answer cannot be a reply; names the field, never its content."""


def read_answer(raw: bytes) -> Reply:
    """The reply `raw` (the answer's body) holds; UnusableAnswer saying why when refused."""
    try:
        data = stored_json.parse(raw.decode("utf-8"))
    except ValueError as exc:  # not UTF-8, not JSON, a key twice, nested too deeply
        raise UnusableAnswer(f"not a JSON object ({_reason(exc)})") from None
    if not isinstance(data, dict) or len(data) != 1 or not ({"text", "articles"} & data.keys()):
        raise UnusableAnswer('not {"text": ...} or {"articles": [...]}')
    if "text" in data:
        return Reply(text=_string(data["text"], "text", "text", required=True))
    items = data["articles"]
    if not isinstance(items, list) or not items:
        raise UnusableAnswer("articles is not a non-empty list")
    return Reply(articles=tuple(_article(item, f"articles[{n}]") for n, item in enumerate(items)))


def _article(item: Any, where: str) -> Article:
    if not isinstance(item, dict):
        raise UnusableAnswer(f"{where} is not an object")
    if set(item) - set(ARTICLE_FIELDS):
        raise UnusableAnswer(f"{where} has a field that is not one of {', '.join(sorted(ARTICLE_FIELDS))}")
    fields = {ARTICLE_FIELDS[key]: _string(value, key, f"{where}.{key}", required=key == "title")
              for key, value in item.items()}
    if "title" not in fields or len(fields) != len(item):  # picurl and pic_url both
        raise UnusableAnswer(f"{where} needs one title and each field once")
    return Article(**fields)


def _string(value: Any, field: str, where: str, required: bool = False) -> str:
    """`value`, a string the spec would accept in `field` and a reply can carry; refused naming `where`."""
    if not isinstance(value, str):
        raise UnusableAnswer(f"{where} is not a string")
    if required and not value:
        raise UnusableAnswer(f"{where} is empty")
    for check in _CHECKS[field]:
        problem = check(value)
        if problem:
            raise UnusableAnswer(f"{where} {problem}")
    return value


def _reason(exc: ValueError) -> str:
    """The parser's reason, naming no key or text of the answer (the service may echo the follower's)."""
    if not isinstance(exc, stored_json.StoredJsonError):
        return type(exc).__name__
    return "nested too deeply" if "nested too deeply" in str(exc) else "a key twice"
