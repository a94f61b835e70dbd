"""Speaker attribution, part 2: the shipped model — a LightGBM tree ensemble exported to
plain arrays and evaluated with numpy, so loading it costs milliseconds and quoth never
imports lightgbm at run time (importing lightgbm alone takes ~2 s).

File format (JSON): {"features": [...], "trees": {"feature", "threshold", "left", "right",
"value", "leaf", "roots"}, "depth": int, "calibration": {"x": [...], "y": [...]},
"decode": {...}, "addressee": {...}, "meta": {...}}.
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import numpy as np
import orjson

MODEL_PATH = Path(__file__).parent / "models" / "speaker.json"


class TreeModel:
    def __init__(self, data: dict):
        t = data["trees"]
        self.features = data.get("features", [])
        self.feature = np.asarray(t["feature"], dtype=np.int32)
        self.threshold = np.asarray(t["threshold"], dtype=np.float64)
        self.left = np.asarray(t["left"], dtype=np.int32)
        self.right = np.asarray(t["right"], dtype=np.int32)
        self.value = np.asarray(t["value"], dtype=np.float64)
        self.leaf = np.asarray(t["leaf"], dtype=bool)
        self.roots = np.asarray(t["roots"], dtype=np.int32)
        # for raw(): children interleaved (node's left at 2*node, right at 2*node + 1) so one
        # `take` steps down a level, and native-size indices so `take` does not convert them
        self._child = np.empty(2 * len(self.left), dtype=np.intp)
        self._child[0::2] = self.left
        self._child[1::2] = self.right
        self._feature = self.feature.astype(np.intp)
        self._roots = self.roots.astype(np.intp)
        self.depth = int(data["depth"])
        self.stack = TreeModel(data["stack"]) if data.get("stack") else None   # second pass
        self.decode1 = data.get("decode1") or {}
        self.calibration = data.get("calibration") or {}
        self.decode = data.get("decode") or {}
        self.addressee = data.get("addressee") or {}
        self.meta = data.get("meta") or {}

    def raw(self, X: np.ndarray, chunk: int = 512) -> np.ndarray:
        """Sum of leaf values over all trees (the model's margin) for each row of X.
        All trees advance one level at a time; a leaf points to itself, so rows that
        reached one stay there. Flat `take` indexing is ~6x faster than 2-D fancy indexing;
        small chunks keep the working arrays in cache (4x faster than 4096 rows)."""
        n = X.shape[0]
        out = np.zeros(n)
        if n == 0 or len(self.roots) == 0:
            return out
        nf = X.shape[1]
        for s in range(0, n, chunk):
            x = np.ascontiguousarray(X[s:s + chunk], dtype=np.float64).ravel()
            m = min(chunk, n - s)
            base = (np.arange(m, dtype=np.intp) * nf)[:, None]
            node = np.repeat(self._roots[None, :], m, axis=0)
            for _ in range(self.depth):
                # not `x > threshold`: a NaN feature must go right, as `not x <= threshold` does
                go_right = ~(x.take(base + self._feature.take(node)) <= self.threshold.take(node))
                node = self._child.take(node * 2 + go_right)
            out[s:s + m] = self.value.take(node).sum(axis=1)
        return out

    def calibrate(self, p: np.ndarray) -> np.ndarray:
        xs, ys = self.calibration.get("x"), self.calibration.get("y")
        if not xs:
            return p
        return np.interp(p, xs, ys)


def export_booster(booster) -> dict:
    """Flatten a trained lightgbm.Booster into the arrays TreeModel evaluates."""
    dump = booster.dump_model()
    feature, threshold, left, right, value, leaf, roots = [], [], [], [], [], [], []
    max_depth = 0

    def add(node, depth):
        nonlocal max_depth
        idx = len(feature)
        feature.append(0)
        threshold.append(0.0)
        left.append(idx)
        right.append(idx)
        value.append(0.0)
        leaf.append(True)
        if "leaf_value" in node or "split_feature" not in node:
            value[idx] = float(node.get("leaf_value", 0.0))
            max_depth = max(max_depth, depth)
            return idx
        if node.get("decision_type", "<=") != "<=":
            raise ValueError("only numerical <= splits are supported")
        leaf[idx] = False
        feature[idx] = int(node["split_feature"])
        threshold[idx] = float(node["threshold"])
        left[idx] = add(node["left_child"], depth + 1)
        right[idx] = add(node["right_child"], depth + 1)
        return idx

    for tree in dump["tree_info"]:
        roots.append(add(tree["tree_structure"], 0))
    return {"trees": {"feature": feature, "threshold": threshold, "left": left, "right": right,
                      "value": value, "leaf": [int(b) for b in leaf], "roots": roots},
            "depth": max_depth}


def save(data: dict, path: str | os.PathLike) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(orjson.dumps(data, option=orjson.OPT_SERIALIZE_NUMPY))
    tmp.replace(path)


@lru_cache(maxsize=4)
def _load(path: str) -> TreeModel | None:
    try:
        return TreeModel(orjson.loads(Path(path).read_bytes()))
    except (OSError, ValueError, KeyError):
        return None


def load(path: str | os.PathLike | None = None) -> TreeModel | None:
    """The speaker model (loaded once per process); QUOTH_SPEAKER_MODEL overrides the path.
    None when no usable model file exists: attribution then falls back to rules."""
    path = path or os.environ.get("QUOTH_SPEAKER_MODEL") or MODEL_PATH
    return _load(str(path))
