"""Similar past complaints beside the routing suggestion, on real SQLite and PostgreSQL: the routed complaints
(the team's OPD label, else the inbox assignment; handed-back, official and other encoders' vectors left out)
with their vectors from the store, the exact nearest-neighbour search, and the real encoder on complaints written
for the test."""

from __future__ import annotations

import numpy as np
import pytest

from citra import similar
from citra.errors import CitraError
from citra.nlp.encoder import Encoder
from citra.nlp.similar import Neighbour, RoutedIndex, by_opd, nearest, vote
from citra.store import Store
from citra.store.similar import latest_model, routed_vectors
from tests.test_answers import _fill, _note, _official, _post

TEXTS = {
    "jalan1": "jalan di desa kami berlubang besar dan rusak parah mohon diperbaiki",
    "jalan2": "aspal jalan kabupaten mengelupas, banyak lubang berbahaya untuk motor",
    "sehat1": "puskesmas tutup padahal jam pelayanan belum selesai, pasien terlantar",
    "sampah": "sampah menumpuk di pinggir pasar sudah seminggu tidak diangkut",
    "balik": "lampu jalan di perempatan mati sudah dua minggu",
    "baru": "lubang di jalan raya desa makin besar, tolong segera ditambal",
}


@pytest.fixture(scope="module")
def encoder() -> Encoder:
    return Encoder()


@pytest.fixture
def routed(store: Store, encoder: Encoder) -> tuple[Store, dict[str, int]]:
    """Five old complaints and a new one, each with its vector: two assigned to Dinas PUPR (one of them labelled
    Dinas Perhubungan by the team, which wins), one to Dinas Kesehatan, one never routed, one handed back; an
    official post with a vector; the new complaint unrouted."""
    posts = [_post(k, i * 60, f"warga{i}", text) for i, (k, text) in enumerate(TEXTS.items())]
    posts.append(_official("resmi", 500, "jalan desa berlubang sudah kami perbaiki minggu ini"))
    ids = _fill(store, posts, {k: _note(opds=("Dinas PUPR",)) for k in TEXTS})
    store.inbox.assign(ids["jalan1"], by="admin", opd="Dinas PUPR")
    store.inbox.assign(ids["jalan2"], by="admin", opd="Dinas PUPR")
    store.set_human(ids["jalan2"], "analis", opd="Dinas Perhubungan")
    store.inbox.assign(ids["sehat1"], by="admin", opd="Dinas Kesehatan")
    store.inbox.assign(ids["balik"], by="admin", opd="Dinas PUPR")
    store.inbox.hand_back(ids["balik"], by="pupr", opd="Dinas PUPR", reason="bukan kami")
    keys = [*TEXTS, "resmi"]
    texts = [*TEXTS.values(), posts[-1].text]
    vectors = encoder.embed(texts)
    store.save_vectors([(ids[k], v) for k, v in zip(keys, vectors, strict=True)], encoder.version)
    return store, ids


def test_routed_complaints_with_their_opd_and_vector(routed: tuple[Store, dict[str, int]], encoder: Encoder) -> None:
    store, ids = routed
    assert latest_model(store) == encoder.version
    found = {pid: opd for pid, opd, _ in routed_vectors(store, encoder.version)}
    assert found == {
        ids["jalan1"]: "Dinas PUPR",
        ids["jalan2"]: "Dinas Perhubungan",  # the team's label wins over the assignment
        ids["sehat1"]: "Dinas Kesehatan",
    }  # not the unrouted, the handed-back, the new complaint or the official post
    assert routed_vectors(store, "another-encoder") == []
    newest = routed_vectors(store, encoder.version, limit=1)
    assert [pid for pid, _, _ in newest] == [ids["sehat1"]]
    index = similar.routed_index(store)
    assert len(index) == 3 and index.model == encoder.version and index.matrix.shape == (3, 384)


def test_nearest_routed_complaints_of_a_new_one(routed: tuple[Store, dict[str, int]]) -> None:
    store, ids = routed
    index = similar.routed_index(store)
    near = similar.for_posts(store, index, [ids["baru"], ids["sampah"], 10_000_000], min_similarity=0.0)
    assert set(near) == {ids["baru"], ids["sampah"]}  # a post without a vector gets nothing
    first = near[ids["baru"]][0]
    assert first.post_id in (ids["jalan1"], ids["jalan2"]) and first.opd in ("Dinas PUPR", "Dinas Perhubungan")
    assert near[ids["baru"]][-1].post_id == ids["sehat1"]  # the health complaint is the least like a pothole
    sims = [n.similarity for n in near[ids["baru"]]]
    assert sims == sorted(sims, reverse=True) and sims[0] > 0.85
    own = similar.for_posts(store, index, [ids["jalan1"]], min_similarity=0.0)[ids["jalan1"]]
    assert ids["jalan1"] not in [n.post_id for n in own]  # never its own neighbour
    assert similar.for_posts(store, index, [ids["baru"]], min_similarity=0.999) == {}
    assert similar.for_posts(store, RoutedIndex.empty(), [ids["baru"]]) == {}


def test_routed_index_is_empty_without_vectors(store: Store) -> None:
    store.add_posts([_post("a", 0, "warga")])
    assert latest_model(store) is None and len(similar.routed_index(store)) == 0


def test_nearest_is_exact_and_ordered() -> None:
    rng = np.random.default_rng(3)
    m = rng.normal(size=(200, 16)).astype(np.float32)
    rows = [(1000 + i, f"opd{i % 4}", m[i]) for i in range(200)]
    index = RoutedIndex.build(rows)
    assert np.allclose(np.linalg.norm(index.matrix, axis=1), 1.0, atol=1e-5)
    queries = index.matrix[:5] + 0.01
    got = nearest(index, queries, k=4, min_similarity=-1.0, exclude=[1000, 1001, 1002, 1003, 1004])
    brute = queries @ index.matrix.T
    for q, found in enumerate(got):
        order = [int(i) for i in np.argsort(-brute[q]) if int(i) != q][:4]
        assert [n.post_id for n in found] == [1000 + i for i in order]
        assert [n.opd for n in found] == [f"opd{i % 4}" for i in order]
    assert nearest(index, queries[:1], k=500, min_similarity=-1.0)[0][0].post_id == 1000
    assert len(nearest(index, queries[:1], k=500, min_similarity=-1.0)[0]) == 200
    assert nearest(RoutedIndex.empty(), queries) == [[] for _ in range(5)]
    with pytest.raises(CitraError, match="16"):
        nearest(index, np.ones((1, 8), np.float32))
    with pytest.raises(CitraError, match="one post id"):
        nearest(index, queries, exclude=[1])


def test_grouping_and_vote() -> None:
    found = [Neighbour(1, "Dinas PUPR", 0.93), Neighbour(2, "Dinas Perhubungan", 0.92), Neighbour(3, "Dinas PUPR", 0.9)]
    assert by_opd(found) == [("Dinas PUPR", [found[0], found[2]]), ("Dinas Perhubungan", [found[1]])]
    assert vote(found) == "Dinas PUPR" and vote([]) is None
