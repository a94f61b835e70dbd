"""Where the shared data lives: $QUOTH_SHARED, else ../shared beside the repo, else /work/shared.

Tests that need it skip when it is absent (a clone elsewhere still passes)."""
import os
from pathlib import Path

_CANDIDATES = [os.environ.get("QUOTH_SHARED"), Path(__file__).resolve().parents[2] / "shared", "/work/shared"]
SHARED = next((Path(c) for c in _CANDIDATES if c and (Path(c) / "data").is_dir()), Path("/nonexistent/shared"))
PDNC = SHARED / "data" / "pdnc"
LITBANK = SHARED / "data" / "litbank"
BENCH = SHARED / "bench"
