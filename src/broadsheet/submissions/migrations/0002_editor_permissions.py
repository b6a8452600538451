"""Editors review submissions and edit the guidelines: give the Editor group this app's permissions."""

from django.db import migrations


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editor, _ = Group.objects.get_or_create(name="Editor")
    editor.permissions.add(*Permission.objects.filter(content_type__app_label="submissions"))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Editor"):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="submissions"))


class Migration(migrations.Migration):
    dependencies = [
        ("submissions", "0001_initial"),
        ("newsroom", "0002_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
