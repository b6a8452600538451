"""Rate limits hold when requests arrive together: counted and checked in one atomic step, on the
file cache and on Redis, across threads of a live server and across processes."""

import multiprocessing
import time

import pytest

from broadsheet.submissions import conf as submissions_conf
from broadsheet.submissions.models import Submission
from tests.accounts.test_sign_in_under_attack import all_at_once
from tests.conftest import make_section
from tests.core import counting
from tests.liveserver import Session
from tests.submissions.helpers import form_data


def test_processes_counting_together_never_pass_the_limit():
    scope = f"parallel-{time.time_ns()}"
    context = multiprocessing.get_context("spawn")
    with context.Pool(6) as pool:
        pool.map(time.sleep, [0] * 6)  # every process has started
        start_at = time.time() + 3  # and has set Django up by then
        results = pool.starmap(counting.hits_at, [(start_at, scope, 60, 100)] * 6, chunksize=1)
    allowed = sum(1 for hits in results for over in hits if not over)
    assert allowed == 100


@pytest.mark.django_db(transaction=True)
def test_publish_posts_sent_together_from_one_address_keep_to_the_limit(live_server):
    section = make_section("News")
    limit = submissions_conf.ip_rate()[0]
    sessions = [Session(live_server.url) for _ in range(12)]
    tokens = [session.form_token("/publish/") for session in sessions]

    def send(n):
        data = form_data(
            section,
            body=f"Story number {n}. " + form_data(section)["body"],
            contributor_email=f"writer{n}@example.net",
            form_key=f"parallel-key-{n}-abcdefghijklmnop",
        )
        return sessions[n].post("/publish/", {**data, "csrfmiddlewaretoken": tokens[n]})

    results = all_at_once(12, send)
    statuses = sorted(status for status, _h, _b in results)
    assert statuses.count(302) == limit, statuses
    assert statuses.count(429) == 12 - limit
    assert Submission.objects.count() == limit
