"""Editors moderate comments: give the Editor group every comments permission."""

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
    editor.permissions.add(*Permission.objects.filter(content_type__app_label="comments"))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Editor"):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="comments"))


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0001_initial"),
        ("newsroom", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
