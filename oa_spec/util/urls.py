"""Links written by people (spec fields, texts, API bodies): split without crashing on malformed ones."""

from __future__ import annotations

import html
import ipaddress
import re
from urllib.parse import SplitResult, urlsplit

# What a link copied from a page's source or from a template file can still carry; WeChat opens it as written.
_HTML_ENTITY = re.compile(r"&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);")
_PLACEHOLDER = re.compile(r"#\{|\{\{|\{%|<%")
# The URL standard's special schemes but file: a link with one always names a host (urlsplit lowers the scheme).
_SPECIAL_SCHEMES = frozenset({"http", "https", "ws", "wss", "ftp"})


def split_url(url: str) -> SplitResult | None:
    """urlsplit, or None for what it cannot parse (an unclosed [IPv6 address, found by fuzzing) and for
    what a browser would read otherwise. WHATWG URL parsing (WeChat's webview, browsers, urllib3):
    - reads a backslash before the query as a slash, so https://evil.example\\@m.bank.cn/ opens evil.example
      where urlsplit sees the host m.bank.cn;
    - skips any number of slashes after a special scheme (http, https, ...), or none, so https:///evil.example/,
      https:/evil.example/ and https:evil.example/ open evil.example where urlsplit sees no host at all (a
      relative link's, attack review 34). A link with such a scheme and no host is refused, whatever follows."""
    if "\\" in url.partition("#")[0].partition("?")[0]:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return None if parts.scheme in _SPECIAL_SCHEMES and not parts.hostname else parts


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


def pasted_markup(url: str) -> tuple[str, str] | None:
    """(what, fix) when a link carries markup that only made sense where it was copied from: an HTML
    character reference (`&amp;` from a page's source turns `mid=1` into a parameter `amp;mid`) or an
    unexpanded template placeholder (`#{openid}`, `{{ id }}`, `<%= id %>`)."""
    if (entity := _HTML_ENTITY.search(url)) is not None:
        return (f"has the HTML entity {entity.group()!r}, copied from a page's source: the link is opened as "
                "written, so its query parameters are not the ones meant", f"write the character itself "
                f"({entity.group()!r} is {html.unescape(entity.group())!r})")
    if (placeholder := _PLACEHOLDER.search(url)) is not None:
        return (f"has the template placeholder {placeholder.group()!r}: nothing fills it in, the link is "
                "opened as written", "put the real value in the link, or serve the page that computes it")
    return None
