"""JSON answers for the API: errors, conditional GET (ETag, Last-Modified, 304) and CORS."""

import datetime
import functools
import hashlib
import json
import logging
from collections.abc import Callable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.views.decorators.csrf import csrf_exempt

from broadsheet.core import surrogates

from . import conf

ALLOWED_METHODS = "GET, HEAD, OPTIONS"
log = logging.getLogger(__name__)


class ApiError(Exception):
    """An answer other than 200: `status`, a message for the developer, the parameter at fault."""

    def __init__(self, status: int, message: str, parameter: str | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.parameter = status, message, parameter


class BadParameter(ApiError):
    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(400, message, parameter)


class NotFound(ApiError):
    def __init__(self, message: str = "Not found.") -> None:
        super().__init__(404, message)


def _body(data: Any) -> str:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))


def error_response(status: int, message: str, parameter: str | None = None) -> HttpResponse:
    error = {"status": status, "message": message}
    if parameter:
        error["parameter"] = parameter
    response = HttpResponse(_body({"error": error}), status=status, content_type="application/json")
    response["Cache-Control"] = "no-store"
    return response


def json_response(
    request: HttpRequest, data: Any, *, last_modified: datetime.datetime | None = None
) -> HttpResponseBase:
    """A 200 with ETag (and Last-Modified when given), or a 304 when the client's copy is current."""
    body = _body(data).encode()
    response = HttpResponse(body, content_type="application/json")
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    response["ETag"] = etag
    timestamp = int(last_modified.timestamp()) if last_modified else None
    if timestamp is not None:
        response["Last-Modified"] = http_date(timestamp)
    response["Cache-Control"] = f"public, max-age={conf.max_age()}"
    conditional = get_conditional_response(request, etag=etag, last_modified=timestamp, response=response)
    return conditional or response


def add_cors(request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
    origins = conf.cors_origins()
    origin = request.headers.get("Origin")
    if "*" in origins:
        response["Access-Control-Allow-Origin"] = "*"
    elif origin and origin in origins:
        response["Access-Control-Allow-Origin"] = origin
        patch_vary_headers(response, ["Origin"])
    elif origins:
        patch_vary_headers(response, ["Origin"])
    if response.has_header("Access-Control-Allow-Origin"):
        response["Access-Control-Expose-Headers"] = "ETag, Last-Modified"
    return response


def api_view(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """GET/HEAD only; OPTIONS answers a CORS preflight; errors become JSON, never an HTML page."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method == "OPTIONS":
            response: HttpResponseBase = HttpResponse(status=204)
            response["Allow"] = ALLOWED_METHODS
            response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
            response["Access-Control-Allow-Headers"] = "If-None-Match, If-Modified-Since"
            response["Access-Control-Max-Age"] = "86400"
        elif request.method not in ("GET", "HEAD"):
            response = error_response(405, f"{request.method} is not allowed here; the API is read-only.")
            response["Allow"] = ALLOWED_METHODS
        else:
            surrogates.declare(request, surrogates.API)
            try:
                response = view(request, *args, **kwargs)
            except ApiError as error:
                response = error_response(error.status, error.message, error.parameter)
            except (OperationalError, InterfaceError):
                log.exception("API: database unavailable on %s", request.get_full_path())
                response = error_response(503, "The database is unavailable; please try again shortly.")
                response["Retry-After"] = "5"
            except Exception:
                # A client of the API reads JSON, even when we failed; the operator gets the traceback.
                log.exception("API error on %s", request.get_full_path())
                response = error_response(500, "Something went wrong on our side; please try again later.")
        return add_cors(request, response)

    return csrf_exempt(wrapper)
