"""The per-document stage on a Dask cluster: ``geomap build --dask ADDRESS``.

The stage is a function of the document and the gazetteer snapshot alone (``pipeline.py``), so the
snapshot goes to every worker once and the documents go to them in chunks; results come back in
the documents' order, and the merge and the rendering stay here. The output is the same as a local
build's, byte for byte. The workers need geomap installed with the same code (checked before any
document is sent) and nothing else: the GeoNames index travels with the snapshot when a worker's
machine does not have the build's copy.
"""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Sequence

from .document_cache import code_version
from .errors import ClusterError
from .gazetteer.geonames import GeoNamesIndex, use_copy
from .pipeline import Computed, DocumentPipeline, chunks_of, run_chunk, unpacked
from .records import Document
from .timings import Timings

#: How long to wait for the scheduler to answer before giving up.
CONNECT_TIMEOUT_S = 30


def _distributed():
    try:
        import distributed
    except ImportError:
        raise ClusterError("--dask needs Dask's distributed scheduler: pip install 'geomap[dask]'") from None
    return distributed


@contextmanager
def connect(address: str) -> Iterator:
    """A client of the scheduler at ``address`` (tcp://host:8786), closed on leaving."""
    distributed = _distributed()
    try:
        client = distributed.Client(address, timeout=CONNECT_TIMEOUT_S, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as error:
        raise ClusterError(f"cannot reach the Dask scheduler at {address}: {error}") from None
    try:
        yield client
    finally:
        client.close()


def worker_count(client) -> int:
    return len(client.scheduler_info().get("workers", {}))


def _index_plugin(index: GeoNamesIndex):
    distributed = _distributed()

    class GeoNamesOnWorker(distributed.WorkerPlugin):
        """Gives a worker whose machine lacks the build's GeoNames index a copy in its own folder."""

        idempotent = True
        name = f"geomap-geonames-{index.path.name}"

        def __init__(self, path: Path, data: bytes):
            self.path, self.data = path, data

        def setup(self, worker) -> None:
            copy_index(self.path, self.data, Path(worker.local_directory))

    return GeoNamesOnWorker(index.path, index.path.read_bytes())


def copy_index(path: Path, data: bytes, folder: Path) -> None:
    """Where ``path`` is missing, write ``data`` beside the worker (atomically) and use that copy."""
    if path.is_file():
        return
    copy = folder / path.name
    if not copy.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".geonames-", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, copy)
    use_copy(copy)


def prepare(client, pipeline: DocumentPipeline, geonames: GeoNamesIndex) -> None:
    """Check that every worker runs this code, and give each one the GeoNames index it lacks."""
    if worker_count(client) == 0:
        raise ClusterError("the Dask scheduler has no workers")
    ours = code_version()
    try:
        theirs = client.run(_worker_code_version)
    except Exception as error:  # a worker without geomap, or one lost
        raise ClusterError(f"the Dask workers cannot run geomap: {type(error).__name__}: {error}") from None
    different = sorted(worker for worker, version in theirs.items() if version != ours)
    if different:
        raise ClusterError(f"{len(different)} Dask worker(s) run other geomap code than this build "
                           f"(e.g. {different[0]}): install the same geomap on them")
    try:
        client.register_plugin(_index_plugin(geonames))
    except Exception as error:
        raise ClusterError(f"cannot give the Dask workers the GeoNames index: {type(error).__name__}: {error}") \
            from None


def _worker_code_version() -> str:
    # looked up when it runs, on the worker: its geomap's code, not the copy this build has
    return code_version()


def run_on_cluster(client, pipeline: DocumentPipeline, documents: Sequence[Document],
                   timings: Timings) -> Iterator[Computed]:
    """What the build keeps of each document's result (``pipeline.run_documents``), in the documents'
    order, computed on the cluster's workers."""
    if not documents:
        return
    try:
        snapshot = client.scatter(pipeline, broadcast=True, hash=False)
    except Exception as error:
        raise ClusterError(f"cannot send the gazetteer snapshot to the Dask workers: {type(error).__name__}: "
                           f"{error}") from None
    chunks = chunks_of(documents)
    futures = client.map(run_chunk, chunks, pipeline=snapshot, pure=False)
    try:
        for chunk, future in zip(chunks, futures):
            try:
                payloads, worker_timings = future.result()
            except Exception as error:  # anything a worker raised, or a worker lost
                raise ClusterError(f"the Dask cluster failed on {chunk[0].name}..{chunk[-1].name}: "
                                   f"{type(error).__name__}: {error}") from None
            future.release()
            timings.merge(worker_timings)
            yield from ((unpacked(payload), payload) for payload in payloads)
    finally:
        client.cancel(futures)
        snapshot.release()
