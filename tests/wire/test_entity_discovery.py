"""New people found by the machine in stories: suggested (never shown to readers) until an editor
confirms them; spelling variants merge into one suggestion; outlets, sections, months and
institutions are never taken for people."""

import pytest

from broadsheet.newsroom.models import Section, Source
from broadsheet.newsroom.services import save_article
from broadsheet.wire.discovery import Finder
from broadsheet.wire.models import Entity, Mention
from tests.conftest import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(django_capture_on_commit_callbacks):
    def make(headline, body, **kw):
        article = make_article(headline, body=body, **kw)
        with django_capture_on_commit_callbacks(execute=True):
            save_article(article)
        return article

    return make


def suggested():
    return sorted(Entity.objects.suggested().values_list("name", flat=True))


def test_people_named_with_a_cue_are_suggested_and_not_shown_until_confirmed(story, client, admin_client):
    article = story(
        "Talks resume at the harbour",
        "Foreign Minister Leyla Arslan said on Monday that the talks would resume. "
        "Dmitri Volkov, the port's director, told reporters the ferries were ready.",
    )
    assert suggested() == ["Dmitri Volkov", "Leyla Arslan"]
    arslan = Entity.objects.get(name="Leyla Arslan")
    assert arslan.found_in == article and "Foreign Minister Leyla Arslan said" in arslan.found_sentence
    # Not public: no page, no link under the story, nothing in the API.
    assert client.get(f"/entity/{arslan.slug}/").status_code == 404
    assert "Leyla Arslan</a>" not in client.get(article.get_absolute_url()).content.decode()
    assert client.get(f"/api/articles/{article.pk}").json()["entities"] == []
    assert not Mention.objects.exists()

    admin_client.post(
        "/admin/wire/entity/", {"action": "confirm", "_selected_action": [arslan.pk]}, follow=True
    )
    arslan.refresh_from_db()
    assert arslan.status == Entity.Status.CONFIRMED
    assert client.get(f"/entity/{arslan.slug}/").status_code == 200
    assert [e["name"] for e in client.get(f"/api/articles/{article.pk}").json()["entities"]] == [
        "Leyla Arslan"
    ]


def test_spelling_variants_become_one_suggestion_and_known_people_are_not_suggested(story):
    Entity.objects.create(name="Qassem Soleimani", kind=Entity.Kind.PERSON)
    story(
        "Convoy hit", "Gen. Qasem Soleimani's convoy was hit, officials said. Kassem Suleimani told no one."
    )
    story("Deputy named", "Esmail Qaani said he would lead the force.")
    story("Deputy speaks", "İsmail Kaani told the crowd he would lead the force.")
    story("Cleric", "Ayatollah Ali al-Sistani urged calm. Ali el-Sistani said the vote must go ahead.")
    assert suggested() == ["Ali al-Sistani", "Esmail Qaani"]
    assert sorted(Entity.objects.get(name="Esmail Qaani").names.values_list("name", flat=True)) == [
        "İsmail Kaani"
    ]
    assert sorted(Entity.objects.get(name="Ali al-Sistani").names.values_list("name", flat=True)) == [
        "Ali el-Sistani"
    ]


def test_a_rejected_suggestion_is_never_suggested_again(story, admin_client):
    story("Storm", "Mayor Tomas Brandt said the bridge would stay shut.")
    brandt = Entity.objects.get(name="Tomas Brandt")
    admin_client.post("/admin/wire/entity/", {"action": "reject", "_selected_action": [brandt.pk]})
    story("Storm again", "Tomas Brandt told residents the bridge would reopen.")
    assert suggested() == [] and Entity.objects.get().status == Entity.Status.REJECTED


def test_outlets_sections_months_institutions_and_sentence_starts_are_not_people(story):
    Source.objects.create(name="Valley Courier")
    Section.objects.create(name="Harbour Life")
    story(
        "Not people",
        "The United Nations said aid was blocked. Valley Courier Editors said the paper would close. "
        "Harbour Life said nothing. Last March Heavy Rains said nothing either. "
        "Saudi Arabia told envoys to wait. The Foreign Ministry said the envoy had left. "
        "Meanwhile Harbour Council said the road was closed. Then Officials said more.",
    )
    assert suggested() == []


def test_a_draft_suggests_no_one_until_it_is_published(story):
    story("Draft", "President Amira Haddad said the draft was ready.", status="draft", publish_at=None)
    assert suggested() == []


def test_the_finder_wants_a_cue_and_a_whole_name():
    finder = Finder(excluded=["The New York Times"])
    found = [
        s.name
        for s in finder.find(
            "Omar Suleiman met envoys in Cairo. President Haddad said no. "
            "The New York Times reported the talks. According to Nadia Rahimi, the convoy left. "
            '"We will rebuild," Sarah Connolly said. Then Mehmet Yilmaz told reporters the bridge was closed. '
            "“It is over,” said Grace Holloway. Holloway Brothers said the yard would close. "
            "Olga Petrov and Dmitri Morozov said the count was settled. Port Said told ships to wait. "
        "Officials in Ostrava Nova confirmed the closure. Lumen Robotics said that it would cooperate."
        )
    ]
    assert found == [
        "Nadia Rahimi",
        "Sarah Connolly",
        "Mehmet Yilmaz",
        "Grace Holloway",
        "Olga Petrov",
        "Dmitri Morozov",
    ]
