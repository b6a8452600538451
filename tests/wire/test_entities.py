"""People and places: one entity page whatever the spelling; look-alike names of others not merged."""

import pytest

from broadsheet.newsroom.services import save_article
from broadsheet.wire.models import Entity, EntityName
from tests.conftest import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(django_capture_on_commit_callbacks):
    soleimani = Entity.objects.create(name="Qassem Soleimani", kind=Entity.Kind.PERSON)
    EntityName.objects.create(entity=soleimani, name="Süleyman", in_context_only=True)
    qaani = Entity.objects.create(name="Esmail Qaani", kind=Entity.Kind.PERSON)
    suleiman = Entity.objects.create(name="Omar Suleiman", kind=Entity.Kind.PERSON)
    khamenei = Entity.objects.create(name="Ali Khamenei", kind=Entity.Kind.PERSON)
    return {"soleimani": soleimani, "qaani": qaani, "suleiman": suleiman, "khamenei": khamenei}


@pytest.fixture
def story(django_capture_on_commit_callbacks):
    def make(headline, body):
        article = make_article(headline, body=body)
        with django_capture_on_commit_callbacks(execute=True):
            save_article(article)
        return article

    return make


def names(article):
    return sorted(e.name for e in Entity.objects.filter(mentions__article=article))


def test_transliterated_spellings_link_to_one_entity(people, story):
    a = story(
        "Strike kills Qasem Soleimani", "General Qasem Soleimani was killed. Süleyman had led the force."
    )
    b = story("Kassem Suleimani remembered", "Crowds mourned Kassem Suleimani in Tehran.")
    c = story("New commander named", "İsmail Kaani replaces him; Esmail Qaani was his deputy.")
    assert names(a) == names(b) == ["Qassem Soleimani"]
    assert names(c) == ["Esmail Qaani"]


def test_names_with_al_and_el_meet_and_words_apart_do_not_make_a_name(people, story):
    assad = Entity.objects.create(name="Bashar al-Assad", kind=Entity.Kind.PERSON)
    a = story("Damascus", "Bashar el-Assad spoke in Damascus.")
    b = story("Apart", "Qasem met Soleimani's family; Bashar and Assad are common names.")
    assert names(a) == [assad.name]
    assert names(b) == []


def test_a_look_alike_name_of_someone_else_is_not_merged(people, story):
    a = story("Egypt's spy chief", "Omar Suleiman met envoys in Cairo.")
    b = story("Slip alone", "Süleyman spoke to reporters.")
    c = story("Founder's portrait", "A portrait of Ruhollah Khomeini hung on the wall.")
    assert names(a) == ["Omar Suleiman"]
    assert names(b) == []
    assert names(c) == []


def test_entity_page_lists_every_story_under_any_spelling(people, story, client):
    a = story("Strike kills Qasem Soleimani", "General Qasem Soleimani was killed.")
    b = story("Kassem Suleimani remembered", "Crowds mourned Kassem Suleimani.")
    other = story("Egypt's spy chief", "Omar Suleiman met envoys in Cairo.")
    page = client.get(people["soleimani"].get_absolute_url()).content.decode()
    assert a.headline in page and b.headline in page and other.headline not in page
    assert "Süleyman" in page  # the other spellings are named on the page


def test_story_page_and_api_link_the_entities(people, story, client):
    article = story("Strike kills Qasem Soleimani", "General Qasem Soleimani was killed.")
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'href="{people["soleimani"].get_absolute_url()}"' in page
    data = client.get(f"/api/articles/{article.pk}").json()
    assert data["entities"][0]["name"] == "Qassem Soleimani" and data["entities"][0]["kind"] == "person"


def test_an_entity_added_later_links_stories_already_published(admin_client, story):
    article = story("Erdoğan visits Ankara", "Recep Tayyip Erdoğan arrived on Monday.")
    admin_client.post(
        "/admin/wire/entity/add/",
        {
            "name": "Recep Tayyip Erdogan",
            "kind": "person",
            "description": "",
            "names-TOTAL_FORMS": "0",
            "names-INITIAL_FORMS": "0",
            "names-MIN_NUM_FORMS": "0",
            "names-MAX_NUM_FORMS": "1000",
        },
    )
    assert names(article) == ["Recep Tayyip Erdogan"]


def test_unknown_entity_page_is_404(client):
    assert client.get("/entity/nobody/").status_code == 404
