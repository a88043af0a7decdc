"""The inbox suggests the routing's first OPD, or none; without one the assign form asks (no silent default)."""

from __future__ import annotations

import re
from datetime import timedelta

from citra.records import Annotation, Author, Intent, Platform, Post, Sentiment
from citra.store import Store

from .conftest import START


def _add(store: Store, native_id: str, text: str, opds: tuple[str, ...]) -> int:
    post = Post(
        platform=Platform.X,
        native_id=native_id,
        text=text,
        created_at=START - timedelta(days=2, minutes=len(opds)),
        author=Author("77", "warga77", "Warga 77", 10),
    )
    store.add_posts([post])
    (pid,) = [s.id for s in store.lookup(native_id, Platform.X)]
    note = Annotation(
        lang="id",
        lang_score=0.99,
        sentiment=Sentiment.NEGATIVE,
        probs=(0.8, 0.1, 0.1),
        opds=opds,
        opd_scores=tuple(0.9 - 0.3 * i for i in range(len(opds))),
        intent=Intent.COMPLAINT,
        needs_response=True,
    )
    store.save_annotations([(pid, note)], "test-1")
    return pid


def _select(page: str, pid: int) -> str:
    item = page[page.index(f'id="item-{pid}"') :]
    found = re.search(r'<select name="opd"[^>]*>.*?</select>', item[: item.index("</li>")], re.S)
    assert found, "no OPD choice in the item's form"
    return found.group(0)


def test_suggestion_is_rank_zero_and_none_means_the_form_asks(as_user, filled) -> None:
    with Store.open(filled.ws.database_url) as store:
        none = _add(store, "9001", "mohon ditindaklanjuti segera", ())
        ranked = _add(store, "9002", "dishub tolong perbaiki pju", ("Dinas Perhubungan", "Dinas Kesehatan"))
    admin, _ = as_user("admin")
    page = admin.get("/keterlibatan").text
    asking = _select(page, none)
    assert " required" in asking
    assert re.search(r'<option value="" selected>— pilih OPD —</option>', asking)
    assert asking.count("selected") == 1  # no agency chosen for the team
    chosen = _select(page, ranked)
    assert "required" not in chosen and "pilih OPD" not in chosen
    assert re.findall(r"<option selected>([^<]+)</option>", chosen) == ["Dinas Perhubungan"]
    item = page[page.index(f'id="item-{ranked}"') :]
    assert "Dinas Perhubungan" in item[: item.index("<form")]  # the suggestion shown is rank 0, not min(name)
