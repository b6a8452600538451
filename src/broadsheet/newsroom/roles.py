"""The newsroom's roles as groups: Editor (every Broadsheet permission) and Writer (own drafts).

Kept up to date after every migrate (and after the database flushes tests do), so a new app's
permissions reach editors without a migration of their own.
"""

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
    ("media", "view_picture"),
    ("media", "add_picture"),
]


def ensure_roles(sender, app_config=None, using="default", apps=None, **kwargs):
    """post_migrate receiver: give the Editor group every permission of each Broadsheet app."""
    if app_config is None or not app_config.name.startswith("broadsheet."):
        return
    from django.contrib.auth.models import Group, Permission

    editor, _ = Group.objects.using(using).get_or_create(name="Editor")
    writer, _ = Group.objects.using(using).get_or_create(name="Writer")
    editor.permissions.add(*Permission.objects.using(using).filter(content_type__app_label=app_config.label))
    for app_label, codename in WRITER_PERMISSIONS:
        if app_label == app_config.label:
            permission = (
                Permission.objects.using(using)
                .filter(content_type__app_label=app_label, codename=codename)
                .first()
            )
            if permission:
                writer.permissions.add(permission)
