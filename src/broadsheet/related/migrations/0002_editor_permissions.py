"""Editors may pin and exclude related stories."""

from django.db import migrations

CODENAMES = [
    f"{action}_{model}"
    for model in ("relatedpin", "relatedexclusion")
    for action in ("add", "change", "delete", "view")
]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editor, _ = Group.objects.get_or_create(name="Editor")
    editor.permissions.add(
        *Permission.objects.filter(content_type__app_label="related", codename__in=CODENAMES)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editor = Group.objects.filter(name="Editor").first()
    if editor:
        editor.permissions.remove(
            *Permission.objects.filter(content_type__app_label="related", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("related", "0001_initial"),
        ("newsroom", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
