"""The "Beri label" page on SQLite and PostgreSQL: the queue per task, labels through curate (audited, roles), the
random audit draw, the counts, and the retrain / rollback buttons (admins only)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest

from citra.records import Annotation, Author, Intent, Platform, Post, Sentiment
from citra.store import PostQuery, Store
from citra.store.labelling import TaskCounts

from .conftest import START, Filled

TEXTS = (
    "Sampah menumpuk di pasar Kranji sudah tiga hari",
    "Lampu PJU mati sepanjang Jalan Ahmad Yani malam ini",
    "Pohon tumbang menghalangi trotoar dekat sekolah",
    "Air PDAM keruh dan berbau sejak kemarin sore",
    "Bagaimana cara mengurus akta kelahiran anak kedua?",
    "Terima kasih puskesmas Bantargebang pelayanannya ramah",
    "Pedagang kaki lima memenuhi bahu jalan stasiun",
    "Bansos lansia belum cair padahal terdaftar DTKS",
    "Drainase mampet, genangan setinggi lutut tiap hujan",
    "PPDB zonasi membingungkan orang tua murid",
    "Parkir liar bikin macet di depan mal setiap sore",
    "BPJS PBI saya nonaktif tanpa pemberitahuan",
    "Aplikasi layanan kota sering error waktu login",
    "Kebakaran gudang di Rawalumbu, damkir datang cepat",
    "Izin usaha lewat OSS lama sekali diprosesnya",
    "Bau limbah pabrik menyengat sampai permukiman",
    "Taman kota sekarang bersih dan terang, mantap",
    "Pungli di kantor kelurahan tolong ditindak",
    "Lowongan kerja dari pemkot diumumkan di mana ya?",
    "Jembatan penyeberangan orang karatan dan bolong",
    "Nyamuk banyak sekali, minta fogging di RW 05",
    "Antrean KTP elektronik mengular sejak subuh",
    "Banjir rob masuk rumah warga pesisir utara",
    "Pelatihan UMKM gratis dari dinas sangat bermanfaat",
)


def add_distinct_posts(filled: Filled) -> list[int]:
    """Citizens' posts with distinct texts and spread-out model probabilities (the fixture's texts differ only
    in their numbers, which the queue rightly treats as one text)."""
    posts = [
        Post(Platform.X, f"lbl{i}", text, START + timedelta(days=5, hours=i), author=Author("9", "warga_lbl"))
        for i, text in enumerate(TEXTS)
    ]
    with Store.open(filled.ws.database_url) as store:
        store.add_posts(posts)
        ids = [store.lookup(p.native_id, p.platform)[0].id for p in posts]
        notes = []
        for i, pid in enumerate(ids):
            top = 0.36 + 0.02 * i  # the first texts are the least certain
            rest = (1 - top) / 2
            probs = (rest, top, rest) if i % 2 else (top, rest, rest)
            label = Sentiment.NEUTRAL if i % 2 else Sentiment.NEGATIVE
            notes.append((pid, Annotation("id", 0.99, label, probs, intent=Intent.QUESTION, needs_response=False)))
        store.save_annotations(notes, "test-1")
    return ids


@pytest.fixture
def distinct(filled: Filled) -> list[int]:
    return add_distinct_posts(filled)


def _counts(filled: Filled) -> dict[str, TaskCounts]:
    with Store.open(filled.ws.database_url) as store:
        return {c.task: c for c in store.labelling.counts()}


def _queued(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<li class="post" id="post-(\d+)"', html)]


def test_label_page_labels_each_task_and_counts(as_user, filled: Filled, distinct: list[int]) -> None:  # type: ignore[no-untyped-def]
    client, csrf = as_user("analis")
    page = client.get("/label")
    assert page.status_code == 200 and "Beri label" in page.text and 'href="/label"' in page.text
    first = _queued(page.text)
    assert len(first) == 20 and first[:3] == distinct[:3]  # least certain first; one of the look-alike reports
    done = client.post(
        "/label/set",
        data={"post_id": first[0], "task": "sentiment", "value": "positive", "csrf_token": csrf},
        follow_redirects=True,
    )
    assert done.status_code == 200 and "Label disimpan" in done.text
    assert first[0] not in _queued(done.text)  # labelled posts leave the queue
    assert _counts(filled)["sentiment"].labelled == 1
    routing = client.get("/label?task=routing")
    target = _queued(routing.text)[0]
    client.post("/label/set", data={"post_id": target, "task": "routing", "value": "Dinas Sosial", "csrf_token": csrf})
    needs = _queued(client.get("/label?task=needs_response").text)[0]
    client.post("/label/set", data={"post_id": needs, "task": "needs_response", "value": "ya", "csrf_token": csrf})
    with Store.open(filled.ws.database_url) as store:
        assert store.get(target).human.opd == "Dinas Sosial" and store.get(target).opds[0] == "Dinas Sosial"
        assert store.get(needs).needs_response is True
        actions = [e["action"] for e in store.accounts.audit_log()]
    assert actions.count("label.set") == 3
    bad = client.post(
        "/label/set", data={"post_id": needs, "task": "needs_response", "value": "maybe", "csrf_token": csrf}
    )
    assert bad.status_code == 400


def test_audit_mode_draws_at_random_and_counts_audit_labels(as_user, filled: Filled) -> None:  # type: ignore[no-untyped-def]
    client, csrf = as_user("analis")
    empty = client.get("/label?mode=audit&lang=en")
    assert "Random audit sample" in empty.text and _queued(empty.text) == []
    drawn = client.post("/label/draw", data={"task": "sentiment", "n": 5, "csrf_token": csrf}, follow_redirects=True)
    members = _queued(drawn.text)
    assert len(members) == 5
    client.post("/label/set", data={"post_id": members[0], "task": "sentiment", "value": "neutral",
                                    "mode": "audit", "csrf_token": csrf})  # fmt: skip
    counts = _counts(filled)["sentiment"]
    assert (counts.labelled, counts.audit_labelled, counts.audit_drawn) == (1, 1, 5)
    again = client.get("/label?mode=audit")
    assert members[0] not in _queued(again.text) and len(_queued(again.text)) == 4


def test_roles(as_user, filled: Filled) -> None:  # type: ignore[no-untyped-def]
    viewer, csrf = as_user("pemirsa")
    assert viewer.get("/label").status_code == 403
    refused = viewer.post("/label/set", data={"post_id": filled.xss_id, "task": "sentiment", "value": "positive",
                                              "csrf_token": csrf})  # fmt: skip
    assert refused.status_code == 403
    analyst, csrf = as_user("analis")
    assert analyst.post("/label/retrain", data={"csrf_token": csrf}).status_code == 403
    assert analyst.post("/label/rollback", data={"csrf_token": csrf}).status_code == 403
    assert "/label/retrain" not in analyst.get("/label").text
    forged = analyst.post("/label/set", data={"post_id": filled.xss_id, "task": "sentiment", "value": "positive"})
    assert forged.status_code == 403  # no CSRF token


def test_retrain_button_runs_a_job_shows_figures_and_rolls_back(  # type: ignore[no-untyped-def]
    as_user, app, filled: Filled, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from citra import retrain

    monkeypatch.setenv("CITRA_SHARED_DATA", str(tmp_path / "none"))  # the team's labels alone: a small, quick job
    client, csrf = as_user("admin")
    job = app.state.jobs
    client.post("/label/retrain", data={"csrf_token": csrf})
    failed = job.wait(60)
    assert failed.state == "failed" and "no training data" in failed.message  # no labels yet: a message, no crash
    assert "Tugas terakhir gagal" in client.get("/label").text
    labels = [Sentiment.POSITIVE, Sentiment.NEUTRAL, Sentiment.NEGATIVE]
    with Store.open(filled.ws.database_url) as store:
        citizens = [p.id for p in store.each() if not p.post.is_official][:90]
        for n, post_id in enumerate(citizens):
            store.set_human(post_id, "web:analis", sentiment=labels[n % 3])
    started = client.post("/label/retrain", data={"csrf_token": csrf}, follow_redirects=True)
    assert "Pelatihan ulang dimulai" in started.text or "Berjalan" in started.text
    done = job.wait(300)
    assert done.state == "done", done.message
    page = client.get("/label").text
    held = done.result["held_apart"]
    assert held > 0 and f"Pada {held} label tim yang disisihkan" in page and 'id="figures"' in page
    assert "Kembalikan model sebelumnya" in page
    assert (filled.ws.root / retrain.PREVIOUS_DIR / "model.json").is_file()
    new_version = done.result["version_after"]
    client.post("/label/rollback", data={"csrf_token": csrf})
    back = job.wait(300)
    assert back.state == "done" and back.result["replaced"] == new_version
    with Store.open(filled.ws.database_url) as store:
        actions = [e["action"] for e in store.accounts.audit_log()]
    assert {"model.retrain", "model.rollback"} <= set(actions)


def test_one_job_at_a_time_and_failures_kept() -> None:
    import threading

    from citra.web.jobs import Job

    job, gate = Job(), threading.Event()
    assert job.start("retrain", "admin", lambda say: (say("working"), gate.wait(10), 42)[2])
    assert not job.start("rollback", "admin", lambda say: 0)  # refused while one runs
    assert job.state.running and job.state.kind == "retrain"
    gate.set()
    done = job.wait(10)
    assert (done.state, done.result, done.message) == ("done", 42, "working")
    assert job.start("rollback", "admin", lambda say: 1 / 0)
    failed = job.wait(10)
    assert failed.state == "failed" and "division by zero" in failed.message and failed.kind == "rollback"


def test_team_labels_show_and_win_in_pages_inbox_and_export(as_user, filled: Filled, distinct: list[int]) -> None:  # type: ignore[no-untyped-def]
    """A post the model routes nowhere and does not flag: the team's OPD and needs_response labels put it in the
    inbox of that OPD, Percakapan shows both as team labels, the export carries them."""
    from citra.export import annotation

    client, csrf = as_user("analis")
    post_id = distinct[0]  # "Sampah menumpuk ...": no topic, needs_response False
    for task, value in (("routing", "Dinas Lingkungan Hidup"), ("needs_response", "ya"), ("sentiment", "negative")):
        client.post("/label/set", data={"post_id": post_id, "task": task, "value": value, "csrf_token": csrf})
    page = client.get("/percakapan", params={"q": "Kranji"}).text
    item = page[page.index(f'id="post-{post_id}"') :]
    assert "OPD: Dinas Lingkungan Hidup · label tim" in item and "perlu respons · label tim" in item
    with Store.open(filled.ws.database_url) as store:
        inbox = store.inbox.items(opd="Dinas Lingkungan Hidup", limit=500)
        assert post_id in [i.post_id for i in inbox]
        assert store.inbox.item(post_id).suggested_opd == "Dinas Lingkungan Hidup"
        assert store.count(PostQuery(ids=(post_id,), needs_response=True, sentiment=Sentiment.NEGATIVE)) == 1
        cells = annotation(store.get(post_id))
    assert cells and cells["opds"][0] == "Dinas Lingkungan Hidup" and cells["needs_response"] is True
    assert cells["sentiment"] == "negative"


def test_page_reads_an_older_retrain_record(as_user, filled: Filled) -> None:  # type: ignore[no-untyped-def]
    """models/retrain.json written before the audit figures existed still renders."""
    import json as _json

    from citra import retrain

    old = {"finished_at": "2026-12-01T10:00:00+00:00", "version_before": "a@1", "version_after": "b@2",
           "examples": 10, "team_labels_trained": 8, "held_apart": 2, "base_data": False,
           "before": {"n": 2, "macro_f1": 0.5, "accuracy": 0.5},
           "after": {"n": 2, "macro_f1": 1.0, "accuracy": 1.0}}  # fmt: skip
    path = filled.ws.root / retrain.RECORD
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(_json.dumps({"last": old}), encoding="utf-8")
    client, _ = as_user("admin")
    page = client.get("/label")
    assert page.status_code == 200 and 'id="figures"' in page.text and 'id="audit-figures"' not in page.text


def test_queue_and_draw_follow_the_window(as_user, filled: Filled, distinct: list[int]) -> None:  # type: ignore[no-untyped-def]
    client, csrf = as_user("analis")
    early = _queued(client.get("/label", params={"since": "2026-08-01", "until": "2026-08-03"}).text)
    assert early and not set(early) & set(distinct)  # the distinct posts are of 2026-08-06
    window = {"since": "2026-08-06", "until": "2026-08-06"}
    queued = _queued(client.get("/label", params=window).text)
    drawn = client.post("/label/draw", data={"task": "sentiment", "n": 50, "csrf_token": csrf, **window},
                        follow_redirects=True)  # fmt: skip
    with Store.open(filled.ws.database_url) as store:
        members = store.labelling.audit_members("sentiment")

        def days(ids: list[int]) -> set[str]:
            return {store.get(i).post.created_at.astimezone(filled.ws.tz).date().isoformat() for i in ids}

        tz = filled.ws.tz
        day = PostQuery(since=datetime(2026, 8, 6, tzinfo=tz), until=datetime(2026, 8, 7, tzinfo=tz),
                        official=False, annotated=True)  # fmt: skip
        assert days(queued) == days(members) == {"2026-08-06"} and len(members) == store.count(day)
    assert drawn.status_code == 200
