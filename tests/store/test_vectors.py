"""The posts' sentence vectors behind the Store (``vectors``, ``save_vectors``, ``recent_vectors``) on both
databases: float16 storage round-trips within float16 precision, newest first, citizens only, one model."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np

from citra.records import Author, Platform, Post
from citra.store import Store

T0 = datetime(2026, 11, 1, tzinfo=UTC)


def _posts(store: Store) -> list[int]:
    posts = [
        Post(Platform.X, str(i), f"teks {i}", T0 + timedelta(hours=i), author=Author(str(i), f"warga{i}"))
        for i in range(4)
    ]
    posts.append(Post(Platform.X, "99", "info resmi", T0 + timedelta(hours=9), is_official=True))
    store.add_posts(posts)
    return sorted(p.id for p in store.each())


def _unit(rng: np.random.Generator, n: int) -> np.ndarray:
    m = rng.normal(size=(n, 384)).astype(np.float32)
    return m / np.linalg.norm(m, axis=1, keepdims=True)


def test_vectors_round_trip_and_replace(store: Store) -> None:
    ids = _posts(store)
    rng = np.random.default_rng(1)
    m = _unit(rng, len(ids))
    store.save_vectors(list(zip(ids, m, strict=True)), "enc@1")
    got = store.vectors([*ids, 10_000])
    assert sorted(got) == ids and all(v.dtype == np.float32 and v.shape == (384,) for v in got.values())
    assert max(float(np.abs(got[i] - m[k]).max()) for k, i in enumerate(ids)) < 1e-3
    store.save_vectors([(ids[0], -m[0])], "enc@2")  # a newer encoder's vector replaces the old one
    assert float(store.vectors([ids[0]])[ids[0]] @ m[0]) < -0.99
    assert sorted(store.vectors(ids, model="enc@1")) == ids[1:]
    assert store.vectors([]) == {}


def test_recent_vectors_newest_first_citizens_only(store: Store) -> None:
    ids = _posts(store)
    m = _unit(np.random.default_rng(2), len(ids))
    store.save_vectors(list(zip(ids, m, strict=True)), "enc@1")
    by_id = {p.id: p for p in store.each()}
    official = next(i for i in ids if by_id[i].post.is_official)
    found, matrix = store.recent_vectors(T0 + timedelta(hours=1))
    citizens = sorted((i for i in ids if i != official), key=lambda i: by_id[i].post.created_at, reverse=True)
    assert found.tolist() == citizens[:3] and matrix.shape == (3, 384)
    assert float(matrix[0] @ m[ids.index(found[0])]) > 0.999
    everyone, _ = store.recent_vectors(T0, citizens_only=False, limit=2)
    assert everyone.tolist() == [official, citizens[0]]
    until, _ = store.recent_vectors(T0, until=T0 + timedelta(hours=2))
    assert sorted(until.tolist()) == sorted(citizens[-2:])
    none, empty = store.recent_vectors(T0, model="enc@9")
    assert none.size == 0 and empty.shape == (0, 0)


def test_vectors_go_with_their_post(store: Store) -> None:
    ids = _posts(store)
    store.save_vectors([(i, np.ones(384, np.float32) / np.sqrt(384)) for i in ids], "enc@1")
    store.subjects.forget(ids[:1])
    assert sorted(store.vectors(ids)) == ids[1:]
