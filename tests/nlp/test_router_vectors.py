"""The learned router with sentence vectors: a vector head fused with the n-gram model where a text has a vector,
the n-gram model alone where it has none, saved and loaded as plain arrays; and with the real encoder on a handful
of complaints written for the test; in a workspace (SQLite and PostgreSQL), posts are routed by their stored
vectors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from citra import config
from citra.analyze import analyze, rerouter
from citra.errors import CitraError
from citra.nlp.agency import install, learned_scores
from citra.nlp.encoder import Encoder
from citra.nlp.normalize import Normalizer
from citra.nlp.pipeline import Pipeline
from citra.nlp.router import VECTORS, LearnedRouter, train_router
from citra.records import Author, Platform, Post
from citra.store import Store

AGENCIES = ("Dinas PUPR", "Dinas Kesehatan", "Dinas Perhubungan")


@pytest.fixture(scope="module")
def encoder() -> Encoder:
    return Encoder()


def _rows(n: int = 60) -> tuple[list[str], list[str], np.ndarray]:
    """Texts whose words say nothing about the agency (the same filler for all), vectors that do: each agency's
    vectors lie around its own direction."""
    rng = np.random.default_rng(7)
    centres = np.eye(3, 16)
    texts, labels, rows = [], [], []
    for i in range(n):
        k = i % 3
        texts.append(f"mohon ditindaklanjuti laporan warga nomor {i % 7} segera")
        labels.append(AGENCIES[k])
        v = centres[k] + rng.normal(scale=0.25, size=16)
        rows.append(v / np.linalg.norm(v))
    return texts, labels, np.array(rows, dtype=np.float32)


def test_vectors_decide_where_the_words_cannot(tmp_path: Path) -> None:
    texts, labels, vectors = _rows()
    model = train_router(texts, labels, vectors=vectors, vector_model="enc@1")
    assert model.vectors is not None and model.vectors.model == "enc@1"
    assert model.meta["metrics"]["cv_vectors"]["accuracy"] > 0.9  # out-of-fold, fused
    assert model.meta["metrics"]["cv"]["accuracy"] < 0.6  # the words alone: near chance
    a, b = model.vectors.weights
    assert b > a  # the fusion leans on the head that knows
    fused = model.predict(texts, list(vectors))
    assert sum(p == g for p, g in zip(fused, labels, strict=True)) / len(labels) > 0.9
    plain = train_router(texts, labels)
    assert plain.vectors is None
    assert np.allclose(model.proba(texts), plain.proba(texts))  # without vectors: the n-gram model, unchanged
    assert np.allclose(plain.proba(texts, list(vectors)), plain.proba(texts))  # a model without a head ignores them
    mixed = model.proba(texts[:2], [vectors[0], None])  # a text without a vector falls back to its words
    assert np.allclose(mixed[1], model.proba(texts[1:2])[0])
    assert np.allclose(mixed[0], model.proba(texts[:1], [vectors[0]])[0])

    model.save(tmp_path / "m")
    assert (tmp_path / "m" / VECTORS).is_file()
    again = LearnedRouter.load(tmp_path / "m")
    assert again.vectors is not None and again.vectors.model == "enc@1" and again.version == model.version
    assert np.allclose(again.proba(texts, list(vectors)), model.proba(texts, list(vectors)), atol=1e-4)


def test_vectors_of_another_encoder_or_shape_are_not_used(tmp_path: Path) -> None:
    texts, labels, vectors = _rows(30)
    model = train_router(texts, labels, vectors=vectors, vector_model="enc@1")
    other = learned_scores(model, texts, list(vectors), "enc@2")
    assert other == learned_scores(model, texts)  # another encoder's vectors: the n-gram scores
    same = learned_scores(model, texts, list(vectors), "enc@1")
    assert same != other and all(s is not None for s in same)
    with pytest.raises(CitraError, match="16"):
        model.proba(texts[:1], [np.ones(384, np.float32) / np.sqrt(384)])
    with pytest.raises(CitraError, match="one vector"):
        model.proba(texts, list(vectors[:3]))
    with pytest.raises(CitraError, match="as many vectors"):
        train_router(texts, labels, vectors=vectors[:5])
    model.save(tmp_path / "m")
    (tmp_path / "m" / VECTORS).unlink()
    with pytest.raises(CitraError, match="cannot load"):
        LearnedRouter.load(tmp_path / "m")


def test_real_encoder_vectors_route_paraphrases(encoder: Encoder) -> None:
    """Complaints written for the test: the fused model routes unseen paraphrases as the city did."""
    train = [
        ("jalan di desa kami berlubang besar dan rusak parah", "Dinas PUPR"),
        ("aspal jalan kabupaten mengelupas banyak lubang", "Dinas PUPR"),
        ("jembatan penghubung dusun retak dan hampir ambruk", "Dinas PUPR"),
        ("puskesmas tutup padahal jam pelayanan belum selesai", "Dinas Kesehatan"),
        ("antrean berobat di puskesmas lama sekali dokternya tidak ada", "Dinas Kesehatan"),
        ("obat di posyandu habis balita tidak dapat vitamin", "Dinas Kesehatan"),
    ]
    texts = [t for t, _ in train]
    normalizer = Normalizer.default()
    model = train_router(
        [normalizer.normalize(t) for t in texts],
        [a for _, a in train],
        vectors=encoder.embed(texts),
        vector_model=encoder.version,
    )
    unseen = ["lubang di jalan raya desa makin besar mohon diperbaiki", "dokter puskesmas tidak datang pasien menunggu"]
    vectors = encoder.embed(unseen)
    scores = learned_scores(model, [normalizer.normalize(t) for t in unseen], list(vectors), encoder.version)
    assert [next(iter(s)) for s in scores if s] == ["Dinas PUPR", "Dinas Kesehatan"]


def test_stored_vectors_route_posts_in_a_workspace(workspace: config.Workspace, store: Store) -> None:
    """With a vector-reading router installed, ``citra analyze`` and the deep tier's hook (``rerouter``) route a
    post by its stored vector; a post without one keeps its n-gram route."""
    texts, labels, vectors = _rows()
    install(train_router(texts, labels, vectors=vectors, vector_model="enc@1"), workspace.root)
    when = datetime(2026, 11, 2, 1, tzinfo=UTC)
    store.add_posts(
        [
            Post(Platform.X, str(i), texts[0], when + timedelta(hours=i), author=Author(str(i), f"w{i}"))
            for i in range(3)
        ]
    )
    ids = sorted(p.id for p in store.each())
    pipeline = Pipeline.for_workspace(workspace)
    assert pipeline.vector_model == "enc@1"
    analyze(store, pipeline)
    before = store.get(ids[2]).annotation
    assert before is not None
    store.save_vectors([(ids[0], vectors[1]), (ids[1], vectors[2])], "enc@1")  # Dinas Kesehatan, Dinas Perhubungan
    store.save_vectors([(ids[2], vectors[1])], "enc@2")  # another encoder's: not read
    hook = rerouter(store, workspace)
    assert hook is not None and hook(ids) == 3
    routed = [store.get(i).annotation for i in ids]
    assert [a.opds[0] for a in routed if a] == ["Dinas Kesehatan", "Dinas Perhubungan", before.opds[0]]
    assert routed[2] is not None and routed[2].opds == before.opds
    analyze(store, pipeline, rebuild=True)  # a full re-run reads the stored vectors too
    assert [a.opds[0] for i in ids[:2] if (a := store.get(i).annotation)] == ["Dinas Kesehatan", "Dinas Perhubungan"]


def test_no_hook_without_a_vector_reading_router(workspace: config.Workspace, store: Store) -> None:
    assert rerouter(store, workspace) is None  # no learned router
    texts, labels, _ = _rows(30)
    install(train_router(texts, labels), workspace.root)
    assert rerouter(store, workspace) is None  # one without a vector head
