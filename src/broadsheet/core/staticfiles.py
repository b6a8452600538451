"""Are the collected static files missing or older than their sources? (`broadsheet serve`
collects them then: without the manifest, every page that names a style answered 500.)"""

from django.conf import settings
from django.contrib.staticfiles.finders import get_finders
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage


def _collected_marker():
    root = settings.STATIC_ROOT
    if isinstance(staticfiles_storage, ManifestFilesMixin):
        return root / staticfiles_storage.manifest_name
    return root / "broadsheet"  # the project's own folder: present once anything was collected


def needs_collect():
    marker = _collected_marker()
    if not marker.exists():
        return True
    collected_at = marker.stat().st_mtime
    for finder in get_finders():
        for path, storage in finder.list([]):
            try:
                if storage.get_modified_time(path).timestamp() > collected_at:
                    return True
            except (OSError, NotImplementedError):
                continue
    return False
