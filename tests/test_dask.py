"""`--engine dask`: the same corpus job on a Dask cluster gives the same results as a local run."""
import json
import logging
from pathlib import Path

import pytest

from corpus_stories import write_corpus
from quoth.corpus import expand_inputs, run_corpus

distributed = pytest.importorskip("distributed")


def _results(out: Path) -> dict:
    data = {}
    for p in sorted(out.glob("*.json")):
        d = json.loads(p.read_text())
        d.pop("timings")
        data[p.name] = d
    return data


def test_dask_local_cluster_gives_the_same_results_as_a_local_run(tmp_path):
    import pyarrow.parquet as pq

    src = write_corpus(tmp_path / "in")
    (src / "broken.txt").write_bytes(b"\x00\x01\x02 binary" * 10)
    local, dask_out = tmp_path / "local", tmp_path / "dask"
    assert run_corpus(expand_inputs([str(src)]), local, quiet=True) == 1

    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None, silence_logs=logging.ERROR) as cluster:
        rc = run_corpus(expand_inputs([str(src)]), dask_out, engine="dask",
                        scheduler=cluster.scheduler_address, quiet=True)
        assert rc == 1
        assert _results(dask_out) == _results(local)
        assert len(_results(local)) == 4
        errors = [json.loads(line) for line in (dask_out / "errors.jsonl").read_text().splitlines()]
        assert [e["work_id"] for e in errors] == ["broken"]
        for table in ("works", "quotes", "characters"):
            assert pq.read_table(dask_out / f"{table}.parquet").equals(pq.read_table(local / f"{table}.parquet"))

        # resume works the same on Dask: nothing left to do but the failed work
        (src / "broken.txt").unlink()
        assert run_corpus(expand_inputs([str(src)]), dask_out, engine="dask",
                          scheduler=cluster.scheduler_address, quiet=True) == 0
        manifest = (dask_out / ".quoth" / "manifest.jsonl").read_text().splitlines()
        assert len(manifest) == 4


def test_unreachable_scheduler_is_one_clear_error(tmp_path):
    from quoth.errors import QuothError

    import dask

    src = write_corpus(tmp_path / "in")
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}), \
            pytest.raises(QuothError, match="Dask scheduler"):
        run_corpus(expand_inputs([str(src)]), tmp_path / "out", engine="dask",
                   scheduler="tcp://127.0.0.1:9", quiet=True)



_RELEASE = None  # set by the test below: lets the hanging work go at the end


def _slow_for_stuck(job, data):
    """Module level so that Dask pickles it by reference; hangs on the work named "stuck"."""
    import quoth.corpus as corpus

    if job["work_id"] == "stuck":
        _RELEASE.wait(20)
    return corpus.analyse_work(dict(job, data=data))


def test_a_stuck_work_on_dask_is_given_up_alone(tmp_path, monkeypatch):
    """SIGALRM cannot reach Dask's worker threads: the driver cancels a task stuck past its limit,
    records it as a timeout and still writes every other work."""
    import threading
    import quoth.corpus as corpus

    global _RELEASE
    _RELEASE = threading.Event()
    src = write_corpus(tmp_path / "in")
    (src / "stuck.txt").write_text('"Wait," said Ann. "Please wait."\n', encoding="utf-8")
    monkeypatch.setattr(corpus, "_analyse_with_data", _slow_for_stuck)
    monkeypatch.setattr(corpus, "work_timeout", lambda nbytes: 0.5)
    monkeypatch.setattr(corpus, "HARD_KILL_GRACE_S", 1.0)
    out = tmp_path / "out"
    try:
        with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                      dashboard_address=None, silence_logs=logging.ERROR) as cluster:
            rc = run_corpus(expand_inputs([str(src)]), out, engine="dask",
                            scheduler=cluster.scheduler_address, quiet=True)
            _RELEASE.set()
    finally:
        _RELEASE.set()
    assert rc == 1
    errors = [json.loads(line) for line in (out / "errors.jsonl").read_text().splitlines()]
    assert [(e["work_id"], e["kind"]) for e in errors] == [("stuck", "timeout")]
    assert len(list(out.glob("*.json"))) == 4
