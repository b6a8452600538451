"""The OpenAPI 3.1 description of the content API, written out by hand from the code beside it."""

import functools
from typing import Any

from django.conf import settings

from . import conf

SLUG = {"type": "string", "pattern": "^[-a-zA-Z0-9_]{1,140}$"}
URL = {"type": "string", "format": "uri"}
NULLABLE_URL = {"type": ["string", "null"], "format": "uri"}
DATETIME = {"type": "string", "format": "date-time"}


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


def _object(properties: dict[str, Any], *, required: list[str] | None = None) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else required,
        "additionalProperties": False,
    }


def _page_of(name: str) -> dict[str, Any]:
    return _object(
        {
            "results": {"type": "array", "items": _ref(name)},
            "next": {**NULLABLE_URL, "description": "The next page, or null on the last one."},
        }
    )


NAMED = {"slug": SLUG, "name": {"type": "string"}, "url": URL}

SCHEMAS = {
    "Named": _object(NAMED),
    "Section": _object({**NAMED, "description": {"type": "string"}}),
    "Tag": _object(NAMED),
    "Source": _object(
        {
            **NAMED,
            "homepage": NULLABLE_URL,
            "country": {"type": ["string", "null"]},
            "language": {"type": ["string", "null"]},
        }
    ),
    "Author": _object(
        {**NAMED, "bio": {"type": "string"}, "photo": NULLABLE_URL, "is_guest": {"type": "boolean"}}
    ),
    "Image": _object(
        {"url": URL, "caption": {"type": "string"}, "credit": {"type": "string"}, "alt": {"type": "string"}}
    ),
    "Highlight": _object(
        {
            "headline_html": {
                "type": "string",
                "description": "The headline, HTML-escaped, matches in <mark>.",
            },
            "snippet_html": {"type": "string", "description": "A passage, HTML-escaped, matches in <mark>."},
            "score": {"type": "number", "description": "Relevance; higher is better. Only for ordering."},
        }
    ),
    "Article": _object(
        {
            "id": {"type": "integer"},
            "external_id": {"type": ["string", "null"]},
            "url": {**URL, "description": "The story's page on the site."},
            "api_url": URL,
            "headline": {"type": "string"},
            "summary": {"type": "string"},
            "section": _ref("Named"),
            "source": {
                "oneOf": [_ref("Named"), {"type": "null"}],
                "description": "The outlet, if republished.",
            },
            "source_url": NULLABLE_URL,
            "authors": {"type": "array", "items": _ref("Named")},
            "tags": {"type": "array", "items": _ref("Tag")},
            "language": {"type": "string"},
            "published_at": DATETIME,
            "updated_at": DATETIME,
            "image": {"oneOf": [_ref("Image"), {"type": "null"}]},
            "highlight": {
                "oneOf": [_ref("Highlight"), {"type": "null"}],
                "description": "Present when searching with `q`, else null.",
            },
        }
    ),
    "Related": _object(
        {
            "id": {"type": "integer"},
            "external_id": {"type": ["string", "null"]},
            "headline": {"type": "string"},
            "url": URL,
        }
    ),
    "Correction": _object(
        {
            "kind": {"type": "string", "enum": ["correction", "update", "clarification"]},
            "text": {"type": "string"},
            "created_at": DATETIME,
        }
    ),
    "Comment": _object(
        {
            "id": {"type": "integer"},
            "parent_id": {"type": ["integer", "null"], "description": "The comment this one replies to."},
            "author_name": {"type": "string"},
            "author_url": NULLABLE_URL,
            "body_html": {"type": "string", "description": "Sanitised HTML."},
            "created_at": DATETIME,
        }
    ),
    "Error": _object(
        {
            "error": _object(
                {
                    "status": {"type": "integer"},
                    "message": {"type": "string"},
                    "parameter": {"type": "string", "description": "The query parameter at fault."},
                },
                required=["status", "message"],
            )
        }
    ),
    "Index": {"type": "object", "additionalProperties": URL},
}

_article_detail = {**SCHEMAS["Article"]["properties"]}
del _article_detail["highlight"]
_article_detail.update(
    {
        "body_html": {"type": "string", "description": "The story's body as sanitised HTML."},
        "corrections": {"type": "array", "items": _ref("Correction")},
        "comments_open": {"type": "boolean"},
        "comments_url": URL,
        "related": {
            "type": "array",
            "items": _ref("Related"),
            "description": "Related stories, best first (at most 5).",
        },
        "provenance": _object(
            {
                "source": {
                    "oneOf": [_ref("NameAndUrl"), {"type": "null"}],
                    "description": "The outlet we republish from.",
                },
                "cited": {
                    "type": "array",
                    "items": _ref("NameAndUrl"),
                    "description": "Outlets the story cites as reporting, by their canonical names.",
                },
            }
        ),
        "entities": {
            "type": "array",
            "items": _object({"name": {"type": "string"}, "kind": {"type": "string"}, "url": URL}),
            "description": "People, places and organisations the story names, spellings merged.",
        },
    }
)
SCHEMAS["NameAndUrl"] = _object({"name": {"type": "string"}, "url": URL})
SCHEMAS["ArticleDetail"] = _object(_article_detail)
for _name in ("Article", "Section", "Tag", "Source", "Author", "Comment"):
    SCHEMAS[f"{_name}Page"] = _page_of(_name)

HEADERS = {
    "ETag": {"description": "Send it back in If-None-Match to get a 304.", "schema": {"type": "string"}},
    "Last-Modified": {
        "description": "Newest change among the stories shown; send it back in If-Modified-Since.",
        "schema": {"type": "string"},
    },
    "Access-Control-Allow-Origin": {
        "description": "CORS: `*` or the caller's origin, per BROADSHEET_API_CORS_ORIGINS.",
        "schema": {"type": "string"},
    },
}


def _parameter(
    name: str, schema: dict[str, Any], description: str, location: str = "query"
) -> dict[str, Any]:
    return {
        "name": name,
        "in": location,
        "required": location == "path",
        "schema": schema,
        "description": description,
    }


CONDITIONAL = [
    _parameter("If-None-Match", {"type": "string"}, "An ETag from an earlier answer.", "header"),
    _parameter("If-Modified-Since", {"type": "string"}, "An HTTP date from Last-Modified.", "header"),
]
CONDITIONAL[0]["required"] = CONDITIONAL[1]["required"] = False
PAGE_SIZE = _parameter(
    "page_size",
    {"type": "integer", "minimum": 1, "maximum": 100, "default": 20},
    "Items per page (BROADSHEET_API_MAX_PAGE_SIZE is the limit).",
)
PAGE = _parameter("page", {"type": "integer", "minimum": 1, "maximum": 100000, "default": 1}, "Page number.")
ARTICLE_ID = _parameter("id", {"type": "integer", "minimum": 1}, "The article's id.", "path")


def _responses(
    schema_name: str, *, last_modified: bool = False, bad_request: bool = True, not_found: bool = False
) -> dict[str, Any]:
    headers = {k: v for k, v in HEADERS.items() if last_modified or k != "Last-Modified"}
    responses = {
        "200": {
            "description": "OK",
            "headers": headers,
            "content": {"application/json": {"schema": _ref(schema_name)}},
        },
        "304": {
            "description": "Not modified: the copy named by If-None-Match or If-Modified-Since is current."
        },
    }
    error = {"content": {"application/json": {"schema": _ref("Error")}}}
    if bad_request:
        responses["400"] = {
            "description": "A parameter is not valid; the message says which and why.",
            **error,
        }
    if not_found:
        responses["404"] = {"description": "No published article has this id.", **error}
    return responses


def _get(
    summary: str, operation_id: str, parameters: list[Any], responses: dict[str, Any], description: str = ""
) -> dict[str, Any]:
    operation = {
        "summary": summary,
        "operationId": operation_id,
        "parameters": parameters + CONDITIONAL,
        "responses": responses,
    }
    if description:
        operation["description"] = description
    return {"get": operation}


ARTICLE_FILTERS = [
    _parameter(
        "q",
        {"type": "string", "maxLength": 10000},
        "Full-text search, ranked as on the site's search page: "
        'words, "phrases in quotes", `word*` for prefixes. Any text is accepted.',
    ),
    _parameter("section", SLUG, "Only stories in this section (slug)."),
    _parameter("tag", SLUG, "Only stories with this tag (slug)."),
    _parameter("author", SLUG, "Only stories by this author (slug)."),
    _parameter("source", SLUG, "Only stories republished from this outlet (slug)."),
    _parameter("from", {"type": "string", "format": "date"}, "Published on or after this day (YYYY-MM-DD)."),
    _parameter("to", {"type": "string", "format": "date"}, "Published on or before this day (YYYY-MM-DD)."),
    _parameter("external_id", {"type": "string", "maxLength": 200}, "The story with this import id."),
    _parameter(
        "cursor",
        {"type": "string", "pattern": "^[-A-Za-z0-9_]{1,500}$"},
        "Where the page starts: copy it from the `next` link, never build it.",
    ),
    PAGE_SIZE,
]


# A line of the staff export: the import format (`broadsheet import-articles` reads it back).
SCHEMAS["ExportLine"] = _object(
    {
        "external_id": {"type": "string", "description": "The import id, or `broadsheet:<id>`."},
        "title": {"type": "string"},
        "body": {"type": "string", "description": "The story's body as stored (sanitised HTML)."},
        "section": {"type": "string", "description": "The section's name."},
        "published": DATETIME,
        "updated": DATETIME,
        "source": {"type": "string", "description": "The outlet's name, or empty."},
        "source_url": {"type": "string"},
        "author": {"type": "string", "description": "The first author's name, or empty."},
        "tags": {"type": "array", "items": {"type": "string"}},
        "summary": {"type": "string"},
        "language": {"type": "string"},
    },
    required=["external_id", "title", "body", "section", "published"],
)
SCHEMAS["ExportLine"]["additionalProperties"] = True  # the format may grow; readers skip the rest

STAFF_ERROR = {"content": {"application/json": {"schema": _ref("Error")}}}
EXPORT = {
    "get": {
        "summary": "Every published story as JSON Lines in the import format, for staff programs",
        "operationId": "exportArticles",
        "description": "The lines `broadsheet export-articles` writes, a page at a time, oldest "
        "first. While more remain, the `Link` header names the next page "
        '(`<URL>; rel="next"`): follow it exactly as given until an answer has none. Needs an '
        "access token of an active staff member (the back office or `broadsheet api-token` "
        "makes one); a staff member signed in to the back office may follow the link there too. "
        "Answers are never cached.",
        "security": [{"bearerAuth": []}],
        "parameters": [
            _parameter(
                "limit",
                {"type": "integer", "minimum": 1, "maximum": 5000, "default": 1000},
                "Stories per page.",
            ),
            _parameter(
                "cursor",
                {"type": "string", "pattern": "^[-A-Za-z0-9_]{1,500}$"},
                "Where the page starts: copy it from the `Link` header, never build it.",
            ),
        ],
        "responses": {
            "200": {
                "description": "One JSON object a line (an ExportLine), each line ending in a newline.",
                "headers": {
                    "Link": {
                        "description": 'The next page, `<URL>; rel="next"`; absent on the last page.',
                        "schema": {"type": "string"},
                    },
                    "Cache-Control": {"description": "`private, no-store`.", "schema": {"type": "string"}},
                },
                "content": {
                    "application/jsonl": {
                        "schema": {"type": "string", "description": "JSON Lines; each line an ExportLine."},
                        "x-item-schema": _ref("ExportLine"),
                    }
                },
            },
            "400": {
                "description": "`limit` or `cursor` is not valid; the message says which.",
                **STAFF_ERROR,
            },
            "401": {
                "description": "No token, an Authorization header that is not `Bearer <token>`, or a "
                "token that is not known (never issued, or revoked).",
                **STAFF_ERROR,
            },
            "403": {"description": "The token's owner is no longer active staff.", **STAFF_ERROR},
        },
    }
}

PATHS = {
    "/api/": _get("Links to every list", "index", [], _responses("Index", bad_request=False)),
    "/api/openapi.json": _get(
        "This description",
        "openapi",
        [],
        {
            "200": {"description": "OpenAPI 3.1", "content": {"application/json": {}}},
            "304": {"description": "Not modified."},
        },
    ),
    "/api/articles": _get(
        "Published stories, newest first, or best first with `q`",
        "listArticles",
        ARTICLE_FILTERS,
        _responses("ArticlePage", last_modified=True),
        "Only published stories ever appear (a scheduled story appears at its time). Without `q` the "
        "pages are cursor-based (stable while stories are added); with `q` results are ranked by "
        "relevance (headline above summary above body, rarer words weigh more, a mild preference for "
        "recent stories), and when no story holds every word the first page holds stories with any.",
    ),
    "/api/articles/{id}": _get(
        "One published story with its body, corrections and related stories",
        "getArticle",
        [ARTICLE_ID],
        _responses("ArticleDetail", last_modified=True, bad_request=False, not_found=True),
    ),
    "/api/articles/{id}/comments": _get(
        "Approved reader comments of a published story, oldest first",
        "listArticleComments",
        [ARTICLE_ID, PAGE, PAGE_SIZE],
        _responses("CommentPage", not_found=True),
        "Only approved comments; a commenter's email address is never shown.",
    ),
    "/api/sections": _get(
        "Every section, in the site's order", "listSections", [], _responses("SectionPage", bad_request=False)
    ),
    "/api/tags": _get("Tags by name", "listTags", [PAGE, PAGE_SIZE], _responses("TagPage")),
    "/api/sources": _get(
        "Outlets whose stories are republished, by name",
        "listSources",
        [PAGE, PAGE_SIZE],
        _responses("SourcePage"),
    ),
    "/api/authors": _get(
        "Authors by name",
        "listAuthors",
        [PAGE, PAGE_SIZE],
        _responses("AuthorPage"),
        "Public profile only: no contact address is ever shown.",
    ),
    "/api/export/articles.jsonl": EXPORT,
}


@functools.cache
def _schema(site_url: str, site_name: str, max_page_size: int) -> dict[str, Any]:
    paths = PATHS
    for path in paths.values():
        for parameter in path["get"]["parameters"]:
            if parameter["name"] == "page_size":
                parameter["schema"]["maximum"] = max_page_size
    return {
        "openapi": "3.1.0",
        "info": {
            "title": f"{site_name} content API",
            "version": "1",
            "description": "Read-only JSON: published stories, sections, tags, sources, authors and "
            "approved comments, and for staff an export of every story as JSON Lines. Every public answer has an ETag (and stories a Last-Modified): send "
            "If-None-Match or If-Modified-Since to get a 304. Bad parameters get a 400 with a "
            "message naming the parameter.",
        },
        "servers": [{"url": site_url}],
        "paths": paths,
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "An access token (`bst_…`) of a staff member, made in the back "
                    "office or by `broadsheet api-token`; only the export needs one.",
                }
            },
        },
    }


def openapi_schema() -> dict[str, Any]:
    return _schema(conf.site_url(), settings.BROADSHEET_SITE_NAME, conf.max_page_size())
