"""With DATABASE_REPLICA_URL set, reads go to the replica and writes (and what follows them) to the primary."""

import os
import subprocess
import sys

import pytest
from django.db import transaction
from django.http import HttpResponse

from broadsheet.comments.models import ModerationSettings
from broadsheet.core.db_router import PIN_COOKIE, PinPrimaryAfterWriteMiddleware, ReplicaRouter, unpin
from broadsheet.newsroom.models import Tag

pytestmark = pytest.mark.django_db


@pytest.mark.django_db(transaction=True)
def test_reads_go_to_the_replica_until_a_write():
    router = ReplicaRouter()
    unpin()
    assert router.db_for_read(None) == "replica"
    assert router.db_for_write(None) == "default"
    assert router.db_for_read(None) == "default"  # read-your-writes for the rest of the request
    unpin()


def test_reads_inside_a_transaction_stay_on_the_primary():
    router = ReplicaRouter()
    unpin()
    with transaction.atomic():
        assert router.db_for_read(None) == "default"
    unpin()


def _site_reading_from():
    """A middleware-wrapped view that records where its reads go. Every request loads the comment
    rules, as an article page does: get_or_create() asks the router for the primary, then finds
    the row. A POST with a comment saves a row, as posting a comment does."""
    router, read_from = ReplicaRouter(), []

    def view(request):
        router.db_for_write(ModerationSettings)
        ModerationSettings.load()
        if request.method == "POST" and request.POST.get("comment"):
            Tag.objects.create(name=request.POST["comment"])
        read_from.append(router.db_for_read(None))  # the story, the thread, ...
        return HttpResponse("ok")

    ModerationSettings.load()  # the rules' row is there, as on any site that has run a while
    return PinPrimaryAfterWriteMiddleware(view), read_from


@pytest.mark.django_db(transaction=True)  # outside a transaction, as a request is
def test_a_reader_who_just_wrote_reads_their_next_page_from_the_primary(rf, settings):
    settings.BROADSHEET_REPLICA_PIN_SECONDS = 15
    site, read_from = _site_reading_from()
    posted = site(rf.post("/comments/post/1/", {"comment": "harbour"}))
    assert posted.cookies[PIN_COOKIE]["max-age"] == 15

    # The page the form redirects to, perhaps on another app server: the replica may lag behind.
    next_page = rf.get("/story/harbour-plan/")
    next_page.COOKIES[PIN_COOKIE] = posted.cookies[PIN_COOKIE].value
    site(next_page)
    assert read_from == ["default", "default"]

    site(rf.get("/story/harbour-plan/"))  # another reader, who wrote nothing
    assert read_from[-1] == "replica"


@pytest.mark.django_db(transaction=True)  # outside a transaction, as a request is
def test_a_page_view_that_changes_nothing_reads_from_the_replica_and_sets_no_cookie(rf):
    site, read_from = _site_reading_from()
    page = site(rf.get("/story/harbour-plan/"))  # loading the rules asks for the primary, changes nothing
    refused = site(rf.post("/comments/post/1/", {"comment": ""}))  # a form sent back with an error
    assert PIN_COOKIE not in page.cookies and PIN_COOKIE not in refused.cookies
    assert read_from == ["replica", "default"]


def test_migrations_run_only_on_the_primary():
    assert ReplicaRouter().allow_migrate("default", "newsroom")
    assert not ReplicaRouter().allow_migrate("replica", "newsroom")


def test_settings_add_the_replica_from_the_environment(tmp_path):
    env = {
        **os.environ,
        "BROADSHEET_DATA": str(tmp_path),
        "DATABASE_REPLICA_URL": f"sqlite:///{tmp_path}/broadsheet.sqlite3",
        "DJANGO_SETTINGS_MODULE": "broadsheet.settings",
    }
    env.pop("DATABASE_URL", None)
    code = (
        "import django; django.setup();"
        "from django.conf import settings;"
        "from broadsheet.newsroom.models import Article;"
        "print(sorted(settings.DATABASES), Article.objects.all().db, settings.MIDDLEWARE[0])"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert "['default', 'replica'] replica broadsheet.core.db_router.PinPrimaryAfterWriteMiddleware" in out
