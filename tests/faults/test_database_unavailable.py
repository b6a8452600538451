"""While the database is away, pages say so with 503 and Retry-After, not a 500 error page."""

import pytest
from django.db import OperationalError, ProgrammingError, connection
from django.test import Client

from tests.conftest import make_article

pytestmark = pytest.mark.django_db


def refuse_with(error):
    def wrapper(execute, sql, params, many, context):
        raise error

    return wrapper


def test_page_answers_503_with_retry_after_while_the_database_is_away():
    article = make_article("Published before the outage")
    reader = Client(raise_request_exception=False)
    with connection.execute_wrapper(refuse_with(OperationalError("connection refused"))):
        answer = reader.get(article.get_absolute_url())
    assert answer.status_code == 503
    assert int(answer["Retry-After"]) > 0
    assert "Back in a moment" in answer.content.decode()
    assert "Traceback" not in answer.content.decode()
    assert "frame-ancestors 'none'" in answer["Content-Security-Policy"]
    assert reader.get(article.get_absolute_url()).status_code == 200


def test_comment_sent_while_the_database_is_away_gets_503_and_nothing_is_half_saved():
    from broadsheet.comments.models import Comment

    article = make_article("Readers reply")
    reader = Client(raise_request_exception=False)
    with connection.execute_wrapper(refuse_with(OperationalError("server closed the connection"))):
        answer = reader.post(f"/comments/post/{article.pk}/", {"comment": "Hello", "author": "Ann"})
    assert answer.status_code == 503
    assert answer.has_header("Retry-After")
    assert Comment.objects.count() == 0


def test_a_programming_error_is_still_a_500():
    article = make_article("A bug is not an outage")
    reader = Client(raise_request_exception=False)
    with connection.execute_wrapper(refuse_with(ProgrammingError("no such column"))):
        answer = reader.get(article.get_absolute_url())
    assert answer.status_code == 500
    assert not answer.has_header("Retry-After")
