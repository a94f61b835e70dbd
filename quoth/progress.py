"""Progress display for corpus runs: a rich progress bar on a terminal, nothing otherwise.

rich is imported only when a bar is actually shown, so scripted runs (stderr not a
terminal, or --quiet) pay nothing for it.
"""
from __future__ import annotations

import sys
import time


class NullProgress:
    """Used when stderr is not a terminal or the run is quiet: counts, shows nothing."""

    def __init__(self, total_works: int, total_bytes: int, quiet: bool = False):
        self.quiet = quiet
        self.started = time.perf_counter()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def advance(self, nbytes: int, words: int) -> None:
        pass

    def note(self, message: str) -> None:
        """A line above the bar (or plain on stderr): per-work errors and the like."""
        if not self.quiet:
            print(message, file=sys.stderr, flush=True)


class RichProgress(NullProgress):
    """Works done / total, words per second and an ETA (estimated on input bytes,
    since works are scheduled longest first and a per-work ETA would mislead)."""

    def __init__(self, total_works: int, total_bytes: int, quiet: bool = False):
        super().__init__(total_works, total_bytes, quiet)
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

        self.total_works = total_works
        self.works = 0
        self.words = 0
        self.console = Console(stderr=True)
        self.bar = Progress(
            TextColumn("[bold]quoth[/]"),
            BarColumn(),
            TextColumn("{task.fields[works]} works"),
            TextColumn("{task.fields[rate]} words/s"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=self.console,
            transient=False,
        )
        self.task = self.bar.add_task("analyse", total=max(total_bytes, 1), works=f"0/{total_works}", rate="-")

    def __enter__(self):
        self.bar.start()
        return self

    def __exit__(self, *exc):
        self.bar.stop()
        return False

    def advance(self, nbytes: int, words: int) -> None:
        self.works += 1
        self.words += words
        elapsed = max(time.perf_counter() - self.started, 1e-6)
        self.bar.update(self.task, advance=nbytes, works=f"{self.works}/{self.total_works}",
                        rate=f"{self.words / elapsed:,.0f}")

    def note(self, message: str) -> None:
        if not self.quiet:
            self.bar.console.print(message, markup=False, highlight=False)


def make_progress(total_works: int, total_bytes: int, quiet: bool = False) -> NullProgress:
    if quiet or not total_works or not sys.stderr.isatty():
        return NullProgress(total_works, total_bytes, quiet)
    try:
        return RichProgress(total_works, total_bytes, quiet)
    except ImportError:  # rich is a dependency, but a bar is never worth failing a run over
        return NullProgress(total_works, total_bytes, quiet)
