"""Command line: `quoth analyze`, `quoth eval`, `quoth train`.

Every user-facing failure is one line on stderr and a non-zero exit; never a traceback.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__
from .errors import QuothError

FORMATS = ("json", "html", "segments", "csv")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="quoth", description="Who said what, in fiction.")
    p.add_argument("--version", action="version", version=f"quoth {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    a = sub.add_parser("analyze", help="analyse stories: structure, quotes, speakers, cast")
    a.add_argument("paths", nargs="+", help="story files (.txt, .html, .epub), directories, .zip files or globs")
    a.add_argument("-o", "--output", default="-",
                   help="output file (one input), directory (several), or '-' for stdout (default)")
    a.add_argument("--characters", metavar="FILE",
                   help='known cast: JSON {"Name": ["alias", ...]} or a PDNC character_info.csv')
    a.add_argument("--format", choices=FORMATS, default=None,
                   help="json (default), html report, segments (JSON Lines for TTS), csv")
    a.add_argument("--jobs", "-j", type=int, default=1, help="parallel worker processes for corpus runs")
    a.add_argument("--engine", choices=("local", "dask"), default="local", help="run corpus jobs locally or on Dask")
    a.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler address (default: a LocalCluster)")
    a.add_argument("--tables", action="store_true",
                   help="also write quotes/characters/works.parquet (default for directory output)")
    a.add_argument("--no-tables", action="store_true", help="do not write parquet tables")
    a.add_argument("--force", action="store_true", help="redo works already done (no resume)")
    a.add_argument("--quiet", "-q", action="store_true", help="no progress bar or summary")

    e = sub.add_parser("eval", help="score quoth against a PDNC folder or gold JSON")
    e.add_argument("gold", help="PDNC data folder, one PDNC novel folder, or a folder of *.gold.json")
    e.add_argument("--gold-cast", action="store_true", help="give quoth the gold cast (as --characters)")
    e.add_argument("--novels", nargs="*", help="only these novels")
    e.add_argument("--json", metavar="FILE", help="write all figures as JSON")
    e.add_argument("--pred-dir", metavar="DIR", help="also write quoth's predictions here (readable by score.py)")
    e.add_argument("--jobs", "-j", type=int, default=2, help="worker processes (default 2)")

    t = sub.add_parser("train", help="retrain the shipped speaker model from ../shared/data")
    t.add_argument("--data", default=None, help="PDNC folder (default: ../shared/data/pdnc)")
    t.add_argument("--out", default=None, help="model file to write (default: the packaged model)")
    t.add_argument("--lono", action="store_true", help="also run leave-one-novel-out evaluation")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "analyze":
            return cmd_analyze(args)
        if args.command == "eval":
            from .evaluate import cmd_eval
            return cmd_eval(args)
        if args.command == "train":
            from .train import cmd_train
            return cmd_train(args)
    except QuothError as e:
        print(f"quoth: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("quoth: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except OSError as e:       # e.g. the output path cannot be written
        print(f"quoth: error: {e.filename or ''}{': ' if e.filename else ''}{e.strerror or e}", file=sys.stderr)
        return 2
    except Exception as e:     # a bug must still be one line, not a traceback (QUOTH_DEBUG=1 shows it)
        import os
        if os.environ.get("QUOTH_DEBUG"):
            raise
        print(f"quoth: error: internal error ({type(e).__name__}: {str(e)[:200]}); "
              f"rerun with QUOTH_DEBUG=1 for details", file=sys.stderr)
        return 70
    return 0


def _format_for(args) -> str:
    if args.format:
        return args.format
    out = args.output.lower()
    if out.endswith((".html", ".htm")):
        return "html"
    if out.endswith(".jsonl"):
        return "segments"
    if out.endswith(".csv"):
        return "csv"
    return "json"


def cmd_analyze(args) -> int:
    from .corpus import expand_inputs, run_corpus

    fmt = _format_for(args)
    inputs = expand_inputs(args.paths)
    single = len(inputs) == 1 and not Path(args.paths[0]).is_dir() and not args.paths[0].lower().endswith(".zip")
    if single and (args.output == "-" or not Path(args.output).is_dir()) and not args.output.endswith(("/", "\\")):
        return analyze_one(inputs[0], args.output, fmt, args.characters)
    if args.output == "-":
        raise QuothError("several inputs need -o DIRECTORY")
    return run_corpus(inputs, Path(args.output), fmt=fmt, characters=args.characters, jobs=args.jobs,
                      engine=args.engine, scheduler=args.scheduler, tables=not args.no_tables,
                      force=args.force, quiet=args.quiet)


def analyze_one(item, output: str, fmt: str, characters: str | None) -> int:
    from .export import render
    from .pipeline import analyze

    story = analyze(item.load(), characters=characters)
    if story.source is None:
        story.source = item.name
    data = render(story, fmt)
    if output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        out = Path(output)
        if out.parent and not out.parent.exists():
            out.parent.mkdir(parents=True, exist_ok=True)
        from .export import companion_files
        for path, extra in [(out, data), *companion_files(story, fmt, out)]:  # csv: + X.characters.csv
            tmp = path.with_name(path.name + ".part")
            tmp.write_bytes(extra)
            tmp.replace(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
