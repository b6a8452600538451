"""With DATABASE_REPLICA_URL set, reads go to the replica and writes (and what follows them) to the primary."""

import os
import subprocess
import sys

import pytest
from django.db import transaction

from broadsheet.core.db_router import ReplicaRouter, unpin

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
