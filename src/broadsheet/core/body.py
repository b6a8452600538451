"""The story body vocabulary (docs/body-format.md) as a sanitiser: whatever HTML comes in, only
these tags, attributes and classes are kept."""

import nh3

BODY_TAGS = {
    "p", "a", "strong", "em", "s", "code", "br", "h2", "h3", "h4", "ul", "ol", "li", "blockquote",
    "cite", "table", "thead", "tbody", "tr", "th", "td", "hr", "figure", "img", "figcaption", "small",
}  # fmt: skip
BODY_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height", "data-picture-id"},
    "figure": {"data-embed-provider", "data-embed-url"},
    "ol": {"start"},
    "th": {"scope"},
}
BODY_CLASSES = {"figure": {"picture", "gallery", "embed"}, "blockquote": {"pullquote"}, "small": {"credit"}}


def sanitise_body(html: str) -> str:
    """Only the body vocabulary survives: scripts, styles, handlers and unknown tags go."""
    return nh3.clean(
        html or "",
        tags=BODY_TAGS,
        attributes=BODY_ATTRIBUTES,
        allowed_classes=BODY_CLASSES,
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
        strip_comments=True,
    )
