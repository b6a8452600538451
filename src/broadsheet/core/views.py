"""Site-wide views: health check, the favicon browsers ask for, and friendly error pages."""

import sys
from functools import cache
from pathlib import Path

from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from . import periodic, workers

RETRY_AFTER_SECONDS = 5
API_PREFIX = "/api/"  # where urls.py mounts broadsheet.api


@never_cache
def healthz(request):
    """200 when the database answers; the task worker's heartbeat is reported beside it (a
    stopped worker does not stop the site, but mail and related updates wait), and each periodic
    job's last and next run (the last error's text for signed-in staff only)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not healthy", never a traceback
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    try:
        worker = workers.status()
    except Exception:  # the heartbeat table may not be migrated yet
        worker = {"state": "unknown"}
    try:
        jobs = periodic.status(with_errors=request.user.is_staff)
    except Exception:  # the jobs' table may not be migrated yet
        jobs = []
    return JsonResponse({"status": "ok", "database": "up", "worker": worker, "jobs": jobs})


@cache
def _favicon():
    return (Path(__file__).resolve().parent.parent / "static" / "broadsheet" / "favicon.ico").read_bytes()


def favicon(request):
    """Browsers, feed readers and bots ask for /favicon.ico whatever the page's <link> says."""
    response = HttpResponse(_favicon(), content_type="image/x-icon")
    response["Cache-Control"] = "public, max-age=86400"
    return response


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors that touch the database: this page must render when it is down.
    from django.template import loader

    database_away = isinstance(sys.exc_info()[1], OperationalError | InterfaceError)
    if request.path.startswith(API_PREFIX):
        # A failure outside the API's own views (a middleware, say): its clients still read JSON.
        status = 503 if database_away else 500
        response = JsonResponse({"error": {"status": status, "message": "The server could not answer."}})
        response.status_code = status
    elif database_away:
        # The database is away (restarting, failing over) or too busy: say so, and when to come
        # back. Django drops the broken connection as the request ends; the next one reconnects.
        response = HttpResponse(loader.get_template("503.html").render({}), status=503)
    else:
        return HttpResponse(loader.get_template("500.html").render({}), status=500)
    if database_away:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)
