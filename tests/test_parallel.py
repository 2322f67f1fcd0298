"""Parallel builds write exactly what one process writes: `--jobs 2` (forked worker processes)
and `--dask ADDRESS` (the per-document stage on a Dask cluster that the test starts, two worker
processes on this machine, merged and rendered here)."""

from __future__ import annotations

import hashlib
import json
import pickle
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from geomap.cli import main
from geomap.pipeline import CHUNK_DOCUMENTS

DOCUMENTS = 3 * CHUNK_DOCUMENTS + 2


def digest_tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    from bench.corpus import write_corpus

    return write_corpus(tmp_path_factory.mktemp("parallel") / "corpus", DOCUMENTS)


def build_args(repo: Path, seeds: Path, out: Path, *more: str) -> list[str]:
    return ["build", "--seeds", str(seeds), "--gazetteer", str(repo / "gazetteer"), "--out", str(out), "-q",
            "--no-cache", *more]


@pytest.fixture(scope="module")
def one_process(corpus, repo, tmp_path_factory) -> Path:
    """The corpus built in one process: what every parallel build must write, byte for byte."""
    out = tmp_path_factory.mktemp("parallel") / "jobs1"
    result = CliRunner().invoke(main, build_args(repo, corpus, out, "--jobs", "1"))
    assert result.exit_code == 0, result.output
    return out


def test_worker_processes_write_exactly_what_one_process_writes(corpus, one_process, repo, tmp_path):
    """Through the command, in a process of its own (the test's process runs threads, and a build
    there reads in-process: see pipeline.workers_for)."""
    out, timings = tmp_path / "jobs2", tmp_path / "jobs2.json"
    subprocess.run([sys.executable, "-m", "geomap", *build_args(repo, corpus, out, "--jobs", "2", "--timings",
                                                                  str(timings))], check=True, capture_output=True)
    report = json.loads(timings.read_text(encoding="utf-8"))
    assert report["workers"] == 2
    assert digest_tree(out) == digest_tree(one_process)
    assert (out / "events.csv").read_text(encoding="utf-8").count("\n") > DOCUMENTS
    # the workers' own CPU time is counted, document by document
    assert report["stages"]["events"]["calls"] == DOCUMENTS
    assert report["stages"]["events"]["cpu_s"] > 0
    # the exports were written by forked processes while this one merged the events and drew the map
    for exports in ("mention exports", "event exports"):
        assert f"{exports} wait" in report["stages"] and report["stages"][exports]["cpu_s"] > 0


def test_a_forked_child_dies_with_its_parent(tmp_path):
    """A build killed half-way must not leave its child behind: the child holds the output folder's
    lock, and the next build would wait for it for ever."""
    code = ("import os, signal, time\nfrom geomap import forked\n"
            "elsewhere = forked.start(lambda: time.sleep(60))\n"
            "print(elsewhere.process.pid, flush=True)\ntime.sleep(0.5)\nos.kill(os.getpid(), signal.SIGKILL)\n")
    with (tmp_path / "pid").open("w") as pid:  # not a pipe: the child would hold it open
        subprocess.run([sys.executable, "-c", code], stdout=pid, timeout=30)
    child = Path("/proc") / (tmp_path / "pid").read_text().split()[0]
    for _ in range(100):
        if not child.exists() or (child / "stat").read_text().split(") ")[-1].startswith("Z"):
            break
        time.sleep(0.05)
    else:
        pytest.fail("the child outlived its parent by five seconds")


def test_work_handed_to_a_process_that_dies_is_done_here():
    """Run in a child of its own: the test's process runs threads, where nothing is forked."""
    code = ("import os\nfrom geomap import forked\n"
            "elsewhere = forked.start(lambda: os._exit(3))\nassert elsewhere is not None\n"
            "print(elsewhere.result(lambda: 'done here'))\n"
            "print(forked.start(lambda: 6 * 7).result(lambda: 'not here'))\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.split() == ["done", "here", "42"]


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  worker_dashboard_address=None) as local:
        yield local.scheduler_address


def test_a_build_on_a_dask_cluster_writes_what_a_local_build_writes(cluster, corpus, one_process, repo, tmp_path):
    on_cluster = CliRunner().invoke(main, build_args(repo, corpus, tmp_path / "dask", "--dask", cluster,
                                                "--timings", str(tmp_path / "dask.json")))
    assert on_cluster.exit_code == 0, on_cluster.output
    assert digest_tree(tmp_path / "dask") == digest_tree(one_process)
    report = json.loads((tmp_path / "dask.json").read_text(encoding="utf-8"))
    assert report["workers"] == 2
    # every document was read on the workers, whose CPU time comes back with the results
    assert report["stages"]["events"]["calls"] == DOCUMENTS
    assert report["stages"]["events"]["cpu_s"] > 0


def test_workers_running_other_code_are_refused_before_any_document_is_sent(cluster, corpus, repo, tmp_path,
                                                                            monkeypatch):
    import geomap.cluster

    sent = []
    monkeypatch.setattr(geomap.cluster, "code_version", lambda: "not-the-workers-code")
    monkeypatch.setattr(geomap.cluster, "run_on_cluster", lambda *args: sent.append(args) or iter(()))
    result = CliRunner().invoke(main, build_args(repo, corpus, tmp_path / "out", "--dask", cluster))
    assert result.exit_code == 1
    assert "2 Dask worker(s) run other geomap code than this build" in result.output
    assert "Traceback" not in result.output and not sent
    assert not (tmp_path / "out").exists()


def test_an_unreachable_scheduler_is_one_clear_error(corpus, repo, tmp_path, monkeypatch):
    import socket

    import geomap.cluster

    monkeypatch.setattr(geomap.cluster, "CONNECT_TIMEOUT_S", 1)
    with socket.socket() as closed:  # a port nobody listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    result = CliRunner().invoke(main, build_args(repo, corpus, tmp_path / "out", "--dask", f"tcp://127.0.0.1:{port}"))
    assert result.exit_code == 1
    assert f"cannot reach the Dask scheduler at tcp://127.0.0.1:{port}" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_dask_and_online_together_are_refused(corpus, repo, tmp_path):
    result = CliRunner().invoke(main, build_args(repo, corpus, tmp_path / "out", "--dask", "tcp://127.0.0.1:1",
                                                 "--online"))
    assert result.exit_code == 2
    assert "--dask cannot be used with --online" in result.output


def test_a_worker_without_the_index_opens_the_copy_it_was_sent(parts, tmp_path):
    """A worker on another machine has no file at the build's path: the copy the build sent it is
    written in the worker's folder, and the index it receives opens that copy."""
    from geomap.cluster import copy_index
    from geomap.gazetteer import geonames as geonames_module
    from geomap.gazetteer.geonames import GeoNamesIndex

    index = parts[0].geonames
    elsewhere = GeoNamesIndex.__new__(GeoNamesIndex)
    elsewhere.__setstate__({"path": tmp_path / "not-here" / index.path.name})
    with pytest.raises(FileNotFoundError, match="is not on this machine"):
        elsewhere.lookup("Poipet")
    try:
        copy_index(elsewhere.path, index.path.read_bytes(), tmp_path / "worker")
        received = pickle.loads(pickle.dumps(elsewhere))
        assert (tmp_path / "worker" / index.path.name).is_file()
        assert [g.geonameid for g in received.lookup("Poipet")] == [g.geonameid for g in index.lookup("Poipet")]
        assert received.lookup("Poipet")
    finally:
        geonames_module._COPIES.pop(index.path.name, None)


def test_the_snapshot_sent_to_workers_needs_no_file_of_the_build(corpus, gazetteer_copy, tmp_path, monkeypatch):
    """A worker on another machine has none of the build's files: the pipeline it receives reads the
    same results with the gazetteer folder gone (only the GeoNames index is sent apart)."""
    import shutil

    import geomap.build
    from geomap.documents import scan_documents
    from geomap.settings import Settings

    captured = []
    real = geomap.build._document_results
    monkeypatch.setattr(geomap.build, "_document_results",
                        lambda pipeline, *args, **kwargs: captured.append(pipeline) or real(pipeline, *args, **kwargs))
    geomap.build.build(Settings(seeds_dir=corpus, gazetteer_dir=gazetteer_copy, out_dir=tmp_path / "out",
                                document_cache=None, jobs=1))
    sent = pickle.dumps(captured[0])
    shutil.rmtree(gazetteer_copy)
    received = pickle.loads(sent)
    documents = scan_documents(corpus).documents[:4]
    results = [received.run(document) for document in documents]
    assert results == [captured[0].run(document) for document in documents]
    assert all(result.events and result.facts for result in results)


def test_results_from_other_processes_share_their_places_and_candidates(parts, tmp_path):
    # a result comes from a worker or the store as a pickle: the same place named in a thousand
    # documents must come back as one object, not a thousand (a tenth of a large build's memory)
    from conftest import write_doc
    from geomap.documents import read_documents

    finder, resolver = parts
    write_doc(tmp_path, "a.txt", "Police raided a casino in Poipet. Poipet's governor and officials in Cambodia spoke.")
    doc, = read_documents(tmp_path)
    resolved = resolver.resolve_document(finder.find(doc).mentions)
    first, second = pickle.loads(pickle.dumps(resolved)), pickle.loads(pickle.dumps(resolved))
    assert first == resolved
    assert [r.place for r in first] == [r.place for r in second]
    assert all(a.place is b.place for a, b in zip(first, second))
    assert all(a is b for r, s in zip(first, second) for a, b in zip(r.candidates, s.candidates))
    assert first[0].place is first[1].place  # Poipet, twice
