"""``gazetteer/geocoded.csv`` under SIGKILL: a process that keeps adding answers to the cache is
killed at random points while it writes; after each kill the file is complete and valid, holding
every row saved before the kill and no half of one."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import textwrap
import time

from geomap.resolve import GeocoderCache, validate_cache

WRITER = textwrap.dedent("""
    import sys
    from geomap.resolve import CacheRow, GeocoderCache

    path = sys.argv[1]
    cache = GeocoderCache.load(path)
    start = len(cache.rows)
    print("ready", flush=True)
    for n in range(start, start + 100000):
        cache.record(CacheRow(query=f"Village {n:06d}", provider="nominatim", status="not_found",
                              retrieved="2024-06-01", notes="x" * 2000))
        cache.save()
""")


def test_killed_while_saving_the_cache_keeps_a_complete_file(tmp_path):
    path = tmp_path / "geocoded.csv"
    rng, kills, saved = random.Random(7), 0, 0
    while kills < 12:
        process = subprocess.Popen([sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True)
        assert process.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.0, 0.3))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        process.stdout.close()
        kills += 1
        if path.exists():
            assert validate_cache(path) == []
        rows = GeocoderCache.load(path).rows if path.exists() else {}
        numbers = sorted(int(query.split()[-1]) for query, _ in rows)
        assert numbers == list(range(len(numbers))), "a row lost or half-written"
        assert len(numbers) >= saved  # nothing saved before is ever lost
        saved = len(numbers)
    assert saved > 0
    finishing = subprocess.run([sys.executable, "-c", WRITER.replace("100000", "1"), str(path)],
                               capture_output=True, timeout=60)
    assert finishing.returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["geocoded.csv", "geocoded.csv.lock"]  # no temporaries
