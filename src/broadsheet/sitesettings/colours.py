"""Colour contrast as WCAG 2.1 defines it: relative luminance and the contrast ratio."""

import re

HEX = re.compile(r"^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
AA_NORMAL_TEXT = 4.5


def parse(value):
    """(r, g, b) in 0-255 from "#abc" or "#aabbcc"; ValueError otherwise."""
    found = HEX.match((value or "").strip())
    if not found:
        raise ValueError(f"{value!r} is not a colour like #1a5fb4.")
    digits = found.group(1)
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return tuple(int(digits[i : i + 2], 16) for i in (0, 2, 4))


def luminance(rgb):
    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first, second):
    """The contrast ratio of two "#rrggbb" colours, from 1 (none) to 21 (black on white)."""
    a, b = sorted((luminance(parse(first)), luminance(parse(second))), reverse=True)
    return (a + 0.05) / (b + 0.05)
