"""Search in each story's language: PostgreSQL stems a story with its language's configuration
(Turkish, Arabic, German, ...) and reads a query's words as the language the reader chose; words
as written (accents folded) match across languages. SQLite keeps its one stemmer."""

import re

import pytest
from django.db import connection

from broadsheet.search import get_backend, services
from broadsheet.search.base import Filters
from tests.search.conftest import story

pytestmark = pytest.mark.django_db

TURKISH = dict(
    summary="Belediye başkanının açıklaması bekleniyor.",
    body="Seçimlerde oy verme işlemi sabah erken saatlerde başladı. Erdoğan'ın konuşması akşam yapılacak.",
    language="tr",
)


def headlines(text, **kw):
    return [r.article.headline for r in services.search(text, **kw).results]


@pytest.mark.postgres(reason="per-language stemming is PostgreSQL's")
def test_a_turkish_story_is_found_by_another_form_of_a_turkish_word():
    story("Sandıklar açıldı", **TURKISH)
    story("Harbour elections begin", body="Voting in the harbour elections began early.", language="en")
    # "seçimler" (elections) and "seçimlerde" (in the elections) share the stem "seçim".
    # (Quoted: a last word typed without a space may also be taken as a prefix.)
    assert headlines('"seçimler"', language="tr") == ["Sandıklar açıldı"]
    assert headlines('"başkanlar"', language="tr") == ["Sandıklar açıldı"]
    # Read as English, the inflected Turkish form is another word: the stemmer is what finds it.
    assert headlines('"seçimler"') == []


@pytest.mark.postgres(reason="per-language stemming is PostgreSQL's")
def test_english_stemming_still_matches_and_stop_words_are_never_required():
    story("Ministers were running late", body="The ferries kept running through the storm.", language="en")
    story("Sandıklar açıldı", **TURKISH)
    assert headlines("minister runs") == ["Ministers were running late"]
    assert headlines("the minister") == ["Ministers were running late"]
    assert headlines("runs", language="en") == ["Ministers were running late"]
    # Asked for Turkish word forms too, English ones still match.
    assert headlines('"ferry"', language="tr") == ["Ministers were running late"]


@pytest.mark.postgres(reason="per-language stemming is PostgreSQL's")
def test_a_name_typed_without_its_accents_finds_a_story_in_another_language():
    story("Sandıklar açıldı", **TURKISH)
    assert headlines("Erdogan") == ["Sandıklar açıldı"]
    assert headlines("erdogan konuşması", language="tr") == ["Sandıklar açıldı"]


@pytest.mark.postgres(reason="per-language stemming is PostgreSQL's")
def test_a_language_without_a_stemmer_is_indexed_as_written_and_highlighted_in_its_own_words():
    story("گزارش بندر", body="کشتی‌ها امروز به بندر رسیدند.", summary="", language="fa")
    turkish = story("Sandıklar açıldı", **TURKISH)
    assert headlines("بندر") == ["گزارش بندر"]
    result = services.search("seçimler", language="tr").results[0]
    assert result.article == turkish and "<mark>Seçimlerde</mark>" in result.snippet_html
    with connection.cursor() as cursor:
        cursor.execute("SELECT config FROM search_document ORDER BY config")
        assert [row[0] for row in cursor.fetchall()] == [
            "broadsheet_search_simple",
            "broadsheet_search_turkish",
        ]


@pytest.mark.postgres(reason="EXPLAIN on PostgreSQL")
def test_a_query_in_two_readings_is_still_answered_by_the_gin_index():
    from django.utils import timezone

    from broadsheet.search.postgres import _Search
    from broadsheet.search.query import parse_query

    story("Sandıklar açıldı", **TURKISH)
    backend = get_backend()
    query = parse_query("seçimler başkanlar ", language="tr")
    search = _Search(backend, query, Filters(), now=timezone.now(), count=20, match="all")
    sql = f"SELECT d.article_id FROM search_document d WHERE d.vector @@ {search.loose_tsquery}"
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, search.loose_params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Bitmap Index Scan on search_document_vector_idx" in plan, plan
    assert not re.search(r"Seq Scan on search_document", plan), plan
    # The readings are constants folded before planning: the index condition names the lexemes.
    assert re.search(r"Index Cond: \(vector @@ .*'seçim'.*'secimler'", plan), plan


@pytest.mark.postgres(reason="tsquery on PostgreSQL")
def test_a_reading_the_same_as_another_is_asked_once():
    """A name reads the same in English and as written: ranking checks it once, not twice."""
    from broadsheet.search.query import parse_query

    backend = get_backend()

    def as_text(text, **kw):
        sql, params = backend.tsquery(parse_query(text, **kw))
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {sql}::text", params)
            return cursor.fetchone()[0]

    assert as_text("Felix Kowalczyk ") == "'felix' & 'kowalczyk'"
    assert as_text("nurses Kowalczyk ") == "( 'nurs' | 'nurses' ) & 'kowalczyk'"
    assert as_text("the nurses ") == "'nurs' | 'nurses'"
    assert as_text("seçimler istanbul ", language="tr") == "( 'seçim' | 'seciml' | 'secimler' ) & 'istanbul'"


def test_the_search_page_keeps_the_language_chosen_and_refuses_an_unknown_one(client):
    article = story("Ministers were running late", body="The ferries kept running.", language="en")
    page = client.get("/search/?q=running&language=tr").content.decode()
    assert article.get_absolute_url() in page
    assert '<option value="tr" selected>Turkish</option>' in page
    odd = client.get("/search/?q=running&language=xx")
    assert odd.status_code == 200 and "Select a valid choice" in odd.content.decode()
    assert article.get_absolute_url() in odd.content.decode()  # the words still search
