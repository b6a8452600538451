"""The media library's pages and JSON endpoints (mounted under /desk/media/, staff only)."""

import json

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from . import services
from .models import Picture

PAGE_SIZE = 48
MAX_FILES = 50


def picture_json(picture):
    thumb = next(
        (r for r in sorted(picture.renditions, key=lambda r: r["width"]) if r["format"] == "webp"), None
    )
    return {
        "id": picture.pk,
        "url": picture.file.url,
        "thumb": default_storage.url(thumb["name"]) if thumb else picture.file.url,
        "width": picture.width,
        "height": picture.height,
        "title": picture.title,
        "alt": picture.alt_text,
        "caption": picture.caption,
        "credit": picture.credit,
        "focal_x": picture.focal_x,
        "focal_y": picture.focal_y,
        "renditions": len(picture.renditions),
        "uploaded_by": str(picture.uploaded_by) if picture.uploaded_by_id else "",
        "created_at": picture.created_at.isoformat(),
    }


def _require(request, permission):
    if not request.user.has_perm(permission):
        raise PermissionDenied


@require_GET
def library(request):
    _require(request, "media.view_picture")
    uploaders = get_user_model().objects.filter(
        pk__in=Picture.objects.exclude(uploaded_by=None).values("uploaded_by").distinct()
    )
    return render(
        request,
        "media/library.html",
        {
            **admin.site.each_context(request),
            "title": "Media library",
            "uploaders": uploaders,
            "can_upload": request.user.has_perm("media.add_picture"),
            "urls": {
                "pictures": reverse("desk:media:pictures"),
                "upload": reverse("desk:media:upload"),
                "edit": reverse("desk:media:edit", args=[0]),
            },
        },
    )


@require_GET
def pictures(request):
    """One page of the library, newest first: ?q= text, ?uploader= id, ?month=YYYY-MM, ?page= n."""
    _require(request, "media.view_picture")
    try:
        page = max(1, int(request.GET.get("page", 1)))
        uploader = int(request.GET.get("uploader") or 0)
        year, month = (
            (int(p) for p in request.GET["month"].split("-", 1)) if request.GET.get("month") else (0, 0)
        )
    except ValueError:
        return JsonResponse({"error": "Bad page, uploader or month."}, status=400)
    found = (
        Picture.objects.matching(request.GET.get("q", "")[:100])
        .uploaded_by_user(uploader)
        .in_month(year, month)
        .select_related("uploaded_by")
        .order_by("-created_at", "-id")
    )
    rows = list(found[(page - 1) * PAGE_SIZE : page * PAGE_SIZE + 1])
    return JsonResponse(
        {
            "results": [picture_json(p) for p in rows[:PAGE_SIZE]],
            "page": page,
            "has_next": len(rows) > PAGE_SIZE,
        }
    )


@require_POST
def upload(request):
    """One picture per request (the page sends many side by side, each with its own progress)."""
    _require(request, "media.add_picture")
    files = request.FILES.getlist("file")
    if len(files) != 1:
        return JsonResponse({"error": "Send one picture per request."}, status=400)
    try:
        picture = services.add_picture(
            files[0], title=request.POST.get("title", "")[:200], uploaded_by=request.user
        )
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    return JsonResponse({"picture": picture_json(picture)}, status=201)


@require_POST
def edit(request, pk):
    _require(request, "media.change_picture")
    picture = get_object_or_404(Picture, pk=pk)
    try:
        data = json.loads(request.body or b"{}")
        if not isinstance(data, dict):
            raise ValueError
    except ValueError:
        return JsonResponse({"error": "Send the picture's details as a JSON object."}, status=400)
    try:
        services.update_picture(
            picture,
            alt_text=str(data.get("alt", picture.alt_text)),
            caption=str(data.get("caption", picture.caption)),
            credit=str(data.get("credit", picture.credit)),
            title=str(data.get("title", picture.title)),
            focal_x=data.get("focal_x", picture.focal_x),
            focal_y=data.get("focal_y", picture.focal_y),
        )
    except ValidationError as error:
        return JsonResponse(
            {"error": "Some fields need attention.", "errors": error.message_dict}, status=400
        )
    return JsonResponse({"picture": picture_json(picture)})
