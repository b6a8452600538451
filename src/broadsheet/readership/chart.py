"""A bar chart as inline SVG, drawn on the server: no script, no third-party library."""

from django.utils.html import format_html, format_html_join


def bars(points, *, width=720, height=160, label="Reads per hour"):
    """SVG markup for [(hour start, value)], oldest first; each bar has a <title> for tooltips
    and screen readers."""
    top = max((v for _, v in points), default=0) or 1
    step = width / max(len(points), 1)
    bar_width = max(step - 2, 1)
    rects = format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}"><title>{}: {} reads</title></rect>',
        (
            (
                f"{i * step:.1f}",
                f"{height - 16 - (height - 24) * v / top:.1f}",
                f"{bar_width:.1f}",
                f"{(height - 24) * v / top:.1f}",
                f"{h:%d %b %H:00}",
                v,
            )
            for i, (h, v) in enumerate(points)
        ),
    )
    first = points[0][0].strftime("%d %b %H:00") if points else ""
    last = points[-1][0].strftime("%d %b %H:00") if points else ""
    return format_html(
        '<svg class="reads-chart" role="img" aria-label="{}" viewBox="0 0 {} {}" width="100%" preserveAspectRatio="none" '
        'xmlns="http://www.w3.org/2000/svg"><g fill="#0b4f8a">{}</g>'
        '<text x="0" y="{}" font-size="11" fill="#555">{}</text>'
        '<text x="{}" y="{}" font-size="11" fill="#555" text-anchor="end">{}</text>'
        '<text x="0" y="10" font-size="11" fill="#555">max {}</text></svg>',
        label, width, height, rects, height - 2, first, width, height - 2, last, top,
    )
