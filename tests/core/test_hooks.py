"""The one hook registry (broadsheet.core.hooks): order, the decorator form, isolation, names."""

import itertools

import pytest

from broadsheet.core import hooks

_numbers = itertools.count()


def fresh_hook():
    """A hook name no other test uses (the registry lives as long as the process)."""
    return hooks.define(f"test_hook_{next(_numbers)}", "for a test")


def one():
    return 1


def two():
    return 2


def three():
    return 3


def test_hooks_come_back_in_order_whatever_the_order_of_registering():
    name = fresh_hook()
    hooks.register(name, three, order=30)
    hooks.register(name, one, order=-5)
    hooks.register(name, two)

    assert [fn() for fn in hooks.get_hooks(name)] == [1, 2, 3]


def test_equal_orders_go_by_name_so_installed_apps_order_does_not_matter():
    name = fresh_hook()
    hooks.register(name, two, order=5, name="provenance")
    hooks.register(name, one, order=5, name="promo")

    assert [h.name for h in hooks.get_entries(name)] == ["promo", "provenance"]


def test_decorator_form_registers_and_returns_the_function_unchanged():
    name = fresh_hook()

    @hooks.register(name, order=2)
    def later():
        return "later"

    @hooks.register(name)
    def first():
        return "first"

    assert later() == "later"
    assert [fn() for fn in hooks.get_hooks(name)] == ["first", "later"]


def test_options_and_name_travel_with_the_registration():
    name = fresh_hook()
    hooks.register(name, one, order=10, name="related", shared=True)

    (entry,) = hooks.get_entries(name)
    assert (entry.fn, entry.order, entry.name, entry.options["shared"]) == (one, 10, "related", True)
    with pytest.raises(TypeError):
        entry.options["shared"] = False  # type: ignore[index]


def test_registering_a_name_again_replaces_it_instead_of_doubling_it():
    name = fresh_hook()
    hooks.register(name, one, name="block")
    hooks.register(name, two, name="block")
    hooks.register(name, three)
    hooks.register(name, three)

    assert hooks.get_hooks(name) == [three, two]


def test_changing_the_returned_list_does_not_change_the_registry():
    name = fresh_hook()
    hooks.register(name, one)

    got = hooks.get_hooks(name)
    got.append(two)
    got.clear()
    hooks.get_entries(name).clear()

    assert hooks.get_hooks(name) == [one]


def test_each_hook_keeps_its_own_functions():
    first, second = fresh_hook(), fresh_hook()
    hooks.register(first, one)

    assert hooks.get_hooks(second) == []
    assert hooks.get_hooks(first) == [one]


def test_a_temporary_registration_is_gone_after_the_block():
    name = fresh_hook()
    hooks.register(name, one, name="kept")

    with hooks.register_temporarily(name, two, order=-1, name="kept"):
        assert hooks.get_hooks(name) == [two]
    assert hooks.get_hooks(name) == [one]


def test_unregister_by_name_or_function():
    name = fresh_hook()
    hooks.register(name, one, name="a")
    hooks.register(name, two)

    hooks.unregister(name, "a")
    hooks.unregister(name, two)

    assert hooks.get_hooks(name) == []


def test_a_misspelt_hook_name_is_refused_with_the_closest_one():
    name = fresh_hook()

    with pytest.raises(hooks.UnknownHook, match=f"Did you mean '{name}'"):
        hooks.register(name.replace("hook", "hok"), one)
    with pytest.raises(hooks.UnknownHook):
        hooks.get_hooks("article_blocks_typo_nobody_defined")


def test_defining_twice_keeps_what_was_registered():
    name = fresh_hook()
    hooks.register(name, one)

    hooks.define(name, "again")

    assert hooks.get_hooks(name) == [one]


def test_the_apps_blocks_and_panels_come_through_the_registry_in_page_order():
    from broadsheet.newsroom import slots

    assert [h.name for h in hooks.get_entries(slots.ARTICLE_BLOCK)] == [
        "live", "share", "promo", "provenance", "related", "comments", "read-beacon",
    ]
    assert [h.name for h in hooks.get_entries(slots.DASHBOARD_PANEL)] == [
        "newsroom", "submissions", "wire", "comments", "newsletters", "accounts",
    ]
    assert [h.name for h in hooks.get_entries(slots.HOME_BLOCK)] == ["promo", "most-read"]
    assert [h.name for h in hooks.get_entries(slots.SECTION_BLOCK)] == ["most-read"]
    assert [name for name, _step in slots.seed_steps()] == ["comments"]
    assert len(hooks.get_hooks(slots.HOME_LAYOUT)) == 1
    assert [h.name for h in hooks.get_entries(slots.LISTING_ANNOTATOR)] == ["comments", "lead-pictures"]


def test_a_body_filter_registered_for_a_while_changes_what_a_body_shows():
    from broadsheet.newsroom.text import BODY_FILTER, render_body

    def shout(html):
        return html.upper()

    with hooks.register_temporarily(BODY_FILTER, shout, order=100):
        assert render_body("<p>quiet words</p>") == "<P>QUIET WORDS</P>"
    assert render_body("<p>quiet words</p>") == "<p>quiet words</p>"


def test_the_page_cache_learns_the_harmless_comment_cookies_from_the_comments_app(settings):
    from broadsheet.pagecache import conf

    settings.BROADSHEET_COMMENTS_COMMENTER_COOKIE = "bs_saved_name"
    assert {"bs_my_comments", "bs_saved_name"} <= conf.load().harmless_cookies
    with hooks.register_temporarily(conf.HARMLESS_COOKIES, lambda: ["bs_poll_vote"], name="polls"):
        assert "bs_poll_vote" in conf.load().harmless_cookies
    settings.BROADSHEET_PAGECACHE_HARMLESS_COOKIES = []
    assert conf.load().harmless_cookies == frozenset()
