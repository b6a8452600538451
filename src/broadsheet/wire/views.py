"""The wire desk (staff): the queue of incoming items grouped by story, one-click republish,
outlet names to join; and the public entity pages."""

from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from broadsheet.newsroom import slots
from broadsheet.newsroom.models import Article, Section, Source
from broadsheet.newsroom.views import listing

from . import outlets, services
from .models import Entity, StoryGroup, WireItem


def desk_view(view):
    return staff_member_required(permission_required("newsroom.add_article", raise_exception=True)(view))


def _number(value):
    return int(value) if str(value or "").isdigit() else 0


def _section(request):
    return Section.objects.filter(pk=_number(request.POST.get("section"))).first()


@desk_view
def desk(request):
    source = Source.objects.filter(slug=request.GET.get("source", "")).first()
    sections = list(Section.objects.all())
    section = next((s for s in sections if s.slug == request.GET.get("section", "")), None)
    status = request.GET.get("status", WireItem.Status.NEW)
    if status not in WireItem.Status.values:
        status = WireItem.Status.NEW
    groups = services.queue(
        source=source,
        section=section,
        language=request.GET.get("language", "").strip()[:12],
        keyword=request.GET.get("q", "").strip()[:200],
        status=status,
    )
    return render(
        request,
        "wire/desk.html",
        {
            **admin.site.each_context(request),  # the back office's header: the site's name, who is signed in
            "title": "Wire desk",
            "groups": groups,
            "sources": Source.objects.filter(wire_items__isnull=False).distinct().order_by("name"),
            "sections": sections,
            "statuses": WireItem.Status.choices,
            "filters": {
                "source": source.slug if source else "",
                "section": section.slug if section else "",
                "language": request.GET.get("language", ""),
                "q": request.GET.get("q", ""),
                "status": status,
            },
        },
    )


def _draft(request, make):
    """Make a draft with make(section) and open it, or say why not on the desk."""
    section = _section(request)
    if section is None:
        messages.error(request, "Choose a section for the draft.")
        return redirect("wire:desk")
    try:
        article = make(section)
    except services.WireError as error:
        messages.error(request, str(error))
        return redirect("wire:desk")
    messages.success(request, f"Draft made: {article.headline}")
    return redirect(reverse("admin:newsroom_article_change", args=[article.pk]))


@desk_view
@require_POST
def republish(request, pk):
    item = get_object_or_404(WireItem, pk=pk)
    return _draft(request, lambda section: services.republish(item, section=section, by=request.user))


@desk_view
@require_POST
def write_from_group(request, pk):
    group = get_object_or_404(StoryGroup, pk=pk)
    return _draft(request, lambda section: services.write_from_group(group, section=section, by=request.user))


@desk_view
@require_POST
def ignore(request, pk):
    services.ignore(get_object_or_404(WireItem, pk=pk))
    return redirect("wire:desk")


@desk_view
def outlet_names(request):
    if request.method == "POST":
        keep = get_object_or_404(Source, pk=_number(request.POST.get("keep")))
        if request.POST.get("other"):
            other = get_object_or_404(Source, pk=_number(request.POST.get("other")))
            if other.pk != keep.pk:
                outlets.merge_sources(keep, other)
                messages.success(request, f"“{other.name}” is now a name of {keep.name}.")
        elif request.POST.get("alias", "").strip():
            outlets.add_alias(keep, request.POST["alias"].strip()[:200])
            messages.success(request, f"“{request.POST['alias'].strip()}” is now a name of {keep.name}.")
        return redirect("wire:outlets")
    return render(
        request,
        "wire/outlets.html",
        {**admin.site.each_context(request), "title": "Outlet names", "suggestions": outlets.suggestions()},
    )


def entity_detail(request, slug):
    entity = slots.cached_value(request, "entity", slug, lambda: Entity.objects.confirmed().filter(slug=slug).first())
    if entity is None:
        raise Http404("No such entity.")
    names = ", ".join(n for n in entity.names.values_list("name", flat=True) if n != entity.name)
    return listing(
        request,
        title=entity.name,
        description=(entity.description + (f" Also written: {names}." if names else "")).strip(),
        kind=entity.get_kind_display(),
        subject=entity,
        stories=lambda: Article.objects.published().filter(entity_mentions__entity=entity),
    )
