"""text_similarity: the public score other apps (the wire) use to group reports of one event."""

import pytest

from broadsheet.related import services

pytestmark = pytest.mark.django_db

SUMMIT = "Erdoğan meets al-Rashidi in Ankara\nPresident Erdoğan received Yusuf al-Rashidi to sign a grain corridor deal."
SUMMIT_RESPELLED = "Erdogan and el-Rashidy agree grain corridor\nTurkey's Erdogan and Yusuf el-Rashidy signed the grain deal in Ankara."
FLOOD = "Floods swamp Portavel\nThe river Vell burst its banks and thousands left their homes in Portavel."


def test_two_spellings_of_one_event_score_above_another_event(stories):
    same = services.text_similarity(SUMMIT, SUMMIT_RESPELLED)
    other = services.text_similarity(SUMMIT, FLOOD)
    assert same > 0.3
    assert other < 0.05
    assert same > other


def test_identical_texts_score_one_and_empty_text_zero(db):
    assert services.text_similarity(FLOOD, FLOOD) == pytest.approx(1.0, abs=1e-6)
    assert services.text_similarity(FLOOD, "") == 0.0
