"""Similar past complaints for the inbox: the routed complaints nearest to each item, with the OPD each went to.

Wires the store (``citra.store.similar``: routed complaints with a sentence vector; ``Store.vectors``: the items'
own vectors, written by the deep tier) to the pure search (``citra.nlp.similar``). An item the deep tier has not
reached yet has no vector and gets no neighbours: the page shows nothing rather than load the encoder in a request.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from citra.nlp.similar import MIN_SIMILARITY, K, Neighbour, RoutedIndex, nearest
from citra.store import Store
from citra.store.similar import LIMIT, latest_model, routed_vectors


def routed_index(store: Store, *, model: str | None = None, limit: int = LIMIT) -> RoutedIndex:
    """The index of the newest ``limit`` routed complaints that have a vector of encoder ``model`` (default: the
    encoder of the newest stored vector, so the web needs no encoder to know it)."""
    model = model or latest_model(store)
    if model is None:
        return RoutedIndex.empty()
    return RoutedIndex.build(routed_vectors(store, model, limit=limit), model)


def for_posts(
    store: Store,
    index: RoutedIndex,
    post_ids: Sequence[int],
    *,
    k: int = K,
    min_similarity: float = MIN_SIMILARITY,
) -> dict[int, list[Neighbour]]:
    """The routed complaints nearest to each post (by id) that has a vector of the index's encoder; posts without
    one, or without a neighbour as similar as ``min_similarity``, are left out."""
    if len(index) == 0 or not post_ids:
        return {}
    found = store.vectors(post_ids, model=index.model or None)
    ids = [i for i in dict.fromkeys(post_ids) if i in found]
    if not ids:
        return {}
    matrix = np.vstack([found[i] for i in ids])
    neighbours = nearest(index, matrix, k=k, min_similarity=min_similarity, exclude=ids)
    return {i: n for i, n in zip(ids, neighbours, strict=True) if n}
