"""One settings pattern: every app reads its settings when it uses them (so `override_settings`
and a reload take effect without a reimport), and every BROADSHEET_* name the code reads is
known to the system check that names unknown variables."""

import ast
import datetime
import re
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import timezone

import broadsheet
from broadsheet.core import checks, workers
from broadsheet.core.models import WorkerHeartbeat

PACKAGE = Path(broadsheet.__file__).resolve().parent
# settings.py is where the environment becomes settings; the entry points only set defaults.
NOT_APP_CODE = {PACKAGE / "settings.py"}


def modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        if path not in NOT_APP_CODE and "migrations" not in path.parts:
            yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _helper_prefixes(tree):
    """{function name: "BROADSHEET_PREFIX_"} for helpers that read f"BROADSHEET_PREFIX_{name}"."""
    helpers = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.args.args:
            parameter = node.args.args[0].arg
            for inner in ast.walk(node):
                if isinstance(inner, ast.JoinedStr) and len(inner.values) == 2:
                    head, tail = inner.values
                    if (
                        isinstance(head, ast.Constant)
                        and str(head.value).startswith("BROADSHEET_")
                        and isinstance(tail, ast.FormattedValue)
                        and isinstance(tail.value, ast.Name)
                        and tail.value.id == parameter
                    ):
                        helpers[node.name] = head.value
    return helpers


def names_read(tree):
    """BROADSHEET_* names in a module: written out in full, or built by a helper from a prefix
    and the literal each call passes (found from the code's structure, not the check's regex)."""
    names = set()
    helpers = _helper_prefixes(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if re.fullmatch(r"BROADSHEET_[A-Z0-9_]*[A-Z0-9]", node.value):
                names.add(node.value)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in helpers:
            first = node.args[0] if node.args else None
            assert isinstance(first, ast.Constant), f"{node.func.id}() called with a computed name"
            names.add(helpers[node.func.id] + first.value)
    return names


def test_every_broadsheet_name_the_code_reads_is_known_to_the_check():
    read = set()
    for _path, tree in modules():
        read |= names_read(tree)
    assert "BROADSHEET_COMMENTS_FLOOD_SECONDS" in read  # through comments.conf's helper
    assert "BROADSHEET_WORKER_STALE_SECONDS" in read
    assert sorted(read - checks.known_settings()) == []


def _reads_directly(node):
    for inner in ast.walk(node):
        if isinstance(inner, ast.Call):
            func = inner.func
            if isinstance(func, ast.Name) and func.id == "getattr" and inner.args:
                if isinstance(inner.args[0], ast.Name) and inner.args[0].id == "settings":
                    return True
            if isinstance(func, ast.Attribute) and func.attr == "getenv":
                return True
        if isinstance(inner, ast.Attribute) and isinstance(inner.value, ast.Name):
            if inner.value.id == "settings" and inner.attr.startswith("BROADSHEET_"):
                return True
        if isinstance(inner, ast.Attribute) and inner.attr == "environ":
            return True
    return False


def _reads_settings(node, readers):
    """True for an expression that reads a setting or the environment, directly or through a
    function of its own module that does (`readers`) or an app's conf accessor."""
    if _reads_directly(node):
        return True
    for inner in ast.walk(node):
        if isinstance(inner, ast.Call):
            func = inner.func
            if isinstance(func, ast.Name) and func.id in readers:
                return True
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "conf":
                return True  # an app's conf accessor, called at import
    return False


def _import_time_statements(body):
    """Statements run when the module is imported: the module's and its classes' bodies, not
    function bodies."""
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield from node.decorator_list  # decorators and default values run at import
            yield from node.args.defaults
            yield from (default for default in node.args.kw_defaults if default is not None)
            continue
        if isinstance(node, ast.ClassDef):
            yield from _import_time_statements(node.body)
            continue
        if isinstance(node, ast.If) and "__main__" in ast.unparse(node.test):
            continue  # run as a program, not on import
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            func = node.value.func
            if isinstance(func, ast.Attribute) and func.attr == "setdefault":
                continue  # os.environ.setdefault("DJANGO_SETTINGS_MODULE", ...) writes a default
        yield node


def test_no_app_reads_a_setting_when_it_is_imported():
    offending = []
    for path, tree in modules():
        readers = {
            node.name for node in tree.body if isinstance(node, ast.FunctionDef) and _reads_directly(node)
        }
        offending += [
            f"{path.relative_to(PACKAGE)}:{node.lineno}"
            for node in _import_time_statements(tree.body)
            if _reads_settings(node, readers)
        ]
    assert offending == []


@pytest.mark.django_db
def test_related_tuning_and_length_follow_override_settings():
    from broadsheet.related import services
    from broadsheet.related.models import RelatedEntry
    from tests.related.conftest import load_stories

    articles = load_stories()
    services.rebuild_related()
    longest = max(
        RelatedEntry.objects.filter(article_id=a.pk).count() for a in articles.values()
    )
    assert longest > 2
    some = next(a for a in articles.values() if RelatedEntry.objects.filter(article_id=a.pk).count() > 2)
    assert len(services.related_for(some)) > 1

    with override_settings(BROADSHEET_RELATED_TUNING={"stored": 2}, BROADSHEET_RELATED_SHOWN=1):
        services.rebuild_related()
        assert max(RelatedEntry.objects.filter(article_id=a.pk).count() for a in articles.values()) == 2
        assert len(services.related_for(some)) == 1


@pytest.mark.django_db
def test_worker_stale_time_follows_override_settings(client):
    WorkerHeartbeat.objects.create(worker_id="slow", last_seen=timezone.now() - datetime.timedelta(seconds=30))

    assert client.get("/healthz").json()["worker"]["state"] == "running"  # default: 60 s
    with override_settings(BROADSHEET_WORKER_STALE_SECONDS=10):
        assert workers.status()["state"] == "stale"
        assert client.get("/healthz").json()["worker"]["state"] == "stale"


@pytest.mark.django_db
def test_a_task_left_running_is_requeued_after_the_overridden_stale_time(settings):
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from tests.core.worker_tasks import slow_mark

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    result = slow_mark.enqueue("/nonexistent/marker", 0)
    half_a_minute_ago = timezone.now() - datetime.timedelta(seconds=30)
    WorkerHeartbeat.objects.create(worker_id="slow", last_seen=half_a_minute_ago)
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING, worker_ids=["slow"], started_at=half_a_minute_ago
    )

    assert workers.requeue_abandoned() == 0  # default: a worker is dead after 60 s
    with override_settings(BROADSHEET_WORKER_STALE_SECONDS=10):
        assert workers.requeue_abandoned() == 1
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.READY


def test_a_misspelt_worker_variable_is_named_by_the_check(monkeypatch):
    monkeypatch.setenv("BROADSHEET_WORKER_STALE_SECOND", "5")
    monkeypatch.setenv("BROADSHEET_RELATED_SHOWN", "3")

    warnings = {w.msg.split()[0]: w for w in checks.check_unknown_environment()}

    assert "BROADSHEET_RELATED_SHOWN" not in warnings
    typo = warnings["BROADSHEET_WORKER_STALE_SECOND"]
    assert typo.id == "core.W001" and typo.hint == "Did you mean BROADSHEET_WORKER_STALE_SECONDS?"
