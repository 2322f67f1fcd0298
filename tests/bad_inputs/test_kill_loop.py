"""The kill loop: SIGKILL at random points of a 300-document build, twenty times and more. Kept in a
file of its own so that it runs beside the rest of the suite, not after it."""

from __future__ import annotations

import random
import signal
import subprocess
import time
from pathlib import Path

from builds import build_command, siblings, tree_digest, write_corpus


def test_kill_loop_leaves_the_complete_old_or_new_build(tmp_path):
    """SIGKILL at random points of a 300-document build, half of them aimed at the writing and the
    swap: after each, the folder is byte for byte one complete build, and the next finished build
    leaves nothing behind."""
    corpora = {"A": write_corpus(tmp_path / "a", 300, "A"), "B": write_corpus(tmp_path / "b", 300, "B")}
    out = tmp_path / "site" / "maps"
    digests, durations = {}, []
    for name in ("A", "B"):
        started = time.monotonic()
        subprocess.run(build_command(corpora[name], out), check=True, capture_output=True, timeout=300)
        durations.append(time.monotonic() - started)
        digests[name] = tree_digest(out)
    assert digests["A"] != digests["B"]
    current, kills, rng = "B", 0, random.Random(20261126)
    for attempt in range(40):  # until 20 builds were killed: a build may finish before its kill
        if kills >= 20:
            break
        target = "A" if current == "B" else "B"
        process = subprocess.Popen(build_command(corpora[target], out), stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        if attempt % 2:  # aim at the end: once the build's own folder exists, a short random delay
            _wait_for_staging(out, process)
            time.sleep(rng.uniform(0, 0.4))
        else:
            time.sleep(rng.uniform(0, min(durations)))
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            kills += 1
        code = process.wait(timeout=300)
        found = tree_digest(out)
        assert found in (digests["A"], digests["B"]), f"attempt {attempt}: a mixed or partial folder"
        if code == 0:
            assert found == digests[target]
        current = "A" if found == digests["A"] else "B"
    assert kills >= 20
    subprocess.run(build_command(corpora["A"], out), check=True, capture_output=True, timeout=300)
    assert tree_digest(out) == digests["A"]
    assert siblings(out) == []


def _wait_for_staging(out: Path, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if any(p.name.startswith((f".{out.name}.build-", f".{out.name}.ready-")) for p in out.parent.iterdir()):
            return
        time.sleep(0.01)
