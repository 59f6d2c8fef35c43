"""`make bench`'s PDF pack stage, end to end on a small synthetic database: the benchmark
builds the database, signs in as its commissioner and times the typical provider's pack,
as `make bench BENCH_ARGS="--stages packs"` does. The timings themselves are the
benchmark's business (no time limit here); this checks that what it times is what a
commissioner gets: a pack of 12 pages or fewer, drawn in the background once the evidence
page is viewed, and kept for repeat downloads."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.support.servers import REPO_ROOT


def test_the_pack_benchmark_times_a_real_pack_and_its_background_drawing(tmp_path):
    output = tmp_path / "bench.json"
    subprocess.run(
        [sys.executable, "-m", "tests.bench.run", "--stages", "packs",
         "--evidence-sizes", "2000", "--evidence-seed", "5", "--pack-backends", "sqlite",
         "--pack-first", "1", "--output", str(output)],
        cwd=REPO_ROOT, check=True, capture_output=True, text=True, timeout=900,
    )  # fmt: skip

    (timings,) = json.loads(output.read_text())["packs"]["runs"]

    assert timings["total_responses"] == 2000
    assert 1 <= timings["pages"] <= 12
    for stage in ("first_build", "first_build_after_page", "download_after_reading"):
        assert len(timings[stage]["runs_ms"]) == 1 and timings[stage]["median_ms"] > 0
    # Viewing the page drew the PDF in the background: the download after it was not drawn
    # again, and neither was any repeat download while the figures were unchanged.
    assert timings["download_after_reading"]["drawn_again"] == 0
    assert timings["repeat_download"]["drawn_again"] == 0
    assert len(timings["repeat_download"]["runs_ms"]) == 10
