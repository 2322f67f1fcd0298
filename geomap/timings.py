"""Where a build's time goes: wall and CPU seconds per stage, and the peak memory reached by its end.

Stages that run once per document (find, resolve, events) add up over the documents; when they run
in worker processes, each worker measures its own CPU time and the build adds the workers' figures
to its own, so ``cpu_s`` is the work done wherever it was done.
"""

from __future__ import annotations

import resource
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field


#: A stage's peak memory is read again only this many seconds after its last reading.
PEAK_READ_EVERY_S = 1.0


@dataclass
class StageTime:
    wall_s: float = 0.0
    cpu_s: float = 0.0
    #: the process's peak resident memory when the stage last ended (it only grows); for a stage run
    #: once per document, read at most once a second (each reading opens a file)
    peak_mb: float = 0.0
    calls: int = 0
    read_at: float = field(default=-PEAK_READ_EVERY_S, repr=False, compare=False)


@dataclass
class Timings:
    stages: dict[str, StageTime] = field(default_factory=dict)

    @contextmanager
    def stage(self, name: str):
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            self.add(name, time.perf_counter() - wall, time.process_time() - cpu)

    def add(self, name: str, wall_s: float, cpu_s: float, calls: int = 1) -> None:
        entry = self.stages.setdefault(name, StageTime())
        entry.wall_s += wall_s
        entry.cpu_s += cpu_s
        entry.calls += calls
        now = time.perf_counter()
        if now - entry.read_at >= PEAK_READ_EVERY_S:
            entry.peak_mb, entry.read_at = peak_memory_mb(), now

    def merge(self, other: "Timings") -> None:
        """Add another process's CPU time per stage (its wall time overlaps ours and is not added)."""
        for name, entry in other.stages.items():
            mine = self.stages.setdefault(name, StageTime())
            mine.cpu_s += entry.cpu_s
            mine.calls += entry.calls

    def as_dict(self) -> dict[str, dict[str, float]]:
        return {name: {"wall_s": round(t.wall_s, 4), "cpu_s": round(t.cpu_s, 4), "peak_mb": round(t.peak_mb, 1),
                       "calls": t.calls} for name, t in self.stages.items()}


def peak_memory_mb() -> float:
    """This process's peak resident set size so far, in MB. On Linux, from /proc (VmHWM): the
    rusage figure carries over the size of the process that started this one (a large benchmark
    driver made every build it ran look as large as itself)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 2**10  # kB
    except (OSError, ValueError):
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10  # bytes on macOS, KiB elsewhere
