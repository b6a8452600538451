import pytest


@pytest.fixture(autouse=True)
def _one_connection(settings):
    """A test's rows are in its own open transaction, which other threads cannot see; the
    threaded sender is covered by the benchmark and the transactional test below."""
    settings.BROADSHEET_NEWSLETTERS_CONNECTIONS = 1
