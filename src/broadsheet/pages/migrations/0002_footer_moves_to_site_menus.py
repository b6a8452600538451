"""The footer's list of pages is now the site's footer menu (sitesettings): the pages were
copied into it by sitesettings 0003, so the page's own footer fields go."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('pages', '0001_initial'),
        ('sitesettings', '0003_footer_pages_into_menu'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='page',
            options={'ordering': ['title']},
        ),
        migrations.RemoveField(
            model_name='page',
            name='in_footer',
        ),
        migrations.RemoveField(
            model_name='page',
            name='position',
        ),
        migrations.AlterField(
            model_name='page',
            name='is_published',
            field=models.BooleanField(default=True, help_text='Unpublished: its address answers 404 and menus hide it.'),
        ),
    ]
