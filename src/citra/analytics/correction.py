"""Misclassification correction of sentiment shares from a random audit sample (``docs/citra-index.md``).

The sentiment model's labels are biased shares: a model that calls 20 % of neutral posts negative inflates the
negative share. From a random audit sample (posts drawn at random, labelled by the team) the confusion matrix
``M[i, j] = P(model says j | truth is i)`` is estimated; for a period whose posts without a team label have model
label shares ``q``, the true shares ``π`` solve ``Mᵀ π = q`` (adjusted classify-and-count), projected onto the
simplex. Posts the team labelled count as truth directly. Intervals combine the audit's uncertainty (a seeded
bootstrap over the audit posts, re-estimating ``M``) with the period's sampling uncertainty (Dirichlet draws of the
model label shares and of the team-label shares). Every draw is a pure function of the counts and the seed, so the
same slice gives the same interval in every request, page and report."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

CLASSES = ("positive", "neutral", "negative")  # the order of every axis of 3 here
PRIOR = 0.5  # Jeffreys prior of the Dirichlet draws of a period's shares
SMOOTH = 0.01  # pseudo-count per confusion cell: keeps a row defined when the audit lacks a class
SEED = 20261206
DEFAULT_MIN = 50
DEFAULT_DRAWS = 400


def confusion(counts: np.ndarray) -> np.ndarray:
    """Row-normalised confusion matrices from counts ``[..., true, model]`` (lightly smoothed)."""
    c = np.asarray(counts, dtype=float) + SMOOTH
    return c / c.sum(axis=-1, keepdims=True)


def project_simplex(v: np.ndarray) -> np.ndarray:
    """Euclidean projection of each vector on the last axis onto the probability simplex (Duchi et al. 2008)."""
    k = v.shape[-1]
    u = -np.sort(-v, axis=-1)
    css = np.cumsum(u, axis=-1) - 1.0
    rho = np.sum(u - css / np.arange(1, k + 1) > 0, axis=-1, keepdims=True)
    theta = np.take_along_axis(css, rho - 1, axis=-1) / rho
    return np.maximum(v - theta, 0.0)


def unmix(inverse: np.ndarray, q: np.ndarray) -> np.ndarray:
    """True shares from model label shares ``q`` (..., 3) with ``inverse`` = (Mᵀ)⁻¹ (3, 3) or broadcastable."""
    return project_simplex(np.einsum("...ij,...j->...i", inverse, q))


def _inverse(m: np.ndarray) -> np.ndarray:
    return np.linalg.pinv(np.swapaxes(m, -1, -2))


@lru_cache(maxsize=32)
def _bootstrap(cells: tuple[int, ...], draws: int, seed: int) -> np.ndarray:
    """(draws, 3, 3) inverses of bootstrap confusion matrices: the audit posts resampled with replacement,
    i.e. the nine (truth, model) cell counts drawn multinomially from their observed frequencies."""
    counts = np.asarray(cells, dtype=float)
    rng = np.random.default_rng([seed, *cells])
    resampled = rng.multinomial(int(counts.sum()), counts / counts.sum(), size=draws).reshape(draws, 3, 3)
    return _inverse(confusion(resampled))


def _dirichlet(counts: np.ndarray, draws: int, seed: int) -> np.ndarray:
    """(T, draws, 3) Dirichlet(counts + ½) draws; each period's stream is seeded by its own counts."""
    out = np.zeros((len(counts), draws, 3))
    for t, row in enumerate(counts):
        if not np.any(row):  # no posts of this kind in the period: they carry no weight
            continue
        key = [int(x) for x in np.round(np.asarray(row) * 1000)]
        out[t] = np.random.default_rng([seed, *key]).dirichlet(np.asarray(row, dtype=float) + PRIOR, size=draws)
    return out


@dataclass(frozen=True, slots=True)
class Shares:
    """Corrected shares per period: point (T, 3) and 95 % bounds (T, 3) in ``CLASSES`` order, and the net
    sentiment ``θ_pos − θ_neg`` (point, low, high; each (T,))."""

    point: np.ndarray
    low: np.ndarray
    high: np.ndarray
    net: np.ndarray
    net_low: np.ndarray
    net_high: np.ndarray


@dataclass(frozen=True)
class Correction:
    """The audit sample's confusion counts ``[true, model]`` and what they allow.

    ``corrected`` is False below ``minimum`` audit labels: shares are then the labels' (team labels override)
    and ``labels_used`` says how far the audit is."""

    counts: np.ndarray
    minimum: int = DEFAULT_MIN
    draws: int = DEFAULT_DRAWS
    seed: int = SEED

    @property
    def labels_used(self) -> int:
        return int(np.asarray(self.counts).sum())

    @property
    def corrected(self) -> bool:
        return self.labels_used >= self.minimum

    @property
    def matrix(self) -> np.ndarray:
        """The point estimate of ``M[i, j] = P(model j | true i)``."""
        return confusion(self.counts)

    @property
    def inverse(self) -> np.ndarray:
        return _inverse(self.matrix)

    def bootstrap(self, draws: int | None = None) -> np.ndarray:
        """(draws, 3, 3) inverses of bootstrap confusion matrices (seeded, cached per audit table)."""
        cells = tuple(int(x) for x in np.asarray(self.counts).reshape(-1))
        return _bootstrap(cells, draws or self.draws, self.seed)

    def point(self, model: np.ndarray, human: np.ndarray, inverse: np.ndarray | None = None) -> np.ndarray:
        """(..., 3) corrected shares: ``model`` counts posts without a team label by model label, ``human``
        counts the team-labelled posts by their label (both (..., 3)); ``inverse`` defaults to the point one."""
        model, human = np.asarray(model, dtype=float), np.asarray(human, dtype=float)
        n_m, n_h = model.sum(-1, keepdims=True), human.sum(-1, keepdims=True)
        q = np.divide(model, n_m, out=np.full_like(model, 1 / 3), where=n_m > 0)
        pi = unmix(self.inverse if inverse is None else inverse, q)
        n = n_m + n_h
        return np.divide(n_m * pi + human, n, out=np.full_like(pi, 1 / 3), where=n > 0)

    def shares(self, model: np.ndarray, human: np.ndarray) -> Shares:
        """Point and 95 % percentile interval of the corrected shares of T periods (arrays (T, 3))."""
        model = np.asarray(model, dtype=float).reshape(-1, 3)
        human = np.asarray(human, dtype=float).reshape(-1, 3)
        point = self.point(model, human)
        inv = self.bootstrap()  # (B, 3, 3)
        q = _dirichlet(model, len(inv), self.seed)  # (T, B, 3)
        g = _dirichlet(human, len(inv), self.seed + 1)
        pi = unmix(inv[None], q)
        n_m, n_h = model.sum(-1)[:, None, None], human.sum(-1)[:, None, None]
        n = np.maximum(n_m + n_h, 1e-12)
        theta = (n_m * pi + n_h * g) / n
        net = theta[..., 0] - theta[..., 2]
        lo, hi = np.percentile(theta, [2.5, 97.5], axis=1)
        net_lo, net_hi = np.percentile(net, [2.5, 97.5], axis=1)
        d = point[:, 0] - point[:, 2]  # bounds widened to hold the point estimate where the draws are skewed
        return Shares(
            point, np.minimum(lo, point), np.maximum(hi, point), d, np.minimum(net_lo, d), np.maximum(net_hi, d)
        )
