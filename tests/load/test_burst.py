"""A campaign link shared at a school assembly: many phones at once, some on flaky
connections, and a worker that dies part-way. Nothing confirmed may be lost or doubled."""

from __future__ import annotations

import os
import signal
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import create_engine, text

from app.config import normalise_database_url
from tests.support.respondent import Respondent, start_send_and_stall

RESPONDENTS = 36
AT_ONCE = 12


def codes_added_since(database_url: str, before: list[str]) -> list[str]:
    """Codes of the complete WEMWBS responses stored since `before` was read: the demo's
    own answers are already there."""
    return sorted((Counter(stored_codes(database_url)) - Counter(before)).elements())


def stored_codes(database_url: str) -> list[str]:
    engine = create_engine(normalise_database_url(database_url))
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT participant.code FROM response "
                "JOIN participant ON participant.id = response.participant_id "
                "JOIN campaign ON campaign.id = response.campaign_id "
                "WHERE campaign.instrument_id = 'wemwbs' AND response.complete"
            )
        ).all()
    engine.dispose()
    return [code for (code,) in rows]


def wemwbs_token(database_url: str) -> str:
    engine = create_engine(normalise_database_url(database_url))
    with engine.connect() as connection:
        token = connection.execute(
            text("SELECT token FROM campaign WHERE instrument_id = 'wemwbs'")
        ).scalar_one()
    engine.dispose()
    return token


def run_burst(server, during=None):
    token = wemwbs_token(server.database_url)
    respondents = [Respondent(server.url) for _ in range(RESPONDENTS)]
    confirmed: list[str] = []
    lock = threading.Lock()

    def one(index: int):
        code = respondents[index].complete(
            token, value_index=index % 5, retry_submit=index % 3 == 0
        )
        with lock:
            confirmed.append(code)
            done = len(confirmed)
        if during:
            during(done)

    with ThreadPoolExecutor(AT_ONCE) as pool:
        list(pool.map(one, range(RESPONDENTS)))
    return confirmed, respondents


def test_a_burst_of_phones_with_flaky_retries_stores_each_confirmed_response_once(server):
    before = stored_codes(server.database_url)
    confirmed, respondents = run_burst(server)

    assert sum(r.server_errors for r in respondents) == 0
    assert len(confirmed) == RESPONDENTS
    assert codes_added_since(server.database_url, before) == sorted(confirmed)


def test_a_worker_killed_mid_request_loses_nothing_and_the_retry_succeeds(server):
    before = stored_codes(server.database_url)
    token = wemwbs_token(server.database_url)
    stalled = Respondent(server.url)
    check = stalled.answer_everything(token)
    outcome = {}

    def kill_the_worker_holding_a_send(done: int):
        if done != RESPONDENTS // 3 or outcome:
            return
        sock = start_send_and_stall(server.url, token, stalled, check)
        pid = server.worker_serving(sock.getsockname()[1])
        os.kill(pid, signal.SIGKILL)
        outcome["killed"] = pid
        # The phone sees its connection drop: no answer at all, and certainly no 5xx.
        try:
            outcome["reply"] = sock.recv(1024)
        except ConnectionResetError:
            outcome["reply"] = b""
        sock.close()
        outcome["code"] = stalled.send(token, check)

    confirmed, respondents = run_burst(server, during=kill_the_worker_holding_a_send)

    assert outcome["killed"] and outcome["reply"] == b""
    assert sum(r.server_errors for r in [*respondents, stalled]) == 0
    assert len(confirmed) == RESPONDENTS
    assert codes_added_since(server.database_url, before) == sorted([*confirmed, outcome["code"]])
    assert len(server.worker_pids()) == 2, "gunicorn did not replace the killed worker"
