"""A drawn picture for browser tests and their screenshots (a harbour at dusk), and a way to
store uploads where the live server can serve them."""

import io

from PIL import Image, ImageDraw


def harbour_picture(size=(1200, 675)):
    """JPEG bytes: dusk sky, low sun, sea with light on it, a quay and a small ferry."""
    width, height = size
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    horizon = int(height * 0.58)
    for y in range(horizon):
        t = y / horizon
        draw.line([(0, y), (width, y)], fill=(int(40 + 200 * t), int(60 + 110 * t), int(120 + 40 * t)))
    sun = (int(width * 0.68), horizon - int(height * 0.06))
    radius = int(height * 0.09)
    draw.ellipse([sun[0] - radius, sun[1] - radius, sun[0] + radius, sun[1] + radius], fill=(255, 214, 140))
    for y in range(horizon, height):
        t = (y - horizon) / (height - horizon)
        draw.line(
            [(0, y), (width, y)],
            fill=(int(30 + 30 * (1 - t)), int(60 + 40 * (1 - t)), int(90 + 40 * (1 - t))),
        )
    for row in range(14):
        y = horizon + 6 + row * (height - horizon) // 15
        half = int(radius * (1.4 - row * 0.06))
        draw.line([(sun[0] - half, y), (sun[0] + half, y)], fill=(240, 190, 120), width=3)
    draw.rectangle([0, int(height * 0.80), int(width * 0.35), height], fill=(35, 32, 30))
    hull_y = horizon + int(height * 0.06)
    x0 = int(width * 0.22)
    draw.polygon(
        [(x0, hull_y), (x0 + 260, hull_y), (x0 + 230, hull_y + 36), (x0 + 25, hull_y + 36)], fill=(25, 25, 30)
    )
    draw.rectangle([x0 + 60, hull_y - 40, x0 + 190, hull_y], fill=(230, 230, 225))
    draw.rectangle([x0 + 110, hull_y - 75, x0 + 140, hull_y - 40], fill=(163, 22, 26))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=82)
    return out.getvalue()


def serve_uploads_from_the_live_server(settings):
    """Store uploads where the running server serves /media/ from.

    The URLconf reads MEDIA_ROOT once, when it is first imported, while each test gets its own
    MEDIA_ROOT (tests/conftest.py): point this test's uploads at the folder the server uses.
    """
    from django.urls import resolve

    settings.MEDIA_ROOT = resolve("/media/x.jpg").kwargs["document_root"]
