"""Built pack files are made once however many ask at the same moment, and a pack can be
started in the background (as the evidence page does) so that its download finds it made."""

from __future__ import annotations

import threading

from app.evidence.pack_cache import PackCache
from app.evidence.tables import Column, Pack, Section, Table
from app.models.timeutil import utcnow


def _pack(people: int = 12) -> Pack:
    table = Table(
        "people", "People", (Column("Measure"), Column("Now", "count")), (("People", people),)
    )
    return Pack(
        title="Evidence: Harbour Youth",
        scope="Harbour Youth",
        period="July to September 2026",
        previous_period="April to June 2026",
        generated_at=utcnow(),
        method=(("About", "Harbour Youth"),),
        sections=(Section(key="people", title="People", tables=(table,)),),
    )


class SlowBuild:
    """A build that waits until released, counting how often it ran."""

    def __init__(self):
        self.started = threading.Event()
        self.release = threading.Event()
        self.runs = 0

    def __call__(self, pack: Pack) -> bytes:
        self.runs += 1
        self.started.set()
        assert self.release.wait(10)
        return f"PDF of {pack.sections[0].tables[0].rows[0][1]} people".encode()


def test_a_request_that_finds_its_file_being_built_waits_for_it_rather_than_build_again(tmp_path):
    files = PackCache(tmp_path)
    build = SlowBuild()
    bodies = []
    first = threading.Thread(target=lambda: bodies.append(files.get(_pack(), "pdf", build)))
    first.start()
    assert build.started.wait(10)
    second = threading.Thread(target=lambda: bodies.append(files.get(_pack(), "pdf", build)))
    second.start()
    second.join(0.2)
    assert second.is_alive(), "the second request waits for the first build"
    build.release.set()
    first.join(10)
    second.join(10)
    assert bodies == [b"PDF of 12 people"] * 2
    assert build.runs == 1 and files.misses == 1 and files.waits == 1


def test_a_prepared_pack_is_ready_for_its_download(tmp_path):
    files = PackCache(tmp_path)
    build = SlowBuild()
    assert files.prepare(_pack(), "pdf", build)
    assert build.started.wait(10)
    # While it is being drawn, asking again starts nothing more.
    assert not files.prepare(_pack(), "pdf", build)
    assert not files.prepare(_pack(13), "pdf", build), "one background build at a time"
    build.release.set()
    assert files.get(_pack(), "pdf", build) == b"PDF of 12 people"
    assert build.runs == 1
    # Kept now: nothing to prepare until the figures change.
    assert not files.prepare(_pack(), "pdf", build)
    assert files.prepare(_pack(13), "pdf", lambda pack: b"PDF of 13 people")


def test_a_background_build_that_fails_leaves_the_download_to_build_it(tmp_path):
    files = PackCache(tmp_path)
    failed = threading.Event()

    def broken(pack):
        failed.set()
        raise RuntimeError("no fonts")

    assert files.prepare(_pack(), "pdf", broken)
    assert failed.wait(10)
    for _ in range(100):
        if files.errors:
            break
        threading.Event().wait(0.05)
    assert files.errors == 1
    assert files.get(_pack(), "pdf", lambda pack: b"drawn on download") == b"drawn on download"
