"""The links in a text a follower can open: one reading for validate, plan, a rollback's re-check and scan
(attack review 69, F4).

WeChat opens, in a text message:
- a link written out, `https://…` (and `https:evil.example`, which a browser opens at evil.example);
- an `<a href="…">` link, whose value is entity-decoded (`HTTPS:&#47;&#47;evil.example`) and may be
  protocol-relative (`//evil.example/x`);
- a bare host it turns into a link, `www.bank.cn` or `bank-wealth.cn/vip` (opened over http);
- a mini-program link, `<a data-miniprogram-appid="wx…" data-miniprogram-path="…">`.
Ordinary text stays text: 3.5%, 版本1.2, an e-mail address, a file name without a path.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from oa_spec.util import precompiled

_STOP = r"[^\s，。；、“”\"'<>）)]"  # what ends a link written in a text
# A scheme followed by what a browser reads as the host (slashes, backslashes, or the host itself).
URL_IN_TEXT = precompiled.compile(r"https?:(?=[/\\A-Za-z0-9\[])" + _STOP + "+", re.IGNORECASE)
_VALUE = r"\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'>]+))"
HREF = precompiled.compile(r"(?<![\w-])href" + _VALUE, re.IGNORECASE)
MINIPROGRAM = precompiled.compile(r"(?<![\w-])data-miniprogram-appid" + _VALUE, re.IGNORECASE)
# A host with no scheme: www.… (any ending), or a dotted name ending in letters and followed by a path. The
# lookbehind keeps an e-mail's domain and the inside of a longer name or link out.
BARE_HOST = precompiled.compile(
    r"(?<![A-Za-z0-9_.@/\\-])(?:www\.(?:[A-Za-z0-9-]{1,63}\.){0,8}[A-Za-z]{2,24}(?![A-Za-z0-9-])(?:[/?#]"
    + _STOP + r"*)?|(?:[A-Za-z0-9-]{1,63}\.){1,8}[A-Za-z]{2,24}[/?]" + _STOP + "*)", re.IGNORECASE)


@dataclass(frozen=True)
class TextLinks:
    """What a text opens: links as the phone opens them, and the mini-programs' appids."""

    urls: tuple[str, ...]
    appids: tuple[str, ...]


def links_in(text: str) -> TextLinks:
    """Every link and mini-program in `text`, each once, in the order written."""
    taken: list[tuple[int, int]] = []
    urls: list[str] = []
    for found in HREF.finditer(text):
        taken.append(found.span())
        urls.append(_attribute(found))
    for found in URL_IN_TEXT.finditer(text):
        if not _overlaps(found.span(), taken):
            taken.append(found.span())
            urls.append(found.group(0))
    for found in BARE_HOST.finditer(text):
        if not _overlaps(found.span(), taken):
            urls.append("http://" + found.group(0))  # WeChat opens a bare host over http
    appids = [_attribute(found) for found in MINIPROGRAM.finditer(text)]
    return TextLinks(tuple(dict.fromkeys(u for u in urls if u)), tuple(dict.fromkeys(a for a in appids if a)))


def _attribute(found: re.Match[str]) -> str:
    """An attribute's value as the client reads it: entities decoded, surrounding space dropped."""
    value = next((group for group in found.groups() if group is not None), "")
    return html.unescape(value).strip()


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(start < span[1] and span[0] < end for start, end in taken)
