"""The one row of moderation settings exists from the start, with the issue's defaults."""

from django.db import migrations


def create(apps, schema_editor):
    apps.get_model("comments", "ModerationSettings").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("comments", "0003_tally")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
