"""Checking an uploaded SVG logo: refused (with the reason) if it holds a script, an event
handler, an external reference or anything else a picture does not need; otherwise it is
re-serialised from the parsed tree, so what is stored is exactly what was checked."""

import re
import xml.etree.ElementTree as ET

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
MAX_BYTES = 200_000
ALLOWED_ELEMENTS = {
    "svg", "g", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text", "tspan",
    "title", "desc", "defs", "lineargradient", "radialgradient", "stop", "clippath", "mask", "symbol", "use",
}
ALLOWED_ATTRIBUTES = {
    "id", "class", "viewbox", "width", "height", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry",
    "d", "points", "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-opacity",
    "stroke-linecap", "stroke-linejoin", "stroke-miterlimit", "stroke-dasharray", "opacity", "transform",
    "offset", "stop-color", "stop-opacity", "gradientunits", "gradienttransform", "clip-path", "clip-rule",
    "mask", "font-family", "font-size", "font-weight", "text-anchor", "dominant-baseline", "letter-spacing",
    "preserveaspectratio", "version", "role", "aria-label", "aria-hidden", "focusable", "href", "style",
}
UNSAFE_VALUE = re.compile(r"javascript:|data:|@import|expression\(|url\(\s*['\"]?(?!#)", re.IGNORECASE)

ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)


class UnsafeSVG(ValueError):
    """The SVG was refused; the message says why."""


def _local(name):
    return name.rsplit("}", 1)[-1].lower()


def clean(data: bytes) -> str:
    """The SVG as safe markup, or UnsafeSVG naming the first problem found."""
    if len(data) > MAX_BYTES:
        raise UnsafeSVG(f"The SVG is larger than {MAX_BYTES // 1000} kB.")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise UnsafeSVG("The SVG is not UTF-8 text.") from None
    if re.search(r"<!DOCTYPE|<!ENTITY", text, re.IGNORECASE):
        raise UnsafeSVG("The SVG declares a DOCTYPE or entities; save it without them.")
    try:
        root = ET.fromstring(text)
    except ET.ParseError as error:
        raise UnsafeSVG(f"The file is not a well-formed SVG ({error}).") from None
    if _local(root.tag) != "svg":
        raise UnsafeSVG("The file is not an SVG picture (its root element is not <svg>).")
    for element in root.iter():
        name = _local(element.tag)
        if name == "script":
            raise UnsafeSVG("The SVG contains a script (<script>); logos may not run code.")
        if name not in ALLOWED_ELEMENTS:
            raise UnsafeSVG(f"The SVG contains <{name}>, which a logo may not use (external content or code).")
        for attribute, value in list(element.attrib.items()):
            attr = _local(attribute)
            if attr.startswith("on"):
                raise UnsafeSVG(f"The SVG has an event handler ({attr}=...) on <{name}>; logos may not run code.")
            if attr not in ALLOWED_ATTRIBUTES:
                del element.attrib[attribute]
                continue
            if attr == "href" and not value.startswith("#"):
                raise UnsafeSVG(f"The SVG links to {value[:60]!r}; logos may only refer to their own parts (#id).")
            if UNSAFE_VALUE.search(value):
                raise UnsafeSVG(f"The SVG's {attr} on <{name}> refers to outside content ({value[:60]!r}).")
    return ET.tostring(root, encoding="unicode")
