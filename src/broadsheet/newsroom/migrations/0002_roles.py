"""Roles as groups: Editor (everything in the newsroom) and Writer (own drafts, send to review)."""

from django.db import migrations

WRITER_PERMISSIONS = [
    ("newsroom", "add_article"),
    ("newsroom", "change_article"),
    ("newsroom", "view_article"),
    ("newsroom", "add_correction"),
    ("newsroom", "change_correction"),
    ("newsroom", "view_correction"),
    ("newsroom", "view_section"),
    ("newsroom", "view_tag"),
    ("newsroom", "add_tag"),
    ("newsroom", "view_author"),
    ("newsroom", "view_source"),
    ("newsroom", "view_revision"),
]


def create_roles(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editor, _ = Group.objects.get_or_create(name="Editor")
    editor.permissions.add(*Permission.objects.filter(content_type__app_label="newsroom"))
    writer, _ = Group.objects.get_or_create(name="Writer")
    for app_label, codename in WRITER_PERMISSIONS:
        writer.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editor", "Writer"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
