"""The inbox's "Mirip dengan aduan yang dulu ke <OPD>" line: the routed complaints nearest to the items of a page.

The index of routed complaints (``citra.similar.routed_index``) is cached like the dashboard's figures, under its
own key: a first request starts building it in the background and shows no line meanwhile (``Memo.peek``), later
requests reuse it for ``ttl`` seconds and a newer one is built behind them, so a complaint routed a minute ago
becomes a precedent within one ``ttl``. Only the page's own vectors are read per request."""

from __future__ import annotations

from collections.abc import Sequence

from citra import similar
from citra.nlp.similar import Neighbour, by_opd
from citra.store import Store
from citra.web.cache import Memo

KEY = ("similar", "routed-index")


def neighbours(store: Store, memo: Memo, post_ids: Sequence[int]) -> dict[int, list[tuple[str, list[Neighbour]]]]:
    """Per post id of the page with a vector: the nearest routed complaints grouped by OPD (most similar first);
    empty while the index is first being built."""
    index = memo.peek(KEY, lambda: similar.routed_index(store))
    if index is None or not post_ids:
        return {}
    return {post_id: by_opd(found) for post_id, found in similar.for_posts(store, index, post_ids).items()}
