"""Links written by people (spec fields, texts, API bodies): split without crashing on malformed ones."""

from __future__ import annotations

import ipaddress
from urllib.parse import SplitResult, urlsplit


def split_url(url: str) -> SplitResult | None:
    """urlsplit, or None for what it cannot parse (an unclosed [IPv6 address, found by fuzzing)."""
    try:
        return urlsplit(url)
    except ValueError:
        return None


def is_loopback(host: str | None) -> bool:
    """localhost, 127.0.0.0/8 or ::1: a host on this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host or "").is_loopback
    except ValueError:
        return False


def url_host(url: str) -> str:
    """The link's host in lower case; "" when it has none or cannot be parsed."""
    parts = split_url(url)
    return (parts.hostname or "").lower() if parts is not None else ""
