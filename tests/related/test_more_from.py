"""Never an empty "Related posts": a short list is topped up from the story's section, under an
honest "More from <section>" heading, stories sharing its tags or source first."""

import pytest

from broadsheet.related import services
from broadsheet.related.models import RelatedExclusion
from tests.conftest import make_article, make_section

pytestmark = pytest.mark.django_db


def teasers_after(html, heading):
    return html[html.index(heading) :]


def test_story_with_nothing_related_offers_more_from_its_section(client):
    world = make_section("World")
    neighbours = [
        make_article(
            f"Glacier survey {n} finds thinner ice",
            summary="Surveyors measured the glacier.",
            body="The glacier lost ice again.",
            section=world,
        )
        for n in range(3)
    ]
    lonely = make_article(
        "Harbour pigeons win the village bake-off",
        summary="Feathered bakers triumph.",
        body="Judges praised crumbly scones.",
        section=world,
    )
    services.rebuild_related()
    html = client.get(lonely.get_absolute_url()).content.decode()
    assert "Related posts" not in html
    assert "More from World" in html
    for other in neighbours:
        assert other.headline in teasers_after(html, "More from World")


def test_short_list_is_topped_up_with_tag_and_source_matches_first(client):
    from broadsheet.newsroom.models import Source

    world = make_section("World")
    wire = Source.objects.create(name="Coastal Wire")
    words = dict(summary="Crews walked out at dawn.", body="The Velmora ferry crews strike over rotas.")
    ferry = make_article("Velmora ferry crews strike", section=world, source=wire, tags=["Ports"], **words)
    follow_up = make_article("Velmora ferry strike enters second day", section=world, **words)
    plain = [
        make_article(f"Orchard festival day {n}", summary="Apples.", body="Cider pressed.", section=world)
        for n in range(4)
    ]
    same_source = make_article(
        "Lighthouse keeper retires", summary="Farewell.", body="Lamp.", section=world, source=wire
    )
    same_tag = make_article(
        "Dredging contract signed", summary="Silt.", body="Channel.", section=world, tags=["Ports"]
    )
    services.rebuild_related()
    shown = services.related_for(ferry)
    assert shown[0] == follow_up and len(shown) < 5
    assert services.more_from(ferry, limit=2) == [same_tag, same_source]
    more = services.more_from(ferry, exclude={a.pk for a in shown}, limit=5 - len(shown))
    assert len(more) == 5 - len(shown)
    assert not set(more) & set(shown)
    assert set(more) <= {same_source, *plain}
    html = client.get(ferry.get_absolute_url()).content.decode()
    assert html.index("Related posts") < html.index(follow_up.headline) < html.index("More from World")
    assert same_source.headline in teasers_after(html, "More from World")


def test_filling_never_shows_an_excluded_story_or_another_section(stories):
    ferry = stories["ferry-1"]
    elsewhere = make_article("Velmora ferry timetable printed again", section=make_section("Business"))
    blocked = make_article("Velmora ferry museum opens", section=ferry.section)
    RelatedExclusion.objects.create(article=ferry, excluded=blocked)
    more = services.more_from(ferry, limit=50)
    assert blocked not in more
    assert elsewhere not in more
    assert ferry not in more
