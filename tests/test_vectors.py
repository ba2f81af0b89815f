import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recommender import vectors
from recommender.build import build

from .conftest import write_catalog


def csr(dense: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    indptr = np.concatenate([[0], np.cumsum((dense != 0).sum(axis=1))]).astype(np.int64)
    rows, cols = np.nonzero(dense)
    return indptr, cols.astype(np.int32), dense[rows, cols]


def test_idf_by_hand() -> None:
    # 3 shows; trope 0 in two of them, trope 1 in one, trope 2 in none.
    df = np.array([2, 1, 0])
    expected = [math.log(4 / 3) + 1, math.log(4 / 2) + 1, math.log(4 / 1) + 1]
    assert vectors.idf(df, 3) == pytest.approx(expected)
    assert vectors.trope_weights(df, 3, "none") == pytest.approx([1, 1, 1])


def test_index_rows_match_scikit_learn_tfidf(tmp_path: Path) -> None:
    """The vectors the commands rank by (index rows) are scikit-learn's tf-idf, computed without it."""
    from sklearn.feature_extraction.text import TfidfTransformer

    rng = np.random.default_rng(7)
    dense = rng.choice([0, 0, 0, 0.25, 0.5, 0.75, 1.0], size=(40, 12))
    dense[dense.sum(axis=1) == 0, 0] = 1.0
    tropes = [
        {"id": f"t{j}", "name": f"T {j}", "category": "lead", "description": "A trope."} for j in range(12)
    ]
    shows = {
        f"s{i:02d}": {"title": f"S{i}", "tropes": {f"t{j}": float(w) for j, w in enumerate(row) if w}}
        for i, row in enumerate(dense)
    }
    index = build(write_catalog(tmp_path, shows, tropes, {"romance": {"name": "F", "tropes": {"t0": 1.0}}}))
    for weighting, reference in (
        ("idf", TfidfTransformer(smooth_idf=True, norm="l2").fit_transform(dense).toarray()),
        ("none", dense / np.linalg.norm(dense, axis=1, keepdims=True)),
    ):
        ours = np.zeros_like(dense)
        for i in range(40):
            cols, vals = index.row(i, weighting)
            ours[i, cols] = vals
        assert ours == pytest.approx(reference)


def test_columns_invert_rows() -> None:
    dense = np.array([[1.0, 0, 0.5], [0, 0.25, 0], [1.0, 1.0, 0]])
    indptr, indices, _ = csr(dense)
    col_indptr, col_rows, _ = vectors.to_columns(indptr, indices, 3)
    for t in range(3):
        assert col_rows[col_indptr[t] : col_indptr[t + 1]].tolist() == np.flatnonzero(dense[:, t]).tolist()


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(-5, 5, allow_nan=False, allow_subnormal=False), min_size=1, max_size=20))
def test_normalised_vectors_have_unit_length_or_are_zero(values: list[float]) -> None:
    out = vectors.normalise_vector(np.array(values))
    length = math.hypot(*values)
    expected = [v / length for v in values] if length > 0 else [0.0] * len(values)
    assert out.tolist() == pytest.approx(expected, abs=1e-12)
