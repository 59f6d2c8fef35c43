"""`make bench`'s PDF pack stage, end to end on a small synthetic database: it builds the
database the way the benchmark does, signs in as its commissioner, and times the typical
provider's pack. The timings themselves are the benchmark's business (no time limit here);
this checks that what it times is what a commissioner gets: a pack of 12 pages or fewer,
drawn in the background once the evidence page is viewed, and kept for repeat downloads."""

from __future__ import annotations

from tests.bench.run import evidence_database, provider_pdf


def test_the_pack_benchmark_times_a_real_pack_and_its_background_drawing(tmp_path):
    url, build = evidence_database("sqlite", 2000, 5, tmp_path, postgres="")
    assert "2,000 responses" in build["summary"]

    timings = provider_pdf(url, first=1, repeat=2)

    assert timings["total_responses"] == 2000
    assert 1 <= timings["pages"] <= 12
    for stage in ("first_build", "first_build_after_page", "download_after_reading"):
        assert len(timings[stage]["runs_ms"]) == 1 and timings[stage]["median_ms"] > 0
    # Viewing the page drew the PDF in the background: the download after it was not drawn
    # again, and neither was any repeat download while the figures were unchanged.
    assert timings["download_after_reading"]["drawn_again"] == 0
    assert timings["repeat_download"]["drawn_again"] == 0
    assert len(timings["repeat_download"]["runs_ms"]) == 2
