"""Corpus runs: many works → one output directory, in parallel, resumable.

    quoth analyze DIR | ZIP | GLOB ... -o OUTDIR [--jobs N] [--engine dask]

Layout of OUTDIR:
    <work_id>.json            one result per work (or .html/.jsonl/.csv with --format)
    works.parquet, quotes.parquet, characters.parquet   corpus tables (quoth.tables)
    errors.jsonl              one line per work that failed in the last run (absent if none)
    .quoth/manifest.jsonl     what is done: work id, input sha256, quoth version, options, outputs
    .quoth/json/<work_id>.json   the JSON the tables are built from, when --format is not json

Resuming: the parent hashes each input's bytes (cheap) and skips a work whose manifest
record has the same hash, quoth version and options and whose outputs still exist.
Outputs are written tmp + rename and recorded in the manifest only afterwards, so an
interrupted run loses at most the works in flight. One bad work is recorded in
errors.jsonl and never stops the run.

Workers (local processes or Dask) get the input *bytes* and return the rendered output
bytes; only the parent touches OUTDIR. So a remote Dask cluster needs no shared
filesystem (except for a --characters file, read by the workers at the same path).
"""
from __future__ import annotations

import functools
import glob
import hashlib
import os
import re
import sys
import time
import traceback
from collections import deque
from dataclasses import dataclass
from pathlib import Path

from .errors import QuothError
from .read import STORY_SUFFIXES

SUFFIXES = {"json": ".json", "html": ".html", "segments": ".jsonl", "csv": ".csv"}
STATE_DIR = ".quoth"
MANIFEST = "manifest.jsonl"
ERRORS = "errors.jsonl"


# ----------------------------------------------------------------------------- inputs

@dataclass
class InputItem:
    """One work to analyse: a file on disk, or a member of a zip archive."""
    name: str                  # display name and the story's `source`
    path: str                  # file path (or the zip's path)
    member: str | None = None  # member name inside a zip
    work_id: str = ""          # unique within a run; output file stem and table join key
    size: int = 0              # input bytes (for scheduling longest first and the ETA)

    @property
    def stem(self) -> str:
        return self.work_id or Path(self.member or self.path).stem

    def read_bytes(self) -> bytes:
        if self.member is None:
            try:
                return Path(self.path).read_bytes()
            except OSError as e:
                raise QuothError(f"{self.path}: cannot read ({e.strerror})") from None
        import zipfile
        try:
            return _open_zip(self.path).read(self.member)
        except (OSError, zipfile.BadZipFile, KeyError) as e:
            raise QuothError(f"{self.name}: cannot read from zip ({e})") from None

    def load(self):
        """A path (plain files) or a read `Story` (zip members), for `analyze`."""
        if self.member is None:
            return Path(self.path)
        from .read import read
        story = read(self.read_bytes(), name=self.name)
        story.source = self.name
        return story


@functools.lru_cache(maxsize=4)
def _open_zip(path: str):
    """Zips stay open for the run: reopening one per member would reread its whole
    directory each time (quadratic in the number of members)."""
    import zipfile
    return zipfile.ZipFile(path)


def _id_from(rel: str) -> str:
    """A file-name-safe work id from a relative path: 'Emma/novel_text.txt' → 'Emma__novel_text'."""
    rel = rel.replace("\\", "/")
    stem = rel[: -len(Path(rel).suffix)] if Path(rel).suffix else rel
    parts = [p for p in stem.split("/") if p not in ("", ".", "..")]
    return re.sub(r"[^\w.\-]+", "_", "__".join(parts)).strip("._") or "work"


def _glob_root(pattern: str) -> Path:
    """The fixed directory part of a glob pattern (`data/*/x.txt` → `data`)."""
    parts = Path(pattern).parts
    fixed = []
    for part in parts[:-1]:
        if any(ch in part for ch in "*?["):
            break
        fixed.append(part)
    return Path(*fixed) if fixed else Path(".")


def _story_files(folder: Path) -> list[Path]:
    return sorted(
        f for f in folder.rglob("*")
        if f.suffix.lower() in STORY_SUFFIXES and f.is_file()
        and not any(part.startswith(".") for part in f.relative_to(folder).parts)
    )


def expand_inputs(paths: list[str]) -> list[InputItem]:
    """Files, directories (recursive), zip archives and globs → works with unique ids.

    A work id is the path relative to the directory / zip / glob root, without suffix,
    '/' written '__' (PDNC's `Emma/novel_text.txt` → `Emma__novel_text`); a plain file's
    id is its stem, or, when files named one by one share a stem, their path below the
    folder they share. Ids that still collide get -2, -3 … in input order.
    """
    items: list[InputItem] = []
    plain: list[InputItem] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = _story_files(p)
            if not found:
                raise QuothError(f"{p}: directory contains no stories (.txt, .html, .epub)")
            items += [InputItem(str(f), str(f), None, _id_from(str(f.relative_to(p))), f.stat().st_size)
                      for f in found]
        elif p.suffix.lower() == ".zip" and p.is_file():
            import zipfile
            try:
                with zipfile.ZipFile(p) as z:
                    infos = sorted((i for i in z.infolist() if not i.is_dir()
                                    and Path(i.filename).suffix.lower() in STORY_SUFFIXES
                                    and not any(s.startswith((".", "__MACOSX")) for s in Path(i.filename).parts)),
                                   key=lambda i: i.filename)
            except (zipfile.BadZipFile, OSError):
                raise QuothError(f"{p}: not a valid zip file") from None
            if not infos:
                raise QuothError(f"{p}: zip contains no stories")
            items += [InputItem(f"{p}:{i.filename}", str(p), i.filename, _id_from(i.filename), i.file_size)
                      for i in infos]
        elif any(ch in raw for ch in "*?["):
            matched = sorted(glob.glob(raw, recursive=True))
            root = _glob_root(raw)
            files = []
            for m in map(Path, matched):
                if m.is_dir():
                    files += _story_files(m)
                elif m.is_file():
                    files.append(m)
            if not files:
                raise QuothError(f"{raw}: no files match")
            for f in files:
                try:
                    rel = str(f.relative_to(root))
                except ValueError:
                    rel = f.name
                items.append(InputItem(str(f), str(f), None, _id_from(rel), f.stat().st_size))
        else:
            if not p.exists():
                raise QuothError(f"{p}: no such file")
            items.append(InputItem(str(p), str(p), None, _id_from(p.name), p.stat().st_size))
            plain.append(items[-1])
    # files named one by one (a glob the shell expanded: pdnc/*/novel_text.txt) whose stems
    # collide are named like a quoted glob: by their path below the folder they share
    stems = [i.work_id.lower() for i in plain]
    if len(set(stems)) < len(stems):
        root = os.path.commonpath([str(Path(i.path).resolve().parent) for i in plain])
        for i in plain:
            i.work_id = _id_from(os.path.relpath(Path(i.path).resolve(), root))
    seen: dict[str, int] = {}
    for item in items:
        base = item.work_id
        n = seen.get(base.lower(), 0) + 1
        seen[base.lower()] = n
        if n > 1:
            item.work_id = f"{base}-{n}"
            seen[item.work_id.lower()] = 1
    return items


# ----------------------------------------------------------------------------- one work (runs in a worker)

def work_timeout(nbytes: int) -> float:
    """Seconds one work may take before it is abandoned: generous (≈ 12× the speed target)."""
    return 60.0 + 60.0 * nbytes / 600_000


HARD_KILL_GRACE_S = 30.0  # beyond twice the time limit, a work's worker process is killed


class WorkTimeout(Exception):
    pass


def _on_alarm(signum, frame):
    raise WorkTimeout()


def analyse_work(job: dict) -> dict:
    """Analyse one work's bytes and render its outputs. Never raises: failures come back as
    {"ok": False, "error": ...}. Runs in a worker process, a Dask worker or in-process."""
    import signal
    import threading

    t0 = time.perf_counter()
    use_alarm = bool(job.get("timeout")) and threading.current_thread() is threading.main_thread()
    if use_alarm:  # SIGALRM only works on the main thread (not on Dask's worker threads)
        old = signal.signal(signal.SIGALRM, _on_alarm)
        signal.setitimer(signal.ITIMER_REAL, job["timeout"])
    try:
        from . import export
        from .output import to_json_bytes
        from .pipeline import analyze
        from .read import read

        fmt, work_id = job["fmt"], job["work_id"]
        story = read(job["data"], name=job["name"])
        story.source = job["name"]
        story = analyze(story, characters=job.get("characters"))
        rendered = export.render(story, fmt)
        if isinstance(rendered, (bytes, bytearray)):
            main = Path(work_id + SUFFIXES[fmt])
            outputs = {main.name: bytes(rendered)}
            companions = getattr(export, "companion_files", None)  # csv: the cast beside the quotes
            if companions:
                outputs.update((p.name, data) for p, data in companions(story, fmt, main))
        else:  # a format that renders several parts: {"quotes.csv": b"...", ...}
            outputs = {f"{work_id}.{part.lstrip('.')}": data for part, data in dict(rendered).items()}
        table_json = None if fmt == "json" else to_json_bytes(story, include_text=False)
        return {"ok": True, "outputs": outputs, "table_json": table_json,
                "words": len(story.text.split()), "n_quotes": len(story.quotes),
                "seconds": round(time.perf_counter() - t0, 3)}
    except QuothError as e:
        return {"ok": False, "kind": "input", "error": str(e)}
    except WorkTimeout:
        return {"ok": False, "kind": "timeout",
                "error": f"gave up after {job['timeout']:.0f} s (a hang or runaway stage)"}
    except MemoryError:
        return {"ok": False, "kind": "memory", "error": "out of memory"}
    except RecursionError:
        return {"ok": False, "kind": "crash", "error": "RecursionError", "traceback": traceback.format_exc(limit=8)}
    except Exception as e:  # a bug in a stage must cost one work, not the corpus
        return {"ok": False, "kind": "crash", "error": f"{type(e).__name__}: {e}",
                "traceback": traceback.format_exc(limit=-12)}
    finally:
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)


def _analyse_with_data(job: dict, data: bytes) -> dict:
    """analyse_work with the input bytes passed apart (Dask: possibly scattered beforehand)."""
    return analyse_work({**job, "data": data})


# ----------------------------------------------------------------------------- output directory state

def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


class Manifest:
    """OUTDIR/.quoth/manifest.jsonl: the last record per work id says what is done.

    Appended one line per finished work (a torn last line after a crash is ignored)
    and compacted at the end of a run."""

    def __init__(self, outdir: Path):
        import orjson

        self._orjson = orjson
        self.path = outdir / STATE_DIR / MANIFEST
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.records: dict[str, dict] = {}
        if self.path.exists():
            for line in self.path.read_bytes().splitlines():
                try:
                    rec = orjson.loads(line)
                except orjson.JSONDecodeError:
                    continue
                if isinstance(rec, dict) and "work_id" in rec:
                    self.records[rec["work_id"]] = rec
        self._fh = None

    def is_done(self, work_id: str, sha: str, key: str, outdir: Path) -> bool:
        rec = self.records.get(work_id)
        return bool(rec and rec.get("input_sha256") == sha and rec.get("key") == key and rec.get("json")
                    and all((outdir / f).exists() for f in rec.get("outputs", []) + [rec["json"]]))

    def add(self, rec: dict) -> None:
        self.records[rec["work_id"]] = rec
        if self._fh is None:
            self._fh = open(self.path, "ab")
        self._fh.write(self._orjson.dumps(rec) + b"\n")
        self._fh.flush()

    def compact(self) -> None:
        self.close()
        data = b"".join(self._orjson.dumps(self.records[k]) + b"\n" for k in sorted(self.records))
        _atomic_write(self.path, data)

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of quoth's own code and shipped model: a resumed run redoes works analysed by any
    other build, even one that kept the version number (an edited checkout, a retrained model)."""
    from . import __version__

    root = Path(__file__).resolve().parent
    h = hashlib.sha256(__version__.encode())
    for p in sorted(root.rglob("*")):
        if p.suffix in (".py", ".json", ".css", ".js", ".html") and "__pycache__" not in p.parts:
            h.update(p.relative_to(root).as_posix().encode() + b"\0" + p.read_bytes())
    return h.hexdigest()[:16]


def _options_key(fmt: str, characters: str | None) -> str:
    """What besides the input decides the output: quoth's code and model, format and the given cast."""
    h = hashlib.sha256(f"{code_fingerprint()}\0{fmt}\0".encode())
    if characters:
        try:
            h.update(Path(characters).read_bytes())
        except OSError:
            h.update(str(characters).encode())
    return h.hexdigest()[:16]


def _write_outputs(outdir: Path, work_id: str, fmt: str, result: dict) -> tuple[list[str], str]:
    """Write a work's rendered outputs; return (output file names, the JSON file for tables)."""
    names = list(result["outputs"])
    for name, data in result["outputs"].items():
        _atomic_write(outdir / name, data)
    if fmt == "json":
        return names, names[0]
    table = f"{STATE_DIR}/json/{work_id}.json"
    (outdir / STATE_DIR / "json").mkdir(parents=True, exist_ok=True)
    _atomic_write(outdir / table, result["table_json"])
    return names, table


# ----------------------------------------------------------------------------- executors

class _LocalEngine:
    """Worker processes (forkserver: workers start from a process that has quoth imported,
    never fork the parent's progress-bar thread). jobs == 1 runs in-process."""

    def __init__(self, jobs: int):
        self.jobs = max(1, jobs)
        self.pool = None
        self.slots = self.jobs
        self.hard_timeout = self.jobs > 1

    def _new_pool(self):
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor

        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(["quoth.corpus", "quoth.pipeline", "quoth.export"])
        # recycle workers now and then so a leak in one stage cannot grow without bound
        return ProcessPoolExecutor(self.jobs, mp_context=ctx, max_tasks_per_child=50)

    def submit(self, job):
        if self.jobs == 1:
            from concurrent.futures import Future
            f = Future()
            f.set_result(analyse_work(job))
            return f
        if self.pool is None:
            self.pool = self._new_pool()
        return self.pool.submit(analyse_work, job)

    def wait(self, futures, timeout):
        from concurrent.futures import FIRST_COMPLETED, wait
        return wait(futures, timeout=timeout, return_when=FIRST_COMPLETED)[0]

    def is_crash(self, exc: BaseException) -> bool:
        from concurrent.futures.process import BrokenProcessPool
        return isinstance(exc, BrokenProcessPool)

    def kill(self):
        """Hard stop of all workers (a work hung past its time limit in C code)."""
        if self.pool is not None:
            for proc in list(getattr(self.pool, "_processes", {}).values()):
                proc.kill()
            self.restart()

    def restart(self):
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = None

    def close(self):
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None

    def abort(self):
        """Interrupted: stop now rather than finish the works in flight (they would be dropped)."""
        self.kill()


class _DaskEngine:
    """The same jobs on a Dask cluster: `scheduler` address, or a LocalCluster of `jobs` processes."""

    def __init__(self, jobs: int, scheduler: str | None):
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise QuothError("--engine dask needs Dask: pip install 'quoth[dask]'") from None
        import logging

        self.cluster = None
        self.hard_timeout = False  # Dask handles its own workers
        try:
            if scheduler:
                import dask
                self.client = Client(scheduler, timeout=dask.config.get("distributed.comm.timeouts.connect"))
            else:
                self.cluster = LocalCluster(n_workers=max(1, jobs), threads_per_worker=1, processes=True,
                                            dashboard_address=None, silence_logs=logging.ERROR)
                self.client = Client(self.cluster)
        except (OSError, TimeoutError) as e:
            raise QuothError(f"cannot reach Dask scheduler {scheduler}: {e}") from None
        threads = sum(self.client.nthreads().values()) or 1
        self.slots = threads * 2  # keep every worker thread fed without shipping the whole corpus at once

    def submit(self, job):
        data = job.pop("data")
        if len(data) > 4_000_000:  # big inputs go to the cluster as data, not inside the task graph
            data = self.client.scatter(data, hash=False)
        return self.client.submit(_analyse_with_data, job, data, pure=False,
                                  key=f"quoth-{job['work_id']}-{job['sha'][:12]}")

    def wait(self, futures, timeout):
        from distributed import wait
        try:
            return wait(list(futures), timeout=timeout, return_when="FIRST_COMPLETED").done
        except Exception:  # distributed raises its own TimeoutError flavour on timeout
            return {f for f in futures if f.done()}

    def is_crash(self, exc):
        return False

    def expire(self, fut):
        """Give up on one stuck task: SIGALRM cannot reach Dask's worker threads, so cancel the
        task and restart the worker running it (best effort: a worker without a nanny cannot be)."""
        try:
            busy = [w for w, keys in self.client.processing().items() if fut.key in keys]
            fut.cancel()
            if busy:
                self.client.restart_workers(busy, timeout=30, raise_for_error=False)
        except Exception:  # the scheduler may refuse; the work is already recorded as failed
            pass

    def kill(self):
        pass

    def restart(self):
        pass

    def close(self):
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()

    def abort(self):
        self.close()


# ----------------------------------------------------------------------------- the run

def _lock_outdir(outdir: Path):
    """Two runs writing one OUTDIR would garble its manifest: the second is refused."""
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks, no guard
        return None
    (outdir / STATE_DIR).mkdir(parents=True, exist_ok=True)
    fh = open(outdir / STATE_DIR / "lock", "w")
    try:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        fh.close()
        raise QuothError(f"{outdir}: another quoth run is writing to this directory") from None
    return fh


def _on_sigterm(signum, frame):
    raise SystemExit(128 + signum)


def run_corpus(inputs, outdir: Path, fmt="json", characters=None, jobs=1, engine="local", scheduler=None,
               tables=True, force=False, quiet=False) -> int:
    """Analyse every input into `outdir`; returns 0, or 1 if any work failed."""
    import orjson

    from . import __version__
    from .progress import make_progress

    outdir = Path(outdir)
    if outdir.exists() and not outdir.is_dir():
        raise QuothError(f"{outdir}: exists and is not a directory")
    outdir.mkdir(parents=True, exist_ok=True)
    if characters:
        from .cast_input import load_cast
        load_cast(characters)  # a bad cast file is one clear error before any work starts
    out_abs = outdir.resolve()
    inputs = [i for i in inputs if i.member is not None or out_abs not in Path(i.path).resolve().parents]
    for item in inputs:
        if not item.work_id:
            item.work_id = _id_from(Path(item.member or item.path).name)
    key = _options_key(fmt, characters)
    lock = _lock_outdir(outdir)
    manifest = Manifest(outdir)
    started = time.perf_counter()

    # Pass 1: hash inputs, skip what is done. Bytes are not kept: a corpus may not fit in memory.
    todo, skipped, failures = [], 0, []
    for item in inputs:
        try:
            sha = hashlib.sha256(item.read_bytes()).hexdigest()
        except QuothError as e:
            failures.append({"work_id": item.work_id, "source": item.name, "kind": "input", "error": str(e)})
            continue
        if not force and manifest.is_done(item.work_id, sha, key, outdir):
            skipped += 1
        else:
            todo.append((item, sha))
    todo.sort(key=lambda t: -t[0].size)  # longest first: the last work to finish is a short one

    runner = _DaskEngine(jobs, scheduler) if engine == "dask" else _LocalEngine(min(jobs, max(1, len(todo))))
    errors_path = outdir / ERRORS
    errors_fh = open(errors_path, "wb")
    for rec in failures:
        errors_fh.write(orjson.dumps(rec) + b"\n")
    errors_fh.flush()

    done_words = 0
    succeeded = 0
    progress = make_progress(len(todo), sum(i.size for i, _ in todo), quiet)

    def fail(item, sha, res):
        rec = {"work_id": item.work_id, "source": item.name, "input_sha256": sha, "kind": res.get("kind", "crash"),
               "error": res.get("error", "unknown error")}
        if res.get("traceback"):
            rec["traceback"] = res["traceback"]
        failures.append(rec)
        errors_fh.write(orjson.dumps(rec) + b"\n")
        errors_fh.flush()
        msg = rec["error"] if rec["error"].startswith(item.name) else f"{item.name}: {rec['error']}"
        progress.note(f"quoth: error: {msg}")

    # a batch scheduler's SIGTERM: stop like Ctrl-C (workers stopped, manifest compacted), exit 143
    import signal
    import threading
    on_main = threading.current_thread() is threading.main_thread()
    old_term = signal.signal(signal.SIGTERM, _on_sigterm) if on_main else None

    pending = deque(todo)
    suspects: deque = deque()   # works in flight when a worker process died: rerun one at a time
    inflight: dict = {}         # future -> (item, sha, started, isolated)
    try:
        with progress:
            while pending or suspects or inflight:
                while (suspects and not inflight) or (pending and not suspects and len(inflight) < runner.slots):
                    isolated = bool(suspects)
                    item, sha = suspects.popleft() if isolated else pending.popleft()
                    try:
                        data = item.read_bytes()
                    except QuothError as e:
                        fail(item, sha, {"kind": "input", "error": str(e)})
                        progress.advance(item.size, 0)
                        continue
                    sha = hashlib.sha256(data).hexdigest()
                    job = {"work_id": item.work_id, "name": item.name, "data": data, "sha": sha, "fmt": fmt,
                           "characters": characters, "timeout": work_timeout(len(data))}
                    inflight[runner.submit(job)] = (item, sha, time.monotonic(), isolated)
                    del data, job
                if not inflight:
                    continue
                crashed = []
                for fut in runner.wait(list(inflight), timeout=1.0):
                    item, sha, _, isolated = inflight.pop(fut)
                    try:
                        res = fut.result()
                    except Exception as e:  # a dead worker, a Dask error (Ctrl-C and SIGTERM pass through)
                        if runner.is_crash(e):
                            crashed.append((item, sha, isolated))
                            continue
                        res = {"ok": False, "kind": "crash", "error": f"worker failed: {type(e).__name__}: {e}"}
                    if res.get("ok"):
                        names, table = _write_outputs(outdir, item.work_id, fmt, res)
                        manifest.add({"work_id": item.work_id, "source": item.name, "input_sha256": sha, "key": key,
                                      "quoth_version": __version__, "format": fmt, "outputs": names, "json": table,
                                      "words": res["words"], "n_quotes": res["n_quotes"], "seconds": res["seconds"]})
                        succeeded += 1
                        done_words += res["words"]
                        progress.advance(item.size, res["words"])
                    else:
                        fail(item, sha, res)
                        progress.advance(item.size, 0)
                # a work well past its time limit is stuck where SIGALRM cannot reach it (C code)
                now = time.monotonic()
                if engine == "dask":  # tasks are independent there: give up on each stuck one alone
                    for fut, (it, sha, t0, _) in list(inflight.items()):
                        # measured from submission: allow for one queued task ahead on its worker
                        if now - t0 > 3 * work_timeout(it.size) + HARD_KILL_GRACE_S:
                            del inflight[fut]
                            runner.expire(fut)
                            fail(it, sha, {"kind": "timeout", "error": "stuck past its time limit; task cancelled"})
                            progress.advance(it.size, 0)
                stuck = runner.hard_timeout and any(now - t0 > 2 * work_timeout(it.size) + HARD_KILL_GRACE_S
                                                    for it, _, t0, _ in inflight.values())
                if stuck:
                    runner.kill()
                if crashed or stuck:
                    # every future of a broken pool fails; only an isolated one is surely the culprit
                    crashed += [(it, sha, iso) for it, sha, _, iso in inflight.values()]
                    inflight.clear()
                    runner.restart()
                    for item, sha, isolated in crashed:
                        if isolated:
                            fail(item, sha, {"kind": "timeout", "error": "stuck past its time limit; worker killed"}
                                 if stuck else {"kind": "crash", "error": "worker process died (out of memory? "
                                                                          "a crash in native code?)"})
                            progress.advance(item.size, 0)
                        else:
                            suspects.append((item, sha))
    except BaseException:
        runner.abort()
        raise
    else:
        runner.close()
    finally:
        errors_fh.close()
        manifest.compact()
        _open_zip.cache_clear()
        if on_main:
            signal.signal(signal.SIGTERM, old_term)
        if lock is not None:
            lock.close()

    if not failures:
        errors_path.unlink(missing_ok=True)
    # nothing redone and the tables there: they are already complete (a no-op rerun stays cheap)
    if tables and (succeeded or not all((outdir / f"{t}.parquet").exists() for t in ("works", "quotes", "characters"))):
        from .tables import write_tables
        write_tables(outdir, manifest.records)
    elapsed = time.perf_counter() - started
    if not quiet:
        rate = f", {done_words / elapsed * 60:,.0f} words/min" if done_words else ""
        where = f"; errors in {errors_path}" if failures else ""
        print(f"quoth: {succeeded} succeeded, {len(failures)} failed, {skipped} skipped "
              f"({done_words:,} words in {elapsed:.1f} s{rate}){where}", file=sys.stderr)
    elif failures:
        print(f"quoth: {len(failures)} failed; errors in {errors_path}", file=sys.stderr)
    return 1 if failures else 0
