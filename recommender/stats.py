"""Small exact statistics the commands report: how surprising a count is."""

from __future__ import annotations

import math


def hypergeometric_sf(k: int, total: int, having: int, drawn: int) -> float:
    """P(X >= k) for X ~ Hypergeometric(total, having, drawn): the chance of k or more by luck alone."""

    def log_comb(n: int, r: int) -> float:
        return math.lgamma(n + 1) - math.lgamma(r + 1) - math.lgamma(n - r + 1)

    top = min(having, drawn)
    if k > top:
        return 0.0
    base = log_comb(total, drawn)
    return min(
        1.0,
        sum(
            math.exp(log_comb(having, i) + log_comb(total - having, drawn - i) - base)
            for i in range(max(k, 0), top + 1)
        ),
    )
