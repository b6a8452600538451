"""A menu item may link a static page by reference (the pages listed in the footer move into the
footer menu in 0003: PostgreSQL cannot index a table with rows written in the same transaction)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('pages', '0001_initial'),
        ('sitesettings', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='menuitem',
            name='page',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='menu_items', to='pages.page'),
        ),
        migrations.AlterField(
            model_name='menuitem',
            name='label',
            field=models.CharField(blank=True, help_text="Empty: the section's name or the page's title.", max_length=60),
        ),
        migrations.AlterField(
            model_name='menuitem',
            name='url',
            field=models.CharField(blank=True, help_text='A link (/about/, https://...), when no section or page.', max_length=500),
        ),
    ]
