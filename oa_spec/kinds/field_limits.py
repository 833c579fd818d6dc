"""The platform's rules for one field's value, in one place for `validate` (config/checks.py,
config/compiled_limits.py) and for `oaspec import` (kinds/: a live value the spec could not hold is left out with
a note, or the imported spec would not validate): whether a link is http(s), and whether a value is over its
UTF-8 byte limit and which limit a field takes (the limits themselves: oa_spec/limits.py). Each caller words the
finding its own way: validate as an error at the field, import as a note on the object it leaves out."""

from __future__ import annotations

from dataclasses import dataclass

from oa_spec import limits
from oa_spec.util.urls import split_url

LINK_SCHEMES = ("http", "https")
# A leaf button's values that have a byte limit (the others, media_id, appid, pagepath, have none oaspec knows).
BUTTON_VALUE_BYTES = {"key": limits.KEY_BYTES, "url": limits.URL_BYTES}


def is_http_link(url: str) -> bool:
    """Whether `url` is a full http(s) link with a host, as a button's url must be: not javascript:, file: or data:,
    not a bare host or a path (WeChat opens a button's link as written), not https:///host (util/urls.split_url)."""
    parts = split_url(url)
    return parts is not None and parts.scheme in LINK_SCHEMES and bool(parts.netloc)


@dataclass(frozen=True)
class OverBytes:
    """A value over its byte limit: its size in UTF-8 (limits.utf8_len) and the limit."""

    size: int
    limit: int


def bytes_over(value: str, limit: int) -> OverBytes | None:
    """The value's size and limit when it is over the limit; None when it fits."""
    size = limits.utf8_len(value)
    return OverBytes(size, limit) if size > limit else None


def button_name_bytes(top: bool) -> int:
    """A button name's limit: a top-level button's, or a sub-button's."""
    return limits.TOP_NAME_BYTES if top else limits.SUB_NAME_BYTES


def keyword_bytes(match: str) -> int:
    """A keyword's limit in a rule of this match mode: a regex pattern's, or a keyword's."""
    return limits.KEYWORD_PATTERN_BYTES if match == "regex" else limits.KEYWORD_BYTES
