"""Speed and memory of quoth, measured the way users run it: through the CLI, start-up included.

    .venv/bin/python benchmarks/bench_speed.py [--quick] [--out results.md]

Measures (targets for a 2-core machine in brackets):
  1. seconds per 100,000 words, one process, `quoth analyze FILE -o X.json` per text,
     over the LitBank full texts and the PDNC novels                         [≤ 5 s]
  2. words per minute with `--jobs 2` over a directory of novels (PDNC, LitBank) [≥ 2,000,000]
  3. peak RSS of one process on the longest PDNC novel (~160k words)         [≤ 500 MB]
  4. a novel concatenated 10×: time ratio (10× input)                       [≤ 11×]
     and memory growth above start-up (linear: ≤ ~10×)
Prints a Markdown table and a machine description. Not a test: figures depend on the
machine and its load (the load average is printed with them).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
QUOTH = [sys.executable, "-m", "quoth"]


CPU: dict[str, float] = {"last": 0.0}  # CPU seconds (user + sys, whole process tree) of the last command


def _watch_tree(pid: int, stop: threading.Event, seen: dict) -> None:
    """Sample every process under `pid` (worker processes are grandchildren, via the forkserver,
    so the kernel's own accounting misses them): peak RSS and last CPU times per process."""
    try:
        import psutil
    except ImportError:
        return
    try:
        root = psutil.Process(pid)
    except psutil.Error:
        return
    while not stop.is_set():
        try:
            procs = [root] + root.children(recursive=True)
        except psutil.Error:
            procs = []
        for p in procs:
            try:
                with p.oneshot():
                    rss, cpu = p.memory_info().rss, p.cpu_times()
            except psutil.Error:
                continue
            peak, _ = seen.get(p.pid, (0, 0.0))
            seen[p.pid] = (max(peak, rss), cpu.user + cpu.system)
        stop.wait(0.05)


def run_measured(cmd: list[str]) -> tuple[float, float, int]:
    """Run `cmd`; return (wall seconds, peak RSS in MB of the largest process in its tree, exit code).
    Its CPU seconds (whole tree) go to CPU["last"]: on a loaded machine they are the fairer figure."""
    seen: dict[int, tuple[int, float]] = {}
    stop = threading.Event()
    with tempfile.TemporaryFile() as err_file:
        t = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err_file)
        watcher = threading.Thread(target=_watch_tree, args=(proc.pid, stop, seen), daemon=True)
        watcher.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t
        stop.set()
        watcher.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        err_file.seek(0)
        err = err_file.read().decode(errors="replace")
    sampled_cpu = sum(cpu for _, cpu in seen.values())
    CPU["last"] = max(usage.ru_utime + usage.ru_stime, sampled_cpu)
    peak_mb = max([usage.ru_maxrss / 1024] + [rss / 2 ** 20 for rss, _ in seen.values()])  # ru_maxrss: KiB
    if proc.returncode not in (0, 1):
        print(f"  ! {' '.join(cmd[2:])[:120]} exited {proc.returncode}: {err.strip()[-300:]}", file=sys.stderr)
    return wall, peak_mb, proc.returncode


def words_of(path: Path) -> int:
    return len(path.read_text(encoding="utf-8", errors="replace").split())


def machine() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kb / 1024 ** 2:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    try:
        commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                                capture_output=True, text=True).stdout.strip()
    except OSError:
        commit = "?"
    import quoth
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return (f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} cores "
            f"(usable {len(os.sched_getaffinity(0))}), {mem} RAM, Python {platform.python_version()}, "
            f"quoth {quoth.__version__} @ {commit}, load average {load}")


def single_process(files: list[Path], tmp: Path) -> dict:
    """One CLI process per text; also collects the per-stage timings quoth reports."""
    total_s = total_w = total_cpu = 0.0
    peak = 0.0
    stages: dict[str, float] = {}
    slowest = (0.0, "")
    for i, f in enumerate(files, 1):
        out = tmp / "single.json"
        wall, rss, rc = run_measured(QUOTH + ["analyze", str(f), "-o", str(out)])
        w = words_of(f)
        total_cpu += CPU["last"]
        total_s += wall
        total_w += w
        peak = max(peak, rss)
        rate = wall / w * 1e5 if w else 0
        if w >= 20_000:  # on a short text start-up is all there is to see
            slowest = max(slowest, (rate, f"{f.parent.name}/{f.name}" if f.name == "novel_text.txt" else f.name))
        if rc == 0 and out.exists():
            for k, v in json.loads(out.read_bytes()).get("timings", {}).items():
                stages[k] = stages.get(k, 0.0) + v
        print(f"  [{i}/{len(files)}] {f.parent.name if f.name == 'novel_text.txt' else f.stem}: "
              f"{w:,} words {wall:.2f} s {rss:.0f} MB", file=sys.stderr)
    return {"s_per_100k": total_s / total_w * 1e5, "cpu_per_100k": total_cpu / total_w * 1e5, "words": int(total_w), "seconds": total_s, "peak_mb": peak,
            "slowest": slowest, "stages_per_100k": {k: v / total_w * 1e5 for k, v in stages.items()}}


def parallel(pattern: list[str], tmp: Path, jobs: int) -> dict:
    out = tmp / f"par{jobs}"
    shutil.rmtree(out, ignore_errors=True)
    wall, rss, rc = run_measured(QUOTH + ["analyze", *pattern, "-o", str(out), "--jobs", str(jobs), "--quiet"])
    words = 0
    manifest = out / ".quoth" / "manifest.jsonl"
    if manifest.exists():
        words = sum(json.loads(line)["words"] for line in manifest.read_text().splitlines())
    shutil.rmtree(out, ignore_errors=True)
    return {"wpm": words / wall * 60 if wall else 0, "words": words, "seconds": wall, "peak_mb": rss, "rc": rc,
            "cpu": CPU["last"]}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--litbank", default=str(DATA / "litbank" / "original"))
    ap.add_argument("--pdnc", default=str(DATA / "pdnc"))
    ap.add_argument("--quick", action="store_true", help="a sample: 10 LitBank texts, 5 PDNC novels, 5× scaling")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--scale-novel", default="PrideAndPrejudice", help="PDNC novel to concatenate 10×")
    ap.add_argument("--skip", nargs="*", default=[], choices=["single", "parallel", "memory", "scale"])
    ap.add_argument("--out", help="also write the Markdown here")
    a = ap.parse_args()

    litbank = sorted(Path(a.litbank).glob("*.txt"))
    pdnc = sorted(Path(a.pdnc).glob("*/novel_text.txt"))
    if not litbank and not pdnc:
        print("no data found (see --litbank/--pdnc)", file=sys.stderr)
        return 2
    if a.quick:
        litbank = litbank[:: max(1, len(litbank) // 10)][:10]
        pdnc = pdnc[:: max(1, len(pdnc) // 5)][:5]
    factor = 5 if a.quick else 10
    rows: list[tuple[str, str, str, str]] = []
    notes: list[str] = []

    with tempfile.TemporaryDirectory(prefix="quoth-bench-") as tmpname:
        tmp = Path(tmpname)
        t, rss, _ = run_measured([sys.executable, "-c", "import quoth.cli"])
        tv, _, _ = run_measured(QUOTH + ["--version"])
        rows.append(("start-up (`import quoth.cli` / `quoth --version`)", f"{t:.2f} s / {tv:.2f} s, {rss:.0f} MB",
                     "—", ""))
        baseline_mb = rss

        if "single" not in a.skip:
            for label, files in (("LitBank", litbank), ("PDNC", pdnc)):
                if not files:
                    continue
                print(f"single process, {label} ({len(files)} texts)", file=sys.stderr)
                r = single_process(files, tmp)
                ok = "✅" if r["s_per_100k"] <= 5 else "❌"
                rows.append((f"s per 100k words, 1 process, CLI per text — {label} ({len(files)} texts, "
                             f"{r['words']:,} words)", f"{r['s_per_100k']:.2f} s (CPU {r['cpu_per_100k']:.2f} s)", "≤ 5 s", ok))
                notes.append(f"{label}: slowest text of ≥ 20k words {r['slowest'][1]} at {r['slowest'][0]:.2f} s/100k words; "
                             f"stage seconds per 100k words (in-process, start-up excluded): "
                             + ", ".join(f"{k} {v:.2f}" for k, v in sorted(r["stages_per_100k"].items(),
                                                                              key=lambda kv: -kv[1])))

        if "parallel" not in a.skip:
            for label, args, n in (("PDNC", [str(Path(a.pdnc) / "*" / "novel_text.txt")], len(pdnc)),
                                   ("LitBank", [str(f) for f in litbank] if a.quick else [a.litbank], len(litbank))):
                if a.quick and label == "PDNC":
                    args = [str(f) for f in pdnc]
                if not n:
                    continue
                print(f"--jobs {a.jobs}, {label} ({n} texts)", file=sys.stderr)
                r = parallel(args, tmp, a.jobs)
                ok = "✅" if r["wpm"] >= 2_000_000 else "❌"
                rows.append((f"words/min, `--jobs {a.jobs}` — {label} directory ({r['words']:,} words, "
                             f"{r['seconds']:.1f} s wall, {r['cpu']:.1f} s CPU, tables included)", f"{r['wpm']:,.0f}", "≥ 2,000,000", ok))
                rows.append((f"peak RSS of any one process, `--jobs {a.jobs}` — {label}", f"{r['peak_mb']:.0f} MB",
                             "≤ 500 MB", "✅" if r["peak_mb"] <= 500 else "❌"))

        if pdnc and ("memory" not in a.skip or "scale" not in a.skip):
            longest = max(pdnc, key=lambda f: f.stat().st_size)
            w1 = words_of(longest)
            t1, m1, _ = run_measured(QUOTH + ["analyze", str(longest), "-o", str(tmp / "long.json")])
            rows.append((f"peak RSS, 1 process, longest novel ({longest.parent.name}, {w1:,} words)",
                         f"{m1:.0f} MB ({t1:.1f} s, CPU {CPU['last']:.1f} s)", "≤ 500 MB", "✅" if m1 <= 500 else "❌"))

        if "scale" not in a.skip and pdnc:
            base = next((f for f in pdnc if f.parent.name == a.scale_novel), pdnc[0])
            text = base.read_text(encoding="utf-8")
            big = tmp / f"{base.parent.name}_x{factor}.txt"
            big.write_text(("\n\n".join([text.strip()] * factor)) + "\n", encoding="utf-8")
            ws = words_of(base)
            print(f"scaling: {base.parent.name} 1× and {factor}×", file=sys.stderr)
            ts1, ms1, _ = run_measured(QUOTH + ["analyze", str(base), "-o", str(tmp / "s1.json")])
            cs1 = CPU["last"]
            tsn, msn, rc = run_measured(QUOTH + ["analyze", str(big), "-o", str(tmp / "sn.json")])
            csn = CPU["last"]
            ratio = tsn / ts1 if ts1 else 0
            rows.append((f"time, {factor}× input ({base.parent.name}: {ws:,} → {ws * factor:,} words)",
                         f"{ts1:.1f} s → {tsn:.1f} s = {ratio:.1f}× (CPU {cs1:.1f} → {csn:.1f} s = "
                         f"{csn / max(cs1, 1e-9):.1f}×)", f"≤ {factor * 1.1:.0f}×",
                         "✅" if rc == 0 and ratio <= factor * 1.1 else "❌"))
            grow1, grown = max(ms1 - baseline_mb, 1), msn - baseline_mb
            rows.append((f"memory, {factor}× input (RSS above start-up {baseline_mb:.0f} MB)",
                         f"{ms1:.0f} MB → {msn:.0f} MB; growth {grow1:.0f} → {grown:.0f} MB = {grown / grow1:.1f}×",
                         f"linear (≤ {factor}×)", "✅" if rc == 0 and grown / grow1 <= factor * 1.1 else "❌"))

    md = ["| measure | result | target | |", "|---|---|---|---|"]
    md += [f"| {m} | {r} | {t} | {ok} |" for m, r, t, ok in rows]
    md += ["", f"Machine: {machine()}", ""] + [f"- {n}" for n in notes]
    text = "\n".join(md)
    print(text)
    if a.out:
        Path(a.out).write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
