"""Near-duplicate groups of posts: exact blocked cosine search, the text check, the query for one post, and the real
encoder on a copy-paste campaign written for the test."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from citra.analytics.neardup import jaccard, near_duplicates, shingles, similar_pairs, similar_to


def _unit(m: np.ndarray) -> np.ndarray:
    return (m / np.linalg.norm(m, axis=1, keepdims=True)).astype(np.float32)


def _campaign(rng: np.random.Generator, n: int, noise: float) -> np.ndarray:
    base = rng.normal(size=384)
    return _unit(base + noise * rng.normal(size=(n, 384)))


def test_pairs_match_brute_force_across_blocks() -> None:
    rng = np.random.default_rng(3)
    x = np.vstack([_campaign(rng, 7, 0.15), _unit(rng.normal(size=(40, 384))), _campaign(rng, 5, 0.15)])
    x = x[rng.permutation(len(x))]
    sims = x @ x.T
    want = {(i, j) for i in range(len(x)) for j in range(i + 1, len(x)) if sims[i, j] >= 0.95}
    assert len(want) == 21 + 10
    for block in (1, 5, 16, 2048):  # every pair found once whatever the block size
        got = similar_pairs(x, 0.95, block=block)
        assert len(got) == len(want)
        assert {(int(i), int(j)) for i, j in got} == want


def test_a_time_window_compares_only_close_posts() -> None:
    rng = np.random.default_rng(6)
    x = np.vstack([_campaign(rng, 8, 0.15), _unit(rng.normal(size=(30, 384))), _campaign(rng, 6, 0.15)])
    times = rng.uniform(0, 100, len(x))
    sims = x @ x.T
    for window in (0.0, 5.0, 30.0, 1000.0):
        want = {
            (i, j)
            for i in range(len(x))
            for j in range(i + 1, len(x))
            if sims[i, j] >= 0.95 and abs(times[i] - times[j]) <= window
        }
        for block in (3, 512):
            got = similar_pairs(x, 0.95, block=block, times=times, window=window)
            assert len(got) == len(want) and {(int(i), int(j)) for i, j in got} == want
    assert len(want) == 28 + 15  # the widest window finds every pair
    ids = list(range(len(x)))
    assert near_duplicates(ids, x, 0.95, times=times, window=1000.0) == near_duplicates(ids, x, 0.95)


def test_groups_are_connected_components_largest_first() -> None:
    rng = np.random.default_rng(4)
    a, b, other = _campaign(rng, 6, 0.15), _campaign(rng, 3, 0.15), _unit(rng.normal(size=(20, 384)))
    x = np.vstack([other[:10], b, a, other[10:]])
    ids = [100 + k for k in range(len(x))]
    groups = near_duplicates(ids, x, 0.95)
    assert groups == [[113 + k for k in range(6)], [110, 111, 112]]
    assert near_duplicates(ids, x, 0.9999) == []
    assert near_duplicates([], np.empty((0, 384), np.float32)) == []


def test_text_check_splits_a_pair_the_vectors_join() -> None:
    x = _unit(np.ones((3, 384)) + np.eye(3, 384) * 0.01)  # three all but identical vectors
    texts = [
        "@budi Jalan Melati rusak parah, tolong diperbaiki! https://t.co/x",
        "@ani jalan melati rusak parah tolong diperbaiki",
        "Lampu taman mati sejak minggu lalu di alun-alun",
    ]
    assert near_duplicates([1, 2, 3], x, 0.95) == [[1, 2, 3]]
    assert near_duplicates([1, 2, 3], x, 0.95, texts=texts) == [[1, 2]]


def test_shingles_ignore_mentions_links_and_punctuation() -> None:
    a = shingles("@budi Banjir lagi!!! https://t.co/abc")
    assert a == shingles("banjir lagi @ani")
    assert jaccard(a, shingles("macet total di tol")) == 0.0
    assert jaccard(frozenset(), frozenset()) == 0.0


def test_similar_to_one_post() -> None:
    rng = np.random.default_rng(5)
    x = np.vstack([_campaign(rng, 4, 0.1), _unit(rng.normal(size=(10, 384)))])
    ids = list(range(10, 24))
    found = similar_to(x[0], ids, x, 0.95)
    assert found[0][0] == 10 and {i for i, _ in found} == {10, 11, 12, 13}
    assert all(s1 >= s2 for (_, s1), (_, s2) in itertools.pairwise(found))
    assert len(similar_to(x[0], ids, x, 0.95, limit=2)) == 2
    with pytest.raises(ValueError):
        similar_to(x[0], ids[:3], x)


def test_real_encoder_joins_a_campaign_and_not_a_topic() -> None:
    from citra.nlp.encoder import Encoder

    texts = [
        "@humaskota Tolak kenaikan tarif parkir! Warga sudah susah, jangan tambah beban #TolakTarifParkir",
        "@dishub_kota Tolak kenaikan tarif parkir! Warga sudah susah, jangan tambah beban #TolakTarifParkir",
        "Tolak kenaikan tarif parkir!! Warga sudah susah, jangan tambah beban 😡 #TolakTarifParkir",
        "Tarif parkir di pasar baru naik jadi lima ribu, mahal banget menurut saya",
        "Lampu jalan di depan sekolah mati sudah seminggu",
    ]
    vecs = Encoder().embed(texts)
    assert near_duplicates([1, 2, 3, 4, 5], vecs, texts=texts) == [[1, 2, 3]]
