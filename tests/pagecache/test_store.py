"""The shared state and the gzip splicing, checked directly."""

import gzip
import os

import pytest

from broadsheet.pagecache import csrf, entry
from broadsheet.pagecache.local import LocalStore


def test_two_processes_share_the_generation_through_the_state_file(tmp_path, settings):
    # Two stores on one file stand for two worker processes.
    first = LocalStore(path=tmp_path / "state")
    second = LocalStore(path=tmp_path / "state")
    generation, next_at = first.state()
    assert second.state() == (generation, next_at)
    assert first.bump(1234.5) == generation + 1
    assert second.state() == (generation + 1, 1234.5)


def test_only_one_process_refreshes_a_due_schedule(tmp_path):
    first = LocalStore(path=tmp_path / "state")
    second = LocalStore(path=tmp_path / "state")
    assert first.claim_rollover() is True
    assert second.claim_rollover() is False
    first.bump(float("inf"))
    assert second.claim_rollover() is True


def test_new_state_file_starts_from_a_fresh_generation(tmp_path):
    generation, next_at = LocalStore(path=tmp_path / "state").state()
    assert generation > 1_000_000_000_000  # time-based, never an old number again
    assert next_at == 0.0  # unknown: the first request looks the schedule up


@pytest.mark.parametrize("pieces", [[b"only one piece " * 100], [b"a" * 10, b"b" * 3000, b"", b"c" * 700]])
def test_spliced_gzip_decompresses_to_the_page(pieces):
    token = csrf.mask(csrf.new_secret()).encode()
    parts = entry.compress(pieces)
    body = token.join(pieces)
    packed = parts[0] if len(pieces) == 1 else entry.splice_gzip(parts, token, body)
    assert gzip.decompress(packed) == body


def test_random_strings_use_the_csrf_alphabet_evenly():
    drawn = "".join(csrf.random_string(32) for _ in range(3000))
    assert set(drawn) <= set(csrf._ALPHABET)
    counts = [drawn.count(c) for c in csrf._ALPHABET]
    assert min(counts) > 0.7 * len(drawn) / 62
    assert os.urandom  # drawn from the system's random source


def test_token_finder_ignores_lookalike_strings():
    secret = csrf.new_secret()
    token = csrf.mask(secret)
    other = csrf.mask(csrf.new_secret())
    body = f"<p>{'x' * 64}</p><input value='{token}'><i>{other}</i>{token}z".encode()
    pieces = csrf.split_on_tokens(body, secret)
    assert len(pieces) == 2  # the token glued to "z" is part of a longer word and stays
    assert other.encode() in pieces[1]


def test_store_follows_the_default_cache(settings):
    from broadsheet.pagecache import get_store
    from broadsheet.pagecache.conf import uses_redis
    from broadsheet.pagecache.redis import RedisStore

    assert isinstance(get_store(), RedisStore if uses_redis() else LocalStore)


def test_redis_store_shares_state_between_processes(settings):
    from broadsheet.pagecache.conf import uses_redis

    if not uses_redis():
        pytest.skip("needs Redis (set REDIS_URL)")
    from broadsheet.pagecache.redis import RedisStore
    from tests.conftest import wait_for

    first, second = RedisStore(), RedisStore()
    generation, _ = first.state()
    assert first.bump(99.5) == generation + 1
    # Another process hears of a change through the subscription: within moments, not at once.
    assert wait_for(lambda: second.state() == (generation + 1, 99.5), timeout=5)
    assert first.claim_rollover() is True
    assert second.claim_rollover() is False
    second.bump(float("inf"))
    assert wait_for(lambda: first.state()[1] == float("inf"), timeout=5)


def _redis_store():
    from broadsheet.pagecache.conf import uses_redis

    if not uses_redis():
        pytest.skip("needs Redis (set REDIS_URL)")
    from broadsheet.pagecache.redis import RedisStore

    return RedisStore()


def test_redis_workers_learn_of_a_change_without_asking_on_every_request(monkeypatch):
    from tests.conftest import wait_for

    publisher, watcher = _redis_store(), _redis_store()
    generation, _ = watcher.state()
    assert wait_for(lambda: watcher._watched is not None)  # subscribed
    asked = []
    real_mget = watcher.client.mget
    monkeypatch.setattr(watcher.client, "mget", lambda *keys: asked.append(keys) or real_mget(*keys))
    for _ in range(50):
        assert watcher.state()[0] >= generation
    assert not asked  # fifty page hits, no round trip to Redis
    new = publisher.bump(1234.5)
    assert wait_for(lambda: watcher.state() == (new, 1234.5), timeout=5)
    assert publisher.state() == (new, 1234.5)  # the worker that changed it sees it at once


def test_redis_state_is_read_per_request_while_the_subscription_is_down(settings):
    settings.BROADSHEET_PAGECACHE_REDIS_WATCH = False
    store, other = _redis_store(), _redis_store()
    assert store.watch is False
    new = other.bump(77.0)
    assert store.state() == (new, 77.0)


def test_a_writer_that_dies_holding_the_lock_never_hangs_the_others(tmp_path):
    # The lock is flock(): the kernel releases it when its holder dies, half-way or not.
    import signal
    import threading

    path = tmp_path / "state"
    store = LocalStore(path=path)
    pid = os.fork()
    if pid == 0:  # the writer: takes the lock, marks half its slots, dies
        child = LocalStore(path=path)
        child._locked().__enter__()
        from broadsheet.pagecache import local

        local.SLOT.pack_into(child._map, local.OFFSET + 8 * 3, 2**62)
        os.kill(os.getpid(), signal.SIGKILL)
    os.waitpid(pid, 0)
    done = threading.Event()
    threading.Thread(target=lambda: (store.purge((5,)), done.set()), daemon=True).start()
    assert done.wait(10), "a purge waited for a dead writer's lock"
    counter, _next = store.state()  # readers never wait at all
    assert store.purged((5,)) == counter


def test_purging_a_key_leaves_pages_of_other_keys_current(tmp_path):
    from broadsheet.pagecache.base import slots_of

    store = LocalStore(path=tmp_path / "state")
    rendered_at, _ = store.state()
    story, home = slots_of(["story-1"]), slots_of(["home"])
    store.purge(story)
    assert not store.is_current(rendered_at, story)
    assert store.is_current(rendered_at, home)
    assert store.is_current(store.state()[0], story)  # rendered after the purge: current
