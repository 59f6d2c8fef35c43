"""The store charts and packs are kept by: bytes in a bounded memory shared through a
directory of whole files, pruned oldest first."""

from __future__ import annotations

import os

import pytest

from app.kept import Store


def test_two_workers_share_bytes_through_the_directory_and_leave_no_temporary_file(tmp_path):
    worker, other = Store(tmp_path), Store(tmp_path)
    worker._made("a.pdf", b"one")
    assert other._load("a.pdf") == b"one"
    with other._lock:
        assert other._recall("a.pdf") == b"one"
    assert (other.hits, other.disk_hits, other.misses, other.errors) == (1, 1, 0, 0)
    assert [path.name for path in tmp_path.iterdir()] == ["a.pdf"]


def test_memory_stays_within_its_bounds_and_an_entry_too_big_is_not_kept():
    store = Store(max_entries=2, max_bytes=10)
    for name in ("a", "b", "c"):
        store._remember(name, b"xx")
    assert len(store) == 2 and not store._holds("a") and store.size_in_bytes == 4
    store._remember("big", b"x" * 11)
    assert not store._holds("big") and len(store) == 2


def test_only_the_stores_own_files_are_pruned_oldest_first(tmp_path):
    class Notes(Store):
        FILES = "*.txt"

    notes = Notes(tmp_path, max_files=2)
    for number in range(4):
        notes._write(f"{number}.txt", b"note")
        os.utime(tmp_path / f"{number}.txt", ns=(number * 10**9, number * 10**9))
    (tmp_path / "keep.me").write_bytes(b"not a note")
    assert notes.prune() == 2
    assert sorted(path.name for path in tmp_path.iterdir()) == ["2.txt", "3.txt", "keep.me"]


def test_a_name_is_a_file_name_and_never_a_path(tmp_path):
    store = Store(tmp_path)
    for name in ("../escape", ".hidden", "a/b", ""):
        with pytest.raises(ValueError):
            store._read(name)


def test_clear_forgets_memory_and_counters_but_not_files(tmp_path):
    store = Store(tmp_path)
    store._made("a.csv", b"1,2")
    store.clear()
    assert len(store) == 0 and store.misses == 0
    assert Store(tmp_path)._load("a.csv") == b"1,2"


def test_a_store_needs_room():
    with pytest.raises(ValueError):
        Store(max_files=0)
