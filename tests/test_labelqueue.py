"""The label queue and the multi-task label import, on SQLite and PostgreSQL: uncertainty order per task, diversity,
labelled posts left out, random audit draws recorded in audit_sample, and every column variant of the import."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path

import pytest
import sqlalchemy as sa

from citra import config, labelqueue
from citra.errors import SourceError
from citra.labelqueue import Task
from citra.labels import import_labels
from citra.records import Annotation, Author, Intent, Platform, Post, Sentiment, Target, TargetKind
from citra.store import Store
from citra.store.schema import audit_sample, post_opds

from .test_cli import citra

T0 = datetime(2026, 10, 1, 3, 0, tzinfo=UTC)
TEXTS = (
    "Sampah menumpuk di pasar Kranji sudah tiga hari",
    "Lampu PJU mati sepanjang Jalan Ahmad Yani malam ini",
    "Pohon tumbang menghalangi trotoar dekat sekolah",
    "Air PDAM keruh dan berbau sejak kemarin sore",
    "Bagaimana cara mengurus akta kelahiran anak kedua?",
    "Terima kasih puskesmas Bantargebang pelayanannya ramah",
    "Pedagang kaki lima memenuhi bahu jalan stasiun",
    "Bansos lansia belum cair padahal terdaftar DTKS",
)


def _post(native: str, text: str, hours: int, *, official: bool = False) -> Post:
    return Post(
        Platform.X, native, text, T0 + timedelta(hours=hours), author=Author("1", "warga"), is_official=official
    )


def _note(top: float, label: Sentiment = Sentiment.NEGATIVE, **kw: object) -> Annotation:
    rest = (1 - top) / 2
    probs = tuple(top if s is label else rest for s in Sentiment)
    return Annotation("id", 0.99, label, probs, **kw)  # type: ignore[arg-type]


def _add(store: Store, items: list[tuple[Post, Annotation | None]]) -> list[int]:
    store.add_posts([p for p, _ in items])
    ids = [store.lookup(p.native_id, p.platform)[0].id for p, _ in items]
    store.save_annotations([(i, a) for i, (_, a) in zip(ids, items, strict=True) if a is not None], "t1")
    return ids


def test_sentiment_queue_least_certain_first_and_labelled_left_out(store: Store) -> None:
    tops = (0.9, 0.34, 0.6, 0.45, 0.8, 0.5, 0.7, 0.55)
    ids = _add(store, [(_post(f"s{i}", t, i), _note(top)) for i, (t, top) in enumerate(zip(TEXTS, tops, strict=True))])
    official = _add(store, [(_post("o1", "Pengumuman resmi jadwal vaksin", 20, official=True), _note(0.34))])
    bare = _add(store, [(_post("b1", "Belum dianalisis sama sekali", 21), None)])
    got = labelqueue.queue(store, Task.SENTIMENT, 5)
    order = sorted(range(len(tops)), key=lambda i: tops[i])
    assert [it.post.id for it in got] == [ids[i] for i in order[:5]]
    assert all(a.uncertainty >= b.uncertainty for a, b in pairwise(got))
    assert got[0].model_label == "negative" and got[0].probability == pytest.approx(0.34, abs=1e-4)
    assert official[0] not in [it.post.id for it in got] and bare[0] not in [it.post.id for it in got]
    store.set_human(ids[1], "web:rina", sentiment=Sentiment.NEUTRAL)
    store.set_human(ids[3], "web:rina", opd="Dinas Sosial")  # a label of another task keeps it in this queue
    again = [it.post.id for it in labelqueue.queue(store, "sentiment", 20)]
    assert ids[1] not in again and ids[3] in again and len(again) == 7
    window = labelqueue.queue(store, Task.SENTIMENT, 20, since=T0 + timedelta(hours=4), until=T0 + timedelta(hours=6))
    assert sorted(it.post.id for it in window) == [ids[4], ids[5]]


def test_queue_is_diverse(store: Store) -> None:
    viral = [(_post(f"v{i}", f"RT @akun{i}: Jalan rusak parah di Jatiasih, tolong diperbaiki! {i}", i),
              _note(0.34 + i / 1000)) for i in range(12)]  # fmt: skip
    distinct = [(_post(f"d{i}", t, 30 + i), _note(0.5)) for i, t in enumerate(TEXTS)]
    _add(store, viral + distinct)
    got = labelqueue.queue(store, Task.SENTIMENT, 6)
    texts = [it.post.post.text for it in got]
    assert len(got) == 6 and sum("Jatiasih" in t for t in texts) == 1  # one of the twelve look-alikes
    assert labelqueue.normalised("RT @a: Jalan RUSAK, 12 km!! https://t.co/x") == "rt jalan rusak km"
    # topics: with most candidates in one topic, no topic takes more than a third while others wait
    store2_items = [(_post(f"t{i}", t, 60 + i), _note(0.4, topics=("jalan",) if i < 6 else ("sampah",)))
                    for i, t in enumerate(TEXTS)]  # fmt: skip
    _add(store, store2_items)
    topics = [it.post.annotation.topics for it in labelqueue.queue(store, Task.SENTIMENT, 3)]
    assert topics.count(("jalan",)) == 1


def test_routing_queue_no_route_and_close_scores_first(store: Store) -> None:
    items = [
        (_post("r0", TEXTS[0], 0), _note(0.9, topics=("sampah",), opds=("DLH",))),  # one clear route
        (_post("r1", TEXTS[1], 1), _note(0.9)),  # no route at all
        (_post("r2", TEXTS[2], 2), _note(0.9, topics=("pohon", "jalan"), opds=("DLH", "PUPR"))),  # scores close
        (_post("r3", TEXTS[3], 3), _note(0.9, topics=("air", "jalan"), opds=("PDAM", "PUPR"))),  # scores apart
    ]
    ids = _add(store, items)
    with store.engine.begin() as conn:
        conn.execute(post_opds.delete())
        rows = [(ids[0], "DLH", 0, 2.0), (ids[2], "DLH", 0, 1.0), (ids[2], "PUPR", 1, 0.9),
                (ids[3], "PDAM", 0, 3.0), (ids[3], "PUPR", 1, 0.5)]  # fmt: skip
        conn.execute(post_opds.insert(), [dict(zip(("post_id", "opd", "rank", "score"), r, strict=True)) for r in rows])
    got = labelqueue.queue(store, Task.ROUTING, 4)
    assert [it.post.id for it in got] == [ids[1], ids[2], ids[3], ids[0]]
    assert got[0].model_label == "" and got[0].uncertainty == 1.0 and got[1].uncertainty == pytest.approx(0.9)
    store.set_human(ids[1], "web:rina", opd="Dinas PUPR")
    assert ids[1] not in [it.post.id for it in labelqueue.queue(store, Task.ROUTING, 4)]


def test_needs_response_queue_near_the_rule(store: Store) -> None:
    institution = (Target(TargetKind.INSTITUTION, "Pemkot"),)
    items = [
        (_post("n0", TEXTS[0], 0), _note(0.9, Sentiment.POSITIVE, intent=Intent.INFORMATION)),
        (_post("n4", TEXTS[6], 4), _note(0.9, intent=Intent.INFORMATION)),  # unflagged but negative
        (_post("n1", TEXTS[4], 1), _note(0.9, intent=Intent.QUESTION, needs_response=False)),  # asks, not flagged
        (_post("n2", TEXTS[2], 2), _note(0.9, intent=Intent.COMPLAINT, needs_response=True)),  # flagged, no target
        (_post("n3", TEXTS[3], 3), _note(0.9, intent=Intent.COMPLAINT, needs_response=True, targets=institution)),
    ]
    ids = _add(store, items)
    got = labelqueue.queue(store, Task.NEEDS_RESPONSE, 5)
    assert [it.post.id for it in got] == [ids[2], ids[3], ids[1], ids[4], ids[0]]
    assert [it.model_label for it in got] == ["tidak", "ya", "tidak", "ya", "tidak"]


def test_random_draw_is_recorded_and_never_repeats(store: Store) -> None:
    ids = _add(store, [(_post(f"a{i}", f"{TEXTS[i % 8]} nomor {i}", i), _note(0.5)) for i in range(30)])
    official = _add(store, [(_post("ao", "Info resmi", 40, official=True), _note(0.5))])
    store.set_human(ids[0], "web:rina", sentiment=Sentiment.POSITIVE)  # labelled posts stay drawable
    first = labelqueue.draw_audit(store, "cli:rina", Task.SENTIMENT, 12)
    second = labelqueue.draw_audit(store, "cli:rina", "sentiment", 50)
    drawn = [it.post.id for it in first + second]
    assert len(first) == 12 and len(second) == 18 and sorted(drawn) == sorted(ids)  # every citizen post, once
    assert official[0] not in drawn and all(it.audit for it in first)
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(audit_sample.c.task, audit_sample.c.drawn_by, sa.func.count())
                            .group_by(audit_sample.c.task, audit_sample.c.drawn_by)).all()  # fmt: skip
    assert [tuple(r) for r in rows] == [("sentiment", "cli:rina", 30)]
    assert labelqueue.draw_audit(store, "cli:rina", Task.ROUTING, 3)  # another task draws on its own
    counts = {c.task: c for c in labelqueue.counts(store)}
    assert (counts["sentiment"].labelled, counts["sentiment"].audit_labelled, counts["sentiment"].audit_drawn) == (
        1, 1, 30)  # fmt: skip
    assert counts["routing"].audit_drawn == 3 and counts["routing"].audit_labelled == 0
    pending = labelqueue.pending_audit(store, Task.SENTIMENT, 100)
    assert len(pending) == 29 and ids[0] not in [it.post.id for it in pending]
    assert [e["action"] for e in store.accounts.audit_log()].count("audit.draw") == 3


def test_random_draw_looks_uniform(store: Store) -> None:
    """200 draws of 10 from 40 posts: each post is drawn about 50 times (a biased draw would fail the chi-square)."""
    from scipy.stats import chisquare

    ids = _add(store, [(_post(f"u{i}", f"teks nomor {i}", i), _note(0.3 + i / 100)) for i in range(40)])
    seen = dict.fromkeys(ids, 0)
    for _ in range(200):
        for post_id in store.labelling.draw("sentiment", 10, "test"):
            seen[post_id] += 1
        with store.engine.begin() as conn:
            conn.execute(audit_sample.delete())
    assert sum(seen.values()) == 2000
    assert chisquare(list(seen.values())).pvalue > 0.001


def test_cli_queue_csv_json_and_random(workspace: config.Workspace, store: Store) -> None:
    ids = _add(store, [(_post(f"c{i}", t, i), _note(0.4 + i / 50)) for i, t in enumerate(TEXTS)])
    out = citra("label", "queue", "--n", "3", "--csv", ws=workspace.root)
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert [r["id"] for r in rows] == ["c0", "c1", "c2"] and tuple(rows[0]) == labelqueue.SHEET_COLUMNS
    assert rows[0]["sentiment"] == "" and rows[0]["model_label"] == "negative" and rows[0]["platform"] == "x"
    drawn = json.loads(citra("label", "queue", "--n", "4", "--random", "--json", "--task", "routing",
                             ws=workspace.root).stdout)  # fmt: skip
    assert len(drawn) == 4 and all(r["audit"] for r in drawn)
    assert len(store.labelling.audit_members("routing")) == 4
    assert store.labelling.audit_members("routing")[0] in ids
    # fill the sheet and import it back: sentiment and OPD from the same rows
    sheet = Path(workspace.root) / "filled.csv"
    with sheet.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=labelqueue.SHEET_COLUMNS)
        writer.writeheader()
        for r in rows:
            writer.writerow({**r, "sentiment": "netral", "opd": "Dinas Sosial"})
    done = citra("label", "import", sheet, "--label-col", "sentiment", "--opd-col", "opd", "--json", ws=workspace.root)
    summary = json.loads(done.stdout)
    assert summary["by_task"] == {"sentiment": 3, "opd": 3, "needs_response": 0} and summary["rejected"] == 0
    assert [p.human.opd for p in (store.get(i) for i in ids[:3])] == ["Dinas Sosial"] * 3


# the import ---------------------------------------------------------------------------------------------------------


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_import_every_column_variant(store: Store, tmp_path: Path) -> None:
    ids = _add(store, [(_post(f"i{i}", t, i), _note(0.5)) for i, t in enumerate(TEXTS)])
    path = _write(tmp_path / "l.csv",
        "id,platform,teks,sent,dinas,perlu\n"
        "i0,x,,positif,Dinas Lingkungan Hidup,ya\n"  # all three tasks
        "i1,,,,Dinas PUPR,\n"  # OPD only
        "i2,twitter,,,,tidak\n"  # needs_response only
        "i3,,,negatif,,1\n"
        f",,{TEXTS[4]},netral,,false\n"  # by text: exactly one stored post has it
        ",,Teks yang tidak tersimpan,positive,,\n"  # a bare text: sentiment training only
        ",,Teks lain yang tidak tersimpan,,Dinas Sosial,\n"  # OPD of a bare text: refused
        "i5,,,,,mungkin\n"  # unknown needs_response
        "i6,,,,,\n"  # no label
        "zz,,,positive,,\n"  # unknown id without text
        "i7,,,,x" + "y" * 130 + ",\n",  # OPD name too long
    )  # fmt: skip
    summary = import_labels(store, path, text_col="teks", label_col="sent", opd_col="dinas",
                            needs_response_col="perlu", actor="cli:rina")  # fmt: skip
    assert summary.by_task == {"sentiment": 4, "opd": 2, "needs_response": 4}
    assert (summary.read, summary.stored, summary.matched_posts, summary.text_only) == (11, 10, 5, 1)
    assert [(p["line"], str(p["reason"])[:20]) for p in summary.rejected] == [
        (8, "OPD and needs_respon"), (9, "unknown needs_respon"), (10, "no label"),
        (11, "no stored post with "), (12, "OPD name longer than")]  # fmt: skip
    first = store.get(ids[0])
    assert (first.sentiment, first.human.opd, first.needs_response) == (
        Sentiment.POSITIVE,
        "Dinas Lingkungan Hidup",
        True,
    )
    assert store.get(ids[1]).opds[0] == "Dinas PUPR" and store.get(ids[1]).human.sentiment is None
    assert store.get(ids[2]).needs_response is False and store.get(ids[3]).needs_response is True
    assert store.get(ids[4]).sentiment is Sentiment.NEUTRAL and store.get(ids[4]).needs_response is False
    assert not store.labelling.audit_members("sentiment")  # not an audit import
    assert next(e["action"] for e in store.accounts.audit_log()) == "label.import"


def test_import_audit_marks_the_labelled_posts(store: Store, tmp_path: Path) -> None:
    ids = _add(store, [(_post(f"j{i}", t, i), _note(0.5)) for i, t in enumerate(TEXTS)])
    path = _write(tmp_path / "a.csv", "id,label,opd\nj0,positive,\nj1,,Dinas PUPR\nj2,negative,Dinas Sosial\n")
    summary = import_labels(store, path, label_col="label", opd_col="opd", audit=True, actor="cli:rina")
    assert summary.audit_added == 4
    assert sorted(store.labelling.audit_members("sentiment")) == [ids[0], ids[2]]
    assert sorted(store.labelling.audit_members("routing")) == [ids[1], ids[2]]
    counts = {c.task: c for c in store.labelling.counts()}
    assert counts["sentiment"].audit_labelled == 2 and counts["routing"].audit_labelled == 2
    again = import_labels(store, path, label_col="label", opd_col="opd", audit=True)
    assert again.audit_added == 0  # members are recorded once


def test_import_sentiment_only_keeps_its_old_shape(store: Store, tmp_path: Path) -> None:
    ids = _add(store, [(_post(f"k{i}", t, i), _note(0.5)) for i, t in enumerate(TEXTS)])
    path = _write(tmp_path / "s.csv", "post,nilai\nk0,positive\nk1,\n")
    summary = import_labels(store, path, id_col="post", label_col="nilai")
    assert (summary.stored, summary.matched_posts, [p["line"] for p in summary.rejected]) == (1, 1, [3])
    assert store.get(ids[0]).sentiment is Sentiment.POSITIVE
    with pytest.raises(SourceError, match="no OPD column 'dinas'"):
        import_labels(store, path, id_col="post", opd_col="dinas")
    with pytest.raises(SourceError, match="no label column 'label'"):
        import_labels(store, _write(tmp_path / "n.csv", "id,opd\nk0,Dinas PUPR\n"), label_col="label")
    only_opd = import_labels(store, tmp_path / "n.csv", label_col=None, opd_col="opd")
    assert only_opd.by_task["opd"] == 1 and store.get(ids[0]).human.opd == "Dinas PUPR"


def test_cli_import_id_and_label_columns_and_audit(workspace: config.Workspace, store: Store, tmp_path: Path) -> None:
    """``citra label import FILE --id-col C --label-col C`` keeps its meaning (sentiment); --needs-response-col and
    --audit from the command line; a file with nothing usable exits non-zero and names the lines."""
    ids = _add(store, [(_post(f"m{i}", t, i), _note(0.5)) for i, t in enumerate(TEXTS)])
    path = _write(tmp_path / "s.csv", "kode,kelas,respon\nm0,negatif,ya\nm1,positif,tidak\n")
    done = json.loads(citra("label", "import", path, "--id-col", "kode", "--label-col", "kelas", "--json",
                            ws=workspace.root).stdout)  # fmt: skip
    assert done["by_task"] == {"sentiment": 2, "opd": 0, "needs_response": 0} and done["audit_added"] == 0
    assert store.get(ids[0]).sentiment is Sentiment.NEGATIVE and store.get(ids[0]).human.needs_response is None
    both = citra("label", "import", path, "--id-col", "kode", "--label-col", "kelas", "--needs-response-col", "respon",
                 "--audit", ws=workspace.root)  # fmt: skip
    assert "Added 4 posts to the audit sample" in both.stderr
    assert store.get(ids[1]).needs_response is False and sorted(store.labelling.audit_members("needs_response")) == [
        ids[0], ids[1]]  # fmt: skip
    bad = _write(tmp_path / "bad.csv", "kode,kelas\nzz,positive\nm2,marah\n")
    failed = citra("label", "import", bad, "--id-col", "kode", "--label-col", "kelas", ws=workspace.root, check=False)
    assert (
        failed.returncode == 3 and "line 2: no stored post with id zz" in failed.stderr and "line 3:" in failed.stderr
    )
