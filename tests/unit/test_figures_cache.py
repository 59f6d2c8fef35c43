"""Evidence figures kept between requests: rebuilt when the data changes, bounded in number."""

import pytest

from app.evidence.figures_cache import FiguresCache


def test_figures_are_reused_only_while_the_data_version_is_the_same():
    cache = FiguresCache()
    builds = []

    def build(value):
        def make():
            builds.append(value)
            return value

        return make

    assert cache.get("page", (1, 10), build("first")) == "first"
    assert cache.get("page", (1, 10), build("again")) == "first"
    assert cache.get("page", (2, 11), build("newer")) == "newer"
    assert builds == ["first", "newer"]
    assert (cache.hits, cache.misses) == (1, 2)
    assert len(cache) == 1  # the older version is replaced, not kept beside it


def test_the_least_recently_used_figures_go_first_when_full():
    cache = FiguresCache(max_entries=2)
    cache.get("a", 0, lambda: "A")
    cache.get("b", 0, lambda: "B")
    cache.get("a", 0, lambda: "A again")  # "a" is now the most recent
    cache.get("c", 0, lambda: "C")
    assert len(cache) == 2
    assert cache.get("a", 0, lambda: "rebuilt") == "A"
    assert cache.get("b", 0, lambda: "rebuilt") == "rebuilt"


def test_a_cache_needs_room():
    with pytest.raises(ValueError):
        FiguresCache(max_entries=0)
