"""The pages listed in the footer (the page's own in_footer flag, in its position order) become
items of the site's footer menu, after any the editors put there; reversible."""

from django.db import migrations


def footer_pages_to_menu(apps, schema_editor):
    Page = apps.get_model("pages", "Page")
    SiteSettings = apps.get_model("sitesettings", "SiteSettings")
    MenuItem = apps.get_model("sitesettings", "MenuItem")
    pages = list(Page.objects.filter(in_footer=True).order_by("position", "title"))
    if not pages:
        return
    row, _ = SiteSettings.objects.get_or_create(pk=1)
    # After the items the editors already put in the footer menu, in the pages' old order.
    start = max(MenuItem.objects.filter(site=row, menu="footer").values_list("position", flat=True), default=0) + 1
    for n, page in enumerate(pages):
        if not MenuItem.objects.filter(site=row, menu="footer", page=page).exists():
            MenuItem.objects.create(site=row, menu="footer", page=page, position=min(start + n, 32767))


def menu_to_footer_pages(apps, schema_editor):
    Page = apps.get_model("pages", "Page")
    MenuItem = apps.get_model("sitesettings", "MenuItem")
    for item in MenuItem.objects.filter(menu="footer", page__isnull=False):
        Page.objects.filter(pk=item.page_id).update(in_footer=True, position=min(item.position, 32767))
    Page.objects.exclude(pk__in=MenuItem.objects.filter(menu="footer", page__isnull=False).values("page")).update(in_footer=False)
    MenuItem.objects.filter(page__isnull=False).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('pages', '0001_initial'),
        ('sitesettings', '0002_menu_item_links_a_page'),
    ]

    operations = [
        migrations.RunPython(footer_pages_to_menu, menu_to_footer_pages),
    ]
