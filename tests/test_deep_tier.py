"""The deep tier after the fast one (issue 12), on both databases: citizens' posts only, the most urgent and newest
first, resumable, its version recorded, kept by a re-run of the fast tier, counted by the dashboard's series as the
best label (the team's > deep > fast), nothing with ``[nlp] deep = "off"``, and ``citra analyze`` running both."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from citra import config, deep
from citra.analyze import analyze
from citra.nlp.deep_sentiment import DeepSentimentModel
from citra.nlp.deeptier import DeepTier
from citra.nlp.encoder import Encoder
from citra.nlp.pipeline import Pipeline
from citra.records import Author, Platform, Post, Sentiment
from citra.store import Store
from citra.store.deeplabels import MODEL_KEY
from tests.test_cli import citra

T0 = datetime(2026, 11, 2, 1, tzinfo=UTC)
POSTS = [  # (hours after T0, text, an official account's)
    (1, "Jalan rusak parah di depan pasar, tolong segera diperbaiki pak", False),
    (2, "Terima kasih pemkot, taman kota sekarang bersih dan bagus sekali", False),
    (3, "Kapan jadwal posyandu bulan ini?", False),
    (4, "Lampu jalan mati sudah seminggu, gelap dan bahaya", False),
    (5, "biasa saja", False),
    (6, "Pelayanan KTP lambat sekali, kecewa berat", False),
    (7, "Pemkot membuka pendaftaran beasiswa, cek laman resmi", True),
    (8, "Sampah menumpuk di pinggir kali, bau dan banyak lalat", False),
]


@pytest.fixture(scope="module")
def tier() -> DeepTier:
    return DeepTier(Encoder(), DeepSentimentModel.load())


def _fill(store: Store, ws: config.Workspace) -> dict[int, Post]:
    store.add_posts(
        [
            Post(Platform.X, str(i), text, T0 + timedelta(hours=h), author=Author(str(i), f"akun{i}"), is_official=o)
            for i, (h, text, o) in enumerate(POSTS)
        ]
    )
    analyze(store, Pipeline.for_workspace(ws))
    return {p.id: p.post for p in store.each()}


def _urgency(store: Store, post_id: int) -> int:
    a = store.get(post_id).annotation
    assert a is not None
    return 2 if a.needs_response else 1 if a.sentiment is Sentiment.NEGATIVE else 0


def _mode(ws: config.Workspace, mode: str) -> config.Workspace:
    nlp = ws.settings.nlp.model_copy(update={"deep": mode})
    return dataclasses.replace(ws, settings=ws.settings.model_copy(update={"nlp": nlp}))


def test_citizens_posts_most_urgent_and_newest_first(workspace: config.Workspace, store: Store, tier: DeepTier) -> None:
    posts = _fill(store, workspace)
    citizens = [i for i, p in posts.items() if not p.is_official]
    urgency = {i: _urgency(store, i) for i in citizens}
    assert len(set(urgency.values())) == 3, "the fixture has posts of every urgency"
    expected = sorted(citizens, key=lambda i: (-urgency[i], -posts[i].created_at.timestamp()))
    order: list[int] = []
    while True:  # one post per pass: the order in which the deep tier takes them
        before = set(store.deep.labels(list(posts)))
        if not deep.deepen(store, tier, "all", limit=1).labelled:
            break
        (new,) = set(store.deep.labels(list(posts))) - before
        order.append(new)
    assert order == expected, "official posts are never deep-labelled"
    labels = store.deep.labels(list(posts))
    for post_id in citizens:
        a = store.get(post_id).annotation
        assert a is not None and a.models[MODEL_KEY] == tier.version == labels[post_id][0]
        assert a.sentiment is labels[post_id][1] and abs(sum(a.probs) - 1) < 1e-6
    vecs = store.vectors(list(posts), model=tier.encoder.version)
    assert sorted(vecs) == sorted(citizens)
    again = tier.encoder.embed([posts[citizens[0]].text])[0]
    assert float(vecs[citizens[0]] @ again) > 0.999  # float16 keeps the vector


def test_attention_resumes_and_relabels_for_a_new_version(
    workspace: config.Workspace, store: Store, tier: DeepTier
) -> None:
    posts = _fill(store, workspace)
    wanted = {i for i, p in posts.items() if not p.is_official and _urgency(store, i) > 0}
    assert 2 < len(wanted) < len(posts) - 1
    first = deep.run(store, workspace, limit=2, tier=tier)  # the default mode: attention
    assert (first.mode, first.labelled, first.remaining) == ("attention", 2, len(wanted) - 2)
    rest = deep.run(store, workspace, tier=tier)
    assert (rest.labelled, rest.remaining) == (len(wanted) - 2, 0)
    assert set(store.deep.labels(list(posts))) == wanted
    assert deep.run(store, workspace, tier=tier).labelled == 0  # nothing is labelled twice
    newer = DeepTier(tier.encoder, dataclasses.replace(tier.model, version="next"))
    assert deep.run(store, workspace, tier=newer).labelled == len(wanted)
    assert {m for m, _ in store.deep.labels(list(posts)).values()} == {newer.version}


def test_fast_rerun_keeps_the_deep_label_and_series_count_the_best(
    workspace: config.Workspace, store: Store, tier: DeepTier
) -> None:
    posts = _fill(store, workspace)
    citizens = sorted(i for i, p in posts.items() if not p.is_official)
    fast = {i: store.get(i).annotation.sentiment for i in citizens}  # type: ignore[union-attr]
    deep.deepen(store, tier, "all", limit=4)
    deeper = store.deep.labels(citizens)
    assert len(deeper) == 4
    analyze(store, Pipeline.for_workspace(workspace), rebuild=True)  # the fast tier again, on every post
    for post_id in citizens:
        a = store.get(post_id).annotation
        assert a is not None
        assert a.sentiment is (deeper[post_id][1] if post_id in deeper else fast[post_id])
        assert (MODEL_KEY in a.models) is (post_id in deeper)
    human = next(iter(deeper))
    store.set_human(human, "web:analis", sentiment=Sentiment.POSITIVE)
    best = {i: deeper[i][1] if i in deeper else fast[i] for i in citizens} | {human: Sentiment.POSITIVE}
    buckets = store.series("total", workspace.tz)
    counted = {s: sum(getattr(b, f"n_{s.value[:3]}") for b in buckets) for s in Sentiment}
    assert counted == {s: sum(1 for v in best.values() if v is s) for s in Sentiment}


def test_off_labels_nothing(workspace: config.Workspace, store: Store, tier: DeepTier) -> None:
    posts = _fill(store, workspace)
    done = deep.run(store, _mode(workspace, "off"), tier=tier)
    assert (done.mode, done.labelled) == ("off", 0)
    assert store.deep.labels(list(posts)) == {} and store.vectors(list(posts)) == {}


def test_cli_analyze_runs_both_tiers(workspace: config.Workspace) -> None:
    with Store.open(workspace.database_url) as store:
        store.add_posts(
            [
                Post(Platform.X, str(i), text, T0 + timedelta(hours=h), author=Author(str(i), f"akun{i}"))
                for i, (h, text, _) in enumerate(POSTS[:4])
            ]
        )
    fast = json.loads(citra("analyze", "--json", "--tier", "fast", ws=workspace.root).stdout)
    assert fast["annotated"] == 4 and "deep" not in fast
    one = json.loads(citra("analyze", "--json", "--deep-limit", "1", ws=workspace.root).stdout)
    assert one["annotated"] == 0 and one["deep"]["labelled"] == 1 and one["deep"]["mode"] == "attention"
    toml = workspace.root / config.CONFIG_NAME
    toml.write_text(toml.read_text(encoding="utf-8").replace('deep = "attention"', 'deep = "all"'), encoding="utf-8")
    rest = json.loads(citra("analyze", "--json", ws=workspace.root).stdout)["deep"]
    assert (rest["mode"], rest["labelled"], rest["remaining"]) == ("all", 3, 0)
    toml.write_text(toml.read_text(encoding="utf-8").replace('deep = "all"', 'deep = "off"'), encoding="utf-8")
    off = citra("analyze", ws=workspace.root)
    assert "Deep tier off" in off.stderr
    with Store.open(workspace.database_url) as store:
        ids = [p.id for p in store.each()]
        assert len(store.deep.labels(ids)) == 4 and len(store.vectors(ids)) == 4
        assert all(isinstance(v, np.ndarray) for v in store.vectors(ids).values())


def test_background_worker_labels_new_posts_and_stops(workspace: config.Workspace, store: Store) -> None:
    posts = _fill(store, workspace)
    wanted = {i for i, p in posts.items() if not p.is_official and _urgency(store, i) > 0}
    worker = deep.DeepWorker(store, workspace, idle_s=0.2, batch=2, fetch=2)
    assert worker.round() == 2  # up to `fetch` posts a round
    worker.start()
    for _ in range(600):  # the rest, in the background (the test waits for it, at most a minute)
        if len(store.deep.labels(list(posts))) == len(wanted):
            break
        worker.stop.wait(0.1)
    worker.shutdown(30.0)
    assert set(store.deep.labels(list(posts))) == wanted and worker.error == ""
    assert worker._thread is not None and not worker._thread.is_alive()


def test_the_settings_page_writes_the_mode(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from citra import config_edit

    ws = config.init(tmp_path / "ws", "Pemerintah Kota Contoh")
    comments = [line for line in (ws.root / config.CONFIG_NAME).read_text().splitlines() if "#" in line]
    config_edit.change(ws.root, "deep", "off")
    assert config.load(ws.root).settings.nlp.deep == "off"
    text = (ws.root / config.CONFIG_NAME).read_text()
    assert [line for line in text.splitlines() if "#" in line] == [
        line.replace('deep = "attention"', 'deep = "off"') for line in comments
    ]  # every other setting and comment stays
    with pytest.raises(config_edit.Refused):
        config_edit.change(ws.root, "deep", "sometimes")
    assert config.load(ws.root).settings.nlp.deep == "off"


def test_a_pseudonymised_post_keeps_its_deep_label(workspace: config.Workspace, store: Store, tier: DeepTier) -> None:
    posts = _fill(store, workspace)
    deep.deepen(store, tier, "all", limit=2)
    first = next(iter(store.deep.labels(list(posts))))
    store.subjects.forget([first], pseudonym=lambda handle: "anon")
    assert first not in store.vectors([first])  # the vector of its words goes with them
    newer = DeepTier(tier.encoder, dataclasses.replace(tier.model, version="next"))
    deep.deepen(store, newer, "all")
    assert store.deep.labels([first])[first][0] == tier.version  # not relabelled from "[dihapus]"


def test_watch_once_deep_labels_after_the_fast_tier(workspace: config.Workspace) -> None:
    with Store.open(workspace.database_url) as store:
        posts = [Post(Platform.X, str(i), t, T0 + timedelta(hours=h)) for i, (h, t, _) in enumerate(POSTS[:3])]
        store.add_posts(posts)
    done = json.loads(citra("watch", "--once", ws=workspace.root).stdout)
    with Store.open(workspace.database_url) as store:
        ids = [p.id for p in store.each()]
        wanted = [i for i in ids if _urgency(store, i) > 0]
        assert done["annotated"] == 3 and done["deep"] == len(wanted) > 0 and done["errors"] == []
        assert sorted(store.deep.labels(ids)) == sorted(wanted)
