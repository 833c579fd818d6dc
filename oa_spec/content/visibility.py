"""Inline styles that hide text from an article's readers.

The editor keeps inline styles (content/render.py KEPT_STYLE_PROPERTIES), so a paragraph can be in the
draft, in the policy engine's text and in the reviewer's diff, and still never be seen: `display:none`, a
zero or tiny font, a zero box, white or transparent text on the white page, text pushed off the screen.
A required statement hidden that way is not made, so `validate` refuses such styles in an article's raw
HTML, and the plan's body diff marks the text of an element whose style hides it.
"""

from __future__ import annotations

import html
import re

_LENGTH = re.compile(r"^([+-]?(?:\d+\.?\d*|\.\d+))\s*(px|pt|em|rem|%|vw|vh|)$")
_HEX = re.compile(r"^#([0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$")
_RGB = re.compile(r"^rgba?\(\s*([\d.]+)%?\s*[, ]\s*([\d.]+)%?\s*[, ]\s*([\d.]+)%?\s*(?:[,/]\s*([\d.]+)(%?)\s*)?\)$")
_NAMED_LIGHT = {"white": 1.0, "snow": 0.99, "ivory": 0.99, "ghostwhite": 0.97, "whitesmoke": 0.96,
                "floralwhite": 0.98, "mintcream": 0.98, "azure": 0.98, "seashell": 0.97, "honeydew": 0.97}
_BOXES = ("height", "max-height", "width", "max-width", "line-height")
_OFFSETS = ("text-indent", "margin", "margin-left", "margin-top", "letter-spacing")
PAGE_LUMINANCE = 0.92  # text at least this light, on no background of its own, vanishes into the white page


def hidden_by(style: str) -> str | None:
    """The declaration in `style` (an attribute's value) that hides its element's text, or None."""
    text = _without_comments(html.unescape(style)).lower()
    if "\\" in text:  # a CSS escape (\64 isplay) spells a property no reviewer reads
        return "a CSS escape in a style"
    declarations = {name.strip(): value.strip().removesuffix("!important").strip()
                    for name, _, value in (part.partition(":") for part in text.split(";")) if value.strip()}
    for name, value in declarations.items():
        opacity = _number(value) if name == "opacity" else None
        if (name, value) in (("display", "none"), ("visibility", "hidden"), ("visibility", "collapse")) or (
                opacity is not None and opacity < 0.2):
            return f"{name}:{value}"
        size = _pixels(value)
        if size is None:
            continue
        if (name == "font-size" and size < 8) or (name in _BOXES and size < 1) or (name in _OFFSETS and size < -200):
            return f"{name}:{value}"
    colour = declarations.get("color")
    if colour is not None:
        background = declarations.get("background-color") or declarations.get("background")
        light, behind = _luminance(colour), None if background is None else _luminance(background)
        if colour == "transparent":
            return f"color:{colour}"
        if behind is not None and light is not None:
            if abs(light - behind) < 0.08:
                return f"color:{colour} on background {background}"
        elif background is None and light is not None and light >= PAGE_LUMINANCE:
            return f"color:{colour}"
    return None


def _without_comments(style: str) -> str:
    """The style without its /* comments */ (dis/**/play is display); an unclosed one runs to the end."""
    kept, at = [], 0
    while (start := style.find("/*", at)) >= 0:
        kept.append(style[at:start])
        end = style.find("*/", start + 2)
        at = len(style) if end < 0 else end + 2
    return "".join([*kept, style[at:]])


def _number(value: str) -> float | None:
    try:
        return float(value)
    except ValueError:
        return None


def _pixels(value: str) -> float | None:
    """A length in CSS pixels (16 to an em, 1.33 to a point; a percentage of a 16px font), or None."""
    found = _LENGTH.match(value.split()[0]) if value else None
    if found is None:
        return None
    number, unit = float(found.group(1)), found.group(2)
    scale = {"": 1.0, "px": 1.0, "pt": 4 / 3, "em": 16.0, "rem": 16.0, "%": 0.16, "vw": 3.75, "vh": 6.67}[unit]
    return number * scale


def _alpha(colour: str) -> float | None:
    found = _RGB.match(colour)
    if found is None or found.group(4) is None:
        return None
    return float(found.group(4)) / (100 if found.group(5) else 1)


def _luminance(colour: str) -> float | None:
    """Relative lightness, 0 (black) to 1 (white); None for what this does not parse."""
    if colour in _NAMED_LIGHT:
        return _NAMED_LIGHT[colour]
    hex_match, rgb_match = _HEX.match(colour), _RGB.match(colour)
    if hex_match:
        digits = hex_match.group(1)
        digits = "".join(c * 2 for c in digits) if len(digits) == 3 else digits[:6]
        channels = [int(digits[i:i + 2], 16) / 255 for i in (0, 2, 4)]
        if len(hex_match.group(1)) == 8 and int(hex_match.group(1)[6:], 16) < 40:
            return 1.0  # nearly transparent: the page shows through
    elif rgb_match:
        channels = [min(float(rgb_match.group(i)), 255) / 255 for i in (1, 2, 3)]
        alpha = _alpha(colour)
        if alpha is not None and alpha < 0.2:
            return 1.0
    else:
        return None
    red, green, blue = channels
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue
