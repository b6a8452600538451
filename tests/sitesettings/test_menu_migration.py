"""Moving the footer's pages into the site's footer menu keeps what an existing site showed."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

BEFORE = [("pages", "0001_initial"), ("sitesettings", "0001_initial")]
AFTER = [("pages", "0002_footer_moves_to_site_menus"), ("sitesettings", "0003_footer_pages_into_menu")]


@pytest.mark.django_db(transaction=True)
def test_pages_listed_in_the_footer_become_footer_menu_items_in_order():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Page, SiteSettings, MenuItem = (old.get_model(*name) for name in (("pages", "Page"), ("sitesettings", "SiteSettings"), ("sitesettings", "MenuItem")))
    row = SiteSettings.objects.create(pk=1)
    MenuItem.objects.create(site=row, menu="footer", position=4, label="Jobs", url="/jobs/")
    Page.objects.create(title="Privacy", slug="privacy", in_footer=True, position=2)
    Page.objects.create(title="About", slug="about", in_footer=True, position=1)
    Page.objects.create(title="Terms", slug="terms", in_footer=False, position=0)
    Page.objects.create(title="Draft", slug="draft", in_footer=True, is_published=False, position=3)

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    NewItem = new.get_model("sitesettings", "MenuItem")
    items = [(i.position, i.page.slug if i.page_id else i.url) for i in NewItem.objects.order_by("position", "id")]
    assert items == [(4, "/jobs/"), (5, "about"), (6, "privacy"), (7, "draft")]

    call_command("migrate", verbosity=0)  # as a deploy does: the stored look is rebuilt after

    footer = Client().get("/").content.decode().split("<footer", 1)[1]
    assert footer.index('href="/jobs/"') < footer.index('href="/page/about/"') < footer.index('href="/page/privacy/"')
    assert "/page/terms/" not in footer and "/page/draft/" not in footer, "unpublished and unlisted stay out"
