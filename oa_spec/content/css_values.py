"""CSS values as a browser reads them, for content/visibility.py: lengths in CSS pixels and colours as RGBA.

Each parser returns None for what it does not understand (calc(), var(), env(), min(), an unknown unit
or colour function): the caller must then treat the value as hiding, since a value nobody checked is a
value that may hide. Sizes relative to the font or the screen are judged on a phone: a 16 px font and a
375 x 667 px viewport.
"""

from __future__ import annotations

import math
import re
from typing import NamedTuple

FONT_PX = 16.0
VIEWPORT_WIDTH_PX, VIEWPORT_HEIGHT_PX = 375.0, 667.0
EDGE_SLACK_PX = 0.5  # what rounding may leave past an edge
BORDER_WIDTH_KEYWORDS = {"thin": 1.0, "medium": 3.0, "thick": 5.0}  # a border width's keywords, in px
GLOBAL_KEYWORDS = frozenset({"inherit", "initial", "unset", "revert", "revert-layer"})

# CSS numbers may have an exponent (1e-9). Written so that digits split only one way: no backtracking.
_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?"
_DIMENSION = re.compile(rf"({_NUMBER})([a-z]+|%)?")
_ABSOLUTE = {"px": 1.0, "in": 96.0, "cm": 96 / 2.54, "mm": 96 / 25.4, "q": 96 / 101.6, "pt": 96 / 72, "pc": 16.0}
# Font-relative units, and the root-relative r- forms: em, ex (x-height), ch (width of 0), ic (a CJK
# ideograph), cap (cap height), lh (line height).
_FONT = {"em": 1.0, "ex": 0.5, "ch": 0.5, "ic": 1.0, "cap": 0.7, "lh": 1.2}
_FONT_RELATIVE = {**{u: s * FONT_PX for u, s in _FONT.items()}, **{"r" + u: s * FONT_PX for u, s in _FONT.items()}}
_VIEWPORT = {f"{size}{axis}": px / 100 for size in ("", "s", "l", "d")
             for axis, px in (("vw", VIEWPORT_WIDTH_PX), ("vi", VIEWPORT_WIDTH_PX), ("vmin", VIEWPORT_WIDTH_PX),
                              ("vh", VIEWPORT_HEIGHT_PX), ("vb", VIEWPORT_HEIGHT_PX), ("vmax", VIEWPORT_HEIGHT_PX))}
UNITS_PX = {**_ABSOLUTE, **_FONT_RELATIVE, **_VIEWPORT}
_FONT_KEYWORDS = {"xx-small": 9.0, "x-small": 10.0, "small": 13.0, "medium": 16.0, "large": 18.0, "x-large": 24.0,
                  "xx-large": 32.0, "xxx-large": 48.0}

# CSS Color 4 named colours, as data: name, then its #rrggbb.
_NAMED_TABLE = """
aliceblue f0f8ff antiquewhite faebd7 aqua 00ffff aquamarine 7fffd4 azure f0ffff beige f5f5dc bisque ffe4c4
black 000000 blanchedalmond ffebcd blue 0000ff blueviolet 8a2be2 brown a52a2a burlywood deb887 cadetblue 5f9ea0
chartreuse 7fff00 chocolate d2691e coral ff7f50 cornflowerblue 6495ed cornsilk fff8dc crimson dc143c cyan 00ffff
darkblue 00008b darkcyan 008b8b darkgoldenrod b8860b darkgray a9a9a9 darkgreen 006400 darkgrey a9a9a9
darkkhaki bdb76b darkmagenta 8b008b darkolivegreen 556b2f darkorange ff8c00 darkorchid 9932cc darkred 8b0000
darksalmon e9967a darkseagreen 8fbc8f darkslateblue 483d8b darkslategray 2f4f4f darkslategrey 2f4f4f
darkturquoise 00ced1 darkviolet 9400d3 deeppink ff1493 deepskyblue 00bfff dimgray 696969 dimgrey 696969
dodgerblue 1e90ff firebrick b22222 floralwhite fffaf0 forestgreen 228b22 fuchsia ff00ff gainsboro dcdcdc
ghostwhite f8f8ff gold ffd700 goldenrod daa520 gray 808080 green 008000 greenyellow adff2f grey 808080
honeydew f0fff0 hotpink ff69b4 indianred cd5c5c indigo 4b0082 ivory fffff0 khaki f0e68c lavender e6e6fa
lavenderblush fff0f5 lawngreen 7cfc00 lemonchiffon fffacd lightblue add8e6 lightcoral f08080 lightcyan e0ffff
lightgoldenrodyellow fafad2 lightgray d3d3d3 lightgreen 90ee90 lightgrey d3d3d3 lightpink ffb6c1
lightsalmon ffa07a lightseagreen 20b2aa lightskyblue 87cefa lightslategray 778899 lightslategrey 778899
lightsteelblue b0c4de lightyellow ffffe0 lime 00ff00 limegreen 32cd32 linen faf0e6 magenta ff00ff maroon 800000
mediumaquamarine 66cdaa mediumblue 0000cd mediumorchid ba55d3 mediumpurple 9370db mediumseagreen 3cb371
mediumslateblue 7b68ee mediumspringgreen 00fa9a mediumturquoise 48d1cc mediumvioletred c71585
midnightblue 191970 mintcream f5fffa mistyrose ffe4e1 moccasin ffe4b5 navajowhite ffdead navy 000080
oldlace fdf5e6 olive 808000 olivedrab 6b8e23 orange ffa500 orangered ff4500 orchid da70d6 palegoldenrod eee8aa
palegreen 98fb98 paleturquoise afeeee palevioletred db7093 papayawhip ffefd5 peachpuff ffdab9 peru cd853f
pink ffc0cb plum dda0dd powderblue b0e0e6 purple 800080 rebeccapurple 663399 red ff0000 rosybrown bc8f8f
royalblue 4169e1 saddlebrown 8b4513 salmon fa8072 sandybrown f4a460 seagreen 2e8b57 seashell fff5ee
sienna a0522d silver c0c0c0 skyblue 87ceeb slateblue 6a5acd slategray 708090 slategrey 708090 snow fffafa
springgreen 00ff7f steelblue 4682b4 tan d2b48c teal 008080 thistle d8bfd8 tomato ff6347 turquoise 40e0d0
violet ee82ee wheat f5deb3 white ffffff whitesmoke f5f5f5 yellow ffff00 yellowgreen 9acd32
"""
_NAMES_AND_HEX = _NAMED_TABLE.split()
NAMED_COLOURS = dict(zip(_NAMES_AND_HEX[::2], _NAMES_AND_HEX[1::2], strict=True))
_HEX = re.compile(r"#([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})")
_FUNCTION = re.compile(r"^([a-z]+)\((.*)\)$", re.DOTALL)  # (fullmatch; the ^ tells tests/hostile it is tried once)
_ANGLE_DEGREES = {"": 1.0, "deg": 1.0, "grad": 0.9, "rad": 180 / math.pi, "turn": 360.0}


class Rgba(NamedTuple):
    red: float  # channels 0-1, sRGB
    green: float
    blue: float
    alpha: float  # 0 transparent, 1 opaque

    def over(self, below: Rgba) -> Rgba:
        """This colour painted over an opaque `below`: what the reader's eye gets."""
        a, b = self.alpha, 1 - self.alpha
        return Rgba(a * self.red + b * below.red, a * self.green + b * below.green, a * self.blue + b * below.blue, 1.0)


WHITE = Rgba(1.0, 1.0, 1.0, 1.0)
TRANSPARENT = Rgba(0.0, 0.0, 0.0, 0.0)


_ESCAPE = re.compile(r"\\(?:([0-9a-fA-F]{1,6})[ \t\n\r\f]?|(.)|$)", re.DOTALL)


def unescape(text: str) -> str:
    """CSS escapes as a browser reads them: `\\74` and `\\000074 ` are t, `\\e` followed by no hex digit is e (CSS
    Syntax §4.3.7); a code point a browser replaces (0, a surrogate, past U+10FFFF) is U+FFFD."""
    def one(found: re.Match[str]) -> str:
        digits, other = found.groups()
        if digits is None:
            return "\ufffd" if other is None else other
        code = int(digits, 16)
        return "\ufffd" if code == 0 or 0xD800 <= code <= 0xDFFF or code > 0x10FFFF else chr(code)
    return _ESCAPE.sub(one, text)


def number(text: str) -> float | None:
    """A plain CSS number (no unit), or None."""
    found = re.fullmatch(_NUMBER, text)
    return float(found.group()) if found else None


def length_px(text: str, percent_of: float) -> float | None:
    """A length in CSS pixels, or None. A percentage is of `percent_of` px; a bare number is pixels (as in
    the quirks mode old editors render in); anything else (calc(), var(), an unknown unit) is None."""
    found = _DIMENSION.fullmatch(text)
    if found is None:
        return None
    value, unit = float(found.group(1)), found.group(2) or "px"
    if not math.isfinite(value):
        return None
    if unit == "%":
        return value * percent_of / 100
    scale = UNITS_PX.get(unit)
    return None if scale is None else value * scale


def font_size_px(text: str, parent_px: float) -> float | None:
    """A font-size in CSS pixels, inside a parent whose font is `parent_px`: em, %, ex, ch, smaller and the
    like scale the parent's, so nested 0.6em spans shrink to nothing. None for what this does not read."""
    if text in _FONT_KEYWORDS:
        return _FONT_KEYWORDS[text]
    if text in ("smaller", "larger"):
        return parent_px / 1.2 if text == "smaller" else parent_px * 1.2
    if text in GLOBAL_KEYWORDS or text == "math":
        return FONT_PX if text == "initial" else parent_px
    found = _DIMENSION.fullmatch(text)
    if found is not None and found.group(2) in _FONT:
        value = float(found.group(1)) * _FONT[found.group(2)] * parent_px
        return value if math.isfinite(value) else None
    return length_px(text, parent_px)


def colour(text: str) -> Rgba | None:
    """A colour as RGBA, or None for what this cannot read (lab(), color-mix(), system colours, var())."""
    if text == "transparent":
        return TRANSPARENT
    if text in NAMED_COLOURS:
        return _hex(NAMED_COLOURS[text])
    if (hex_match := _HEX.fullmatch(text)) is not None:
        return _hex(hex_match.group(1))
    function = _FUNCTION.fullmatch(text)
    if function is None:
        return None
    name, args = function.group(1), _arguments(function.group(2))
    if args is None or len(args) not in (3, 4):
        return None
    alpha = _fraction(args[3], 1.0) if len(args) == 4 else 1.0
    if alpha is None:
        return None
    channels: tuple[float, float, float] | None
    if name in ("rgb", "rgba"):
        red, green, blue = (_fraction(arg, 255.0) for arg in args[:3])
        channels = None if red is None or green is None or blue is None else (red, green, blue)
    elif name in ("hsl", "hsla", "hwb"):
        hue, first, second = _angle(args[0]), _fraction(args[1], 100.0), _fraction(args[2], 100.0)
        if hue is None or first is None or second is None:
            return None
        channels = _hsl(hue, first, second) if name != "hwb" else _hwb(hue, first, second)
    else:
        return None
    return None if channels is None else Rgba(*channels, alpha)


def contrast(text: Rgba, background: Rgba) -> float:
    """WCAG 2 contrast ratio, 1 (invisible) to 21 (black on white), of text painted on an opaque background."""
    lighter, darker = sorted((_luminance(text.over(background)), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _hex(digits: str) -> Rgba:
    if len(digits) in (3, 4):
        digits = "".join(c * 2 for c in digits)
    values = [int(digits[i:i + 2], 16) / 255 for i in range(0, len(digits), 2)]
    return Rgba(values[0], values[1], values[2], values[3] if len(values) == 4 else 1.0)


def _arguments(inside: str) -> list[str] | None:
    """rgb(1, 2, 3, .5) and rgb(1 2 3 / 50%) alike: the components, alpha last."""
    colour_part, slash, alpha = inside.partition("/")
    parts = colour_part.replace(",", " ").split()
    if slash:
        if "," in inside or len(alpha.split()) != 1:
            return None
        parts.append(alpha.strip())
    return parts


def _fraction(text: str, full: float) -> float | None:
    """A component 0-1: a percentage, or a number out of `full` (`none` is 0), clamped as browsers do."""
    if text == "none":
        return 0.0
    plain = number(text[:-1] if text.endswith("%") else text)
    value = None if plain is None else plain / (100.0 if text.endswith("%") else full)
    return None if value is None or not math.isfinite(value) else min(max(value, 0.0), 1.0)


def _angle(text: str) -> float | None:
    found = _DIMENSION.fullmatch(text)
    if text == "none":
        return 0.0
    if found is None or (found.group(2) or "") not in _ANGLE_DEGREES or not math.isfinite(float(found.group(1))):
        return None
    return (float(found.group(1)) * _ANGLE_DEGREES[found.group(2) or ""]) % 360


def _hsl(hue: float, saturation: float, lightness: float) -> tuple[float, float, float]:
    def channel(n: int) -> float:
        k = (n + hue / 30) % 12
        return lightness - saturation * min(lightness, 1 - lightness) * max(-1.0, min(k - 3, 9 - k, 1.0))

    return channel(0), channel(8), channel(4)


def _hwb(hue: float, whiteness: float, blackness: float) -> tuple[float, float, float]:
    if whiteness + blackness >= 1:
        grey = whiteness / (whiteness + blackness)
        return grey, grey, grey
    red, green, blue = _hsl(hue, 1.0, 0.5)
    keep = 1 - whiteness - blackness
    return red * keep + whiteness, green * keep + whiteness, blue * keep + whiteness


def _luminance(rgb: Rgba) -> float:
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(rgb.red) + 0.7152 * linear(rgb.green) + 0.0722 * linear(rgb.blue)
