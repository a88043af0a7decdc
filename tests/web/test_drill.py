"""From every number to its posts (both backends): the links of Isu & OPD and Ringkasan open Percakapan on the
same count, "Unduh CSV" of post lists and tables, saved searches (saved, applied, renamed and deleted only by
their creator or an admin, audited)."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import date, timedelta

import pytest

from citra import filters
from citra.errors import CitraError
from citra.records import Author, Platform, Post, Sentiment, Target, TargetKind
from citra.store import Store
from citra.web.links import conversations_url, csv_url

from .conftest import START

LINK = re.compile(r'<a class="drill drill-count" href="([^"]+)" data-count="(\d+)"')
TOTAL = re.compile(r'id="post-total" data-total="(\d+)"')


def _total(page: str) -> int:
    found = TOTAL.search(page)
    assert found, "no total on Percakapan"
    return int(found.group(1))


def _csv(body: bytes) -> list[dict[str, str]]:
    assert body.startswith(b"\xef\xbb\xbf"), "no UTF-8 byte-order mark"
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def test_links_keep_the_parameter_names() -> None:
    url = conversations_url(topic="roads", opd="Dinas PUPR", target="leader:Budi", sentiment="negative", who="citizen")
    assert url == "/percakapan?topic=roads&opd=Dinas+PUPR&target=leader%3ABudi&sentiment=negative&who=citizen"
    assert conversations_url(since=date(2026, 9, 1), until=date(2026, 9, 30), q="banjir", saved=3).endswith(
        "since=2026-09-01&until=2026-09-30&q=banjir&saved=3"
    )
    assert conversations_url() == "/percakapan"
    assert csv_url("/percakapan?topic=a&cursor=t1.2") == "/percakapan?topic=a&format=csv"
    with pytest.raises(TypeError):
        conversations_url(topik="jalan")
    parsed = filters.parse({"target": "leader:Budi Santoso", "who": "citizen", "sentiment": "negative", "q": " x "})
    assert parsed.target == Target(TargetKind.LEADER, "Budi Santoso") and parsed.official is False
    assert filters.parse(parsed.params()) == parsed and parsed.text == "x"
    with pytest.raises(CitraError):
        filters.parse({"who": "everyone"})


def test_every_table_row_opens_its_posts_with_the_same_count(as_user) -> None:
    admin, _ = as_user("admin")
    page = admin.get("/isu").text
    rows = [(html.unescape(u), int(n)) for u, n in LINK.findall(page)]
    kinds = {k for u, _n in rows for k in ("topic=", "opd=", "target=") if k in u}
    assert kinds == {"topic=", "opd=", "target="} and len(rows) >= 7
    for url, count in rows:
        assert url.startswith("/percakapan?") and "who=citizen" in url and "since=" in url and "until=" in url
        shown = admin.get(url).text
        assert _total(shown) == count, url
        if "target=" in url:  # the chip names the target in words, not by its key
            chips = html.unescape(" ".join(re.findall(r'<li class="chip"><span>([^<]*)</span>', shown)))
            assert chips and not re.search(r"\b(leader|institution|entity):", chips), chips
    overview = admin.get("/").text
    (url, count), *_ = [(html.unescape(u), int(n)) for u, n in LINK.findall(overview)]
    assert _total(admin.get(url).text) == count
    # a chart bar carries the same kind of link in its customdata, and the negative share its own
    assert '"customdata":["\\u002fpercakapan?topic=' in page.replace(" ", "")
    neg = html.unescape(re.search(r'href="([^"]+sentiment=negative[^"]*)"', page).group(1))
    shown = _total(admin.get(neg).text)
    assert 0 < shown < rows[0][1]


def test_download_posts_and_tables_as_csv(as_user, filled) -> None:
    with Store.open(filled.ws.database_url) as store:
        formula = Post(
            platform=Platform.X,
            native_id="formula-1",
            text='=HYPERLINK("http://evil.example","klik") jalan rusak',
            created_at=START + timedelta(days=5),
            author=Author("99", "@jahil", "Jahil", 1),
        )
        store.add_posts([formula])
    admin, _ = as_user("admin")
    listed = admin.get("/percakapan?who=citizen")
    assert 'href="?who=citizen&amp;format=csv"' in listed.text
    got = admin.get("/percakapan?who=citizen&format=csv")
    assert got.status_code == 200 and got.headers["content-type"].startswith("text/csv")
    assert re.fullmatch(
        r'attachment; filename="percakapan_\d{4}-\d\d-\d\d_\d{4}-\d\d-\d\d\.csv"', got.headers["content-disposition"]
    )
    rows = _csv(got.content)
    assert len(rows) == _total(listed.text) > 25  # every post, not one page
    assert list(rows[0])[:3] == ["waktu", "platform", "id_asli"]
    (bad,) = [r for r in rows if r["id_asli"] == "formula-1"]
    assert bad["teks"].startswith("'=HYPERLINK") and bad["akun"] == "'@jahil"
    negative = _csv(admin.get("/percakapan?who=citizen&topic=roads&sentiment=negative&format=csv").content)
    assert negative and {r["sentimen"] for r in negative} == {"negative"}
    table = admin.get("/isu?format=csv&table=opd")
    assert table.headers["content-disposition"].startswith('attachment; filename="isu-opd_')
    opds = _csv(table.content)
    assert {r["nama"] for r in opds} >= {"Dinas PUPR", "Dinas Kesehatan"}
    for r in opds:
        assert _total(admin.get(r["tautan"]).text) == int(r["posting"])
    kinds = _csv(admin.get("/publikasi?format=csv").content)
    assert kinds and sum(int(r["posting"]) for r in kinds) > 0 and "keterlibatan_rata2" in kinds[0]
    strategy = admin.get("/strategi?name=Kampanye+Jalan+Mulus").text
    before, after = (html.unescape(u) for u in re.findall(r'<a class="drill" href="([^"]+)">', strategy)[:2])
    assert "until=2026-09-19" in before and "since=2026-09-20" in after and _total(admin.get(after).text) > 0
    # an OPD user sees neither the page nor its download
    pupr, _ = as_user("pupr")
    assert pupr.get("/percakapan?format=csv").status_code == 403


def test_saved_searches_are_shared_applied_and_changed_only_by_their_creator(as_user, filled) -> None:
    analis, token = as_user("analis")
    form = {"csrf_token": token, "name": "Jalan negatif", "topic": "roads", "sentiment": "negative", "who": "citizen"}
    done = analis.post("/percakapan/simpan", data=form, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"].startswith("/percakapan?saved=")
    saved_id = int(done.headers["location"].rsplit("=", 1)[1])
    applied = analis.get(f"/percakapan?saved={saved_id}").text
    direct = analis.get("/percakapan?topic=roads&sentiment=negative&who=citizen").text
    assert _total(applied) == _total(direct) > 0 and "Jalan negatif" in applied
    with Store.open(filled.ws.database_url) as store:
        chosen = filters.from_saved(store, saved_id)
        assert chosen.sentiment is Sentiment.NEGATIVE and chosen.topic == "roads"
        assert store.count(chosen.query(None, None)) >= _total(applied)
    # Ringkasan with the saved search as its filter: its posts tile counts the same posts and links to them
    dashboard = analis.get(f"/?saved={saved_id}").text
    (url, count), *_ = [(html.unescape(u), int(n)) for u, n in LINK.findall(dashboard)]
    assert "topic=roads" in url and "sentiment=negative" in url and count == _total(applied)
    assert _total(analis.get(url).text) == count < _total(analis.get("/percakapan?who=citizen").text)
    viewer, vtoken = as_user("pemirsa")
    assert "Jalan negatif" in viewer.get("/percakapan").text  # shared by the team
    refused = viewer.post(f"/percakapan/simpan/{saved_id}/hapus", data={"csrf_token": vtoken})
    assert refused.status_code == 403
    renamed = analis.post(f"/percakapan/simpan/{saved_id}/ganti-nama", data={"csrf_token": token, "name": "Jalan"})
    assert renamed.status_code == 200 and "Jalan negatif" not in renamed.text
    admin, atoken = as_user("admin")
    assert admin.post(f"/percakapan/simpan/{saved_id}/hapus", data={"csrf_token": atoken}).status_code == 200
    assert analis.get(f"/percakapan?saved={saved_id}").status_code == 404
    with Store.open(filled.ws.database_url) as store:
        actions = [e["action"] for e in store.accounts.audit_log() if e["target"] == f"search:{saved_id}"]
    assert sorted(actions) == ["search.delete", "search.rename", "search.save"]


def test_a_long_download_is_bounded_per_page_not_as_a_whole(filled) -> None:
    from citra.store import deadline
    from citra.store.deadline import DeadlinePassed
    from citra.web import data
    from citra.web.data import Window

    win = Window(date(2026, 7, 1), date(2026, 10, 31), filled.ws.tz)
    with Store.open(filled.ws.database_url) as store:
        everyone = store.count(filters.Filters().query(win.since, win.until))
        with deadline.within(-1):  # the request's own time is over, as after a long download on a busy server
            with pytest.raises(DeadlinePassed):
                store.count(filters.Filters().query(win.since, win.until))
            read = list(data.each_post(store, win, filters.Filters(), size=50, page_seconds=30))
    assert len(read) == everyone > 50 and len({p.id for p in read}) == everyone
