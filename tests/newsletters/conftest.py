import pytest

from broadsheet.settings import _email_settings

from .smtp import LocalSMTP


@pytest.fixture
def smtp(settings):
    """Email goes through a real SMTP server on 127.0.0.1, configured as EMAIL_URL would be."""
    with LocalSMTP() as server:
        for name, value in _email_settings(server.url).items():
            setattr(settings, name, value)
        yield server.inbox


@pytest.fixture(autouse=True)
def _one_connection(settings):
    """A test's rows are in its own open transaction, which other threads cannot see; the
    threaded sender is covered by the benchmark and the transactional test below."""
    settings.BROADSHEET_NEWSLETTERS_CONNECTIONS = 1
