import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recommender import vectors


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


def test_weigh_matches_scikit_learn_tfidf() -> None:
    from sklearn.feature_extraction.text import TfidfTransformer

    rng = np.random.default_rng(7)
    dense = rng.choice([0, 0, 0, 0.25, 0.5, 0.75, 1.0], size=(40, 12))
    dense[dense.sum(axis=1) == 0, 0] = 1.0
    indptr, indices, raw = csr(dense)
    df = vectors.document_frequency(indices, 12)
    ours = np.zeros_like(dense)
    ours[np.repeat(np.arange(40), np.diff(indptr)), indices] = vectors.weigh(indptr, indices, raw, vectors.idf(df, 40))
    reference = TfidfTransformer(smooth_idf=True, norm="l2").fit_transform(dense).toarray()
    assert ours == pytest.approx(reference)


def test_columns_invert_rows() -> None:
    dense = np.array([[1.0, 0, 0.5], [0, 0.25, 0], [1.0, 1.0, 0]])
    indptr, indices, _ = csr(dense)
    col_indptr, col_rows, _ = vectors.to_columns(indptr, indices, 3)
    for t in range(3):
        assert col_rows[col_indptr[t] : col_indptr[t + 1]].tolist() == np.flatnonzero(dense[:, t]).tolist()


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(-5, 5, allow_nan=False), min_size=1, max_size=20))
def test_normalised_vectors_have_unit_length_or_are_zero(values: list[float]) -> None:
    out = vectors.normalise_vector(np.array(values))
    norm = float(np.linalg.norm(out))
    assert norm == pytest.approx(1.0) or norm == 0.0
