"""The desk's pages and the editor's JSON endpoints. Thin: parse, call a service, answer.

Every view here is wrapped by the admin site (staff only, two-step sign-in) in urls.py.
"""

import json

from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_GET, require_POST

from broadsheet.newsroom import slots
from broadsheet.newsroom.models import Article, Author, Section, Tag

from . import conf, services

MAX_REQUEST = 2_000_000


def _story_for(request, pk):
    article = get_object_or_404(
        Article.objects.editable_by(request.user).select_related("section", "source"), pk=pk
    )
    if not request.user.has_perm("newsroom.change_article"):
        raise PermissionDenied
    return article


def _json_body(request):
    if len(request.body) > MAX_REQUEST:
        raise ValidationError({"body": "The story is too long to save in one go."})
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        raise ValidationError({"__all__": "The editor sent something that is not JSON."}) from None
    if not isinstance(data, dict):
        raise ValidationError({"__all__": "The editor sent something that is not an object."})
    return data


@require_GET
def dashboard(request):
    return render(
        request,
        "desk/dashboard.html",
        {
            **admin.site.each_context(request),
            "title": "Desk",
            "lists": services.dashboard(request.user),
            "panels": slots.dashboard_panels(user=request.user),
            "can_add": request.user.has_perm("newsroom.add_article"),
        },
    )


@require_POST
def new_story(request):
    if not request.user.has_perm("newsroom.add_article"):
        raise PermissionDenied
    article = services.new_story(by=request.user)
    return redirect("desk:story", pk=article.pk)


@require_GET
def story(request, pk):
    article = _story_for(request, pk)
    options = {
        "sections": list(Section.objects.values_list("pk", "name")),
        "authors": list(Author.objects.values_list("pk", "name")),
        "languages": conf.LANGUAGES,
        "can_publish": request.user.has_perm("newsroom.publish_article"),
        "autosave_seconds": conf.autosave_seconds(),
        "presence_seconds": max(5, conf.presence_seconds() // 3),
        "urls": {
            "save": reverse("desk:save", args=[pk]),
            "presence": reverse("desk:presence", args=[pk]),
            "tags": reverse("desk:tags"),
            "pictures": reverse("desk:media:pictures"),
            "upload": reverse("desk:media:upload"),
            "revisions": reverse("admin:newsroom_article_revisions", args=[pk]),
            "dashboard": reverse("desk:dashboard"),
        },
    }
    return render(
        request,
        "desk/story.html",
        {
            **admin.site.each_context(request),
            "title": article.headline or "New story",
            "story": services.story_data(article),
            "options": options,
        },
    )


def _error(status, message, **extra):
    return JsonResponse({"error": message, **extra}, status=status)


@require_POST
def save(request, pk):
    # The same checks as _story_for without reading the story: save_story reads it, locked.
    if not Article.objects.editable_by(request.user).filter(pk=pk).exists():
        raise Http404("No story here.")
    if not request.user.has_perm("newsroom.change_article"):
        raise PermissionDenied
    article = Article(pk=pk)
    try:
        data = _json_body(request)
        publish_at = parse_datetime(data.get("publish_at") or "") if data.get("publish_at") else None
        if publish_at is not None and timezone.is_naive(publish_at):
            publish_at = timezone.make_aware(publish_at)
        article = services.save_story(
            article.pk,
            data.get("fields") or {},
            base_version=int(data.get("version", -1)),
            by=request.user,
            action=data.get("action") or "save",
            publish_at=publish_at,
            client=str(data.get("client") or "")[:64],
            seq=min(max(int(data.get("seq") or 0), 0), 2**62),  # a BigIntegerField holds it
        )
    except services.Conflict as conflict:
        theirs = services.story_data(conflict.article)
        diff = services.compare(theirs, data.get("fields") or {})
        return _error(409, str(conflict), theirs=theirs, diff=diff)
    except ValidationError as invalid:
        errors = invalid.message_dict if hasattr(invalid, "error_dict") else {"__all__": invalid.messages}
        return _error(400, "Some fields need attention.", errors=errors)
    except (TypeError, ValueError):
        return _error(400, "The editor sent a version that is not a number.")
    except PermissionDenied as refusal:
        return _error(403, str(refusal) or "You may not do this.")
    return JsonResponse({"story": services.saved_story_data(article)})


@require_POST
def presence(request, pk):
    article = _story_for(request, pk)
    if request.POST.get("leaving"):
        services.mark_absent(article.pk, request.user)
        return JsonResponse({"others": []})
    return JsonResponse({"others": services.mark_present(article.pk, request.user)})


@require_GET
def tags(request):
    text = request.GET.get("q", "").strip()[:60]
    names = (
        list(Tag.objects.filter(name__istartswith=text).order_by("name").values_list("name", flat=True)[:10])
        if text
        else []
    )
    return JsonResponse({"tags": names})
