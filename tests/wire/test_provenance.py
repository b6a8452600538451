"""Where a story comes from: the outlets it cites, found in the text, kept or changed by editors,
shown on the page, in JSON-LD and in the API."""

import json
import re

import pytest

from broadsheet.newsroom.models import Source
from broadsheet.newsroom.services import save_article
from broadsheet.wire import outlets, provenance
from broadsheet.wire.citations import find_citations
from broadsheet.wire.models import Citation
from tests.conftest import make_article

pytestmark = pytest.mark.django_db

BODY = (
    "Haaretz reported on Sunday that the talks had stalled. Speaking to the New York Times, the minister "
    "denied it. The London-based Asharq Al-Awsat said in a report that a deal was near. "
    "Crowds filled Times Square. A Reuters photographer was hurt."
)


@pytest.fixture
def outlets_known():
    names = ["Haaretz", "The New York Times", "Asharq Al-Awsat", "The Times", "Reuters"]
    sources = {n: Source.objects.create(name=n) for n in names}
    outlets.add_alias(sources["The New York Times"], "NYT")
    return sources


@pytest.fixture
def story(django_capture_on_commit_callbacks):
    """make(**fields): a published story saved the way editors save, its changes announced."""

    def make(**fields):
        article = make_article(**fields)
        with django_capture_on_commit_callbacks(execute=True):
            save_article(article)
        return article

    return make


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def cited_names(article):
    return sorted(s.name for s in provenance.cited_sources(article))


def test_outlets_cited_as_reporting_are_found_and_others_are_not(outlets_known, story):
    article = story(body=BODY)
    assert cited_names(article) == ["Asharq Al-Awsat", "Haaretz", "The New York Times"]
    sentence = Citation.objects.get(article=article, source__name="Haaretz").sentence
    assert sentence.startswith("Haaretz reported on Sunday")


def test_an_alias_is_credited_under_the_outlets_canonical_name(outlets_known, story):
    article = story(body="NYT wrote that the vote was close.")
    assert cited_names(article) == ["The New York Times"]


def test_story_page_shows_reporting_cited_linked_to_source_pages(outlets_known, client, story):
    article = story(body=BODY)
    page = client.get(article.get_absolute_url()).content.decode()
    line = re.search(r'<p class="reporting-cited">(.*?)</p>', page, re.S).group(1)
    assert "Haaretz" in line and "The New York Times" in line and "Reuters" not in line
    assert f'href="{outlets_known["Haaretz"].get_absolute_url()}"' in line


def test_json_ld_names_the_cited_outlets(outlets_known, client, story):
    article = story(body=BODY, source=outlets_known["Reuters"], source_url="https://reuters.example/x")
    page = client.get(article.get_absolute_url()).content.decode()
    blocks = [
        json.loads(b) for b in re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    ]
    news = next(b for b in blocks if b.get("@type") == "NewsArticle")
    assert news["isBasedOn"] == "https://reuters.example/x"
    assert sorted(c["publisher"]["name"] for c in news["citation"]) == [
        "Asharq Al-Awsat",
        "Haaretz",
        "The New York Times",
    ]


def test_api_gives_provenance_and_entities(outlets_known, client, story):
    article = story(body=BODY, source=outlets_known["Reuters"])
    data = client.get(f"/api/articles/{article.pk}").json()
    assert data["provenance"]["source"]["name"] == "Reuters"
    assert data["provenance"]["source"]["url"].endswith(outlets_known["Reuters"].get_absolute_url())
    assert [c["name"] for c in data["provenance"]["cited"]] == [
        "Asharq Al-Awsat",
        "Haaretz",
        "The New York Times",
    ]
    assert data["entities"] == []


def test_api_provenance_of_our_own_story_has_no_source(client, story):
    article = story(body="Our own reporting.")
    assert client.get(f"/api/articles/{article.pk}").json()["provenance"] == {"source": None, "cited": []}


def test_editors_decisions_survive_the_next_edit(outlets_known, story, committed):
    article = story(body=BODY)
    wrong = Citation.objects.get(article=article, source__name="Asharq Al-Awsat")
    with committed():
        provenance.decide(wrong, status=Citation.Status.REMOVED)
        provenance.add_citation(article, outlets_known["Reuters"], sentence="Reuters saw the papers.")
    article.headline = "Talks stall, reports say"
    with committed():
        save_article(article)
    assert cited_names(article) == ["Haaretz", "Reuters", "The New York Times"]


def test_a_citation_no_longer_in_the_text_goes(outlets_known, story, committed):
    article = story(body=BODY)
    article.body = "The minister told Reuters nothing had changed."
    with committed():
        save_article(article)
    assert cited_names(article) == ["Reuters"]


def test_the_source_we_republish_from_is_not_listed_again_as_cited(outlets_known, story):
    article = story(body=BODY, source=outlets_known["Haaretz"])
    assert "Haaretz" not in cited_names(article)


def test_other_languages_have_their_own_cues(outlets_known):
    assert [f.name for f in find_citations("Selon Haaretz, les négociations sont bloquées.", "fr")] == [
        "Haaretz"
    ]
    assert [f.name for f in find_citations("Según Reuters, el acuerdo está cerca.", "es")] == ["Reuters"]
    assert find_citations("Selon Haaretz, les négociations sont bloquées.", "en") == []


def test_cite_command_finds_citations_of_stories_loaded_in_bulk(outlets_known, capsys):
    from django.core.management import call_command

    from broadsheet.newsroom.models import Article

    article = make_article(body=BODY)  # saved without telling anyone, as a bulk load does
    assert cited_names(article) == []
    call_command("wire", "cite")
    article.refresh_from_db()
    assert cited_names(Article.objects.get(pk=article.pk)) == [
        "Asharq Al-Awsat",
        "Haaretz",
        "The New York Times",
    ]
    assert "stories read" in capsys.readouterr().out


def test_an_import_finds_citations(outlets_known, tmp_path, django_capture_on_commit_callbacks):
    from django.core.management import call_command

    from broadsheet.newsroom.models import Article

    path = tmp_path / "stories.jsonl"
    path.write_text(
        json.dumps(
            {
                "external_id": "x1",
                "title": "Talks stall",
                "body": BODY,
                "section": "World",
                "published": "2026-12-01T10:00:00+00:00",
            }
        )
        + "\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import-articles", str(path), "--no-progress")
    assert cited_names(Article.objects.get(external_id="x1")) == [
        "Asharq Al-Awsat",
        "Haaretz",
        "The New York Times",
    ]
