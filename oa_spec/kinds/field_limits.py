"""The platform's rules for one field's value, in one place for `validate` (config/compiled_limits.py) and for
`oaspec import` (kinds/: a live value the spec could not hold is left out with a note, or the imported spec would
not validate)."""

from __future__ import annotations

from oa_spec.util.urls import split_url

LINK_SCHEMES = ("http", "https")


def is_http_link(url: str) -> bool:
    """Whether `url` is a full http(s) link with a host, as a button's url must be: not javascript:, file: or data:,
    not a bare host or a path (WeChat opens a button's link as written), not https:///host (util/urls.split_url)."""
    parts = split_url(url)
    return parts is not None and parts.scheme in LINK_SCHEMES and bool(parts.netloc)
