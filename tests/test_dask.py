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
