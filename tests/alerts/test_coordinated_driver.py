"""An alert's "coordinated" driver: a crisis whose window holds a planted co-post group (tests/network_data.py)
names that group in its drivers, its message and its Peringatan card; the same crisis over organic posts only
names none; alerts stored before the driver existed still render."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from citra import config
from citra.alerts import coordinated
from citra.alerts.message import render_json, render_text
from citra.alerts.scan import scan
from citra.records import Alert, Annotation, Author, Platform, Post, Sentiment
from citra.store import Store
from citra.web import crisis
from tests.network_data import CO_POST, START, conversation

PROBS = {Sentiment.NEGATIVE: (0.85, 0.1, 0.05), Sentiment.NEUTRAL: (0.1, 0.8, 0.1)}
SURGES = ((8, 12), (28, 31), (47, 50), (66, 69))  # hours after START; the co-post bursts are at 10, 29, 48, 67
_WORDS = ("wali", "kota", "korupsi", "ditangkap", "kpk", "malu", "warga", "kecewa", "uang", "rakyat", "proyek")
_MORE = ("parah", "sekali", "lagi", "terus", "kapan", "berubah", "pemkot", "bohong", "janji", "hukum", "adil")


def _fill(store: Store, *, planted: bool) -> None:
    """Calm citizens' posts for eight days before the conversation, the conversation itself (neutral), and four
    surges of negative posts, each by a different account in varied words, that merge into one crisis."""
    rnd = random.Random(5)
    posts: list[tuple[Post, Sentiment]] = []
    for h in range(-8 * 24, 4 * 24):
        when = START + timedelta(hours=h)
        for k in range(rnd.choice((1, 2, 3, 4, 5)) if 0 <= (when.hour + 7) % 24 - 7 <= 15 else rnd.choice((0, 1))):
            label = Sentiment.NEGATIVE if rnd.random() < 0.3 else Sentiment.NEUTRAL
            text = f"info {rnd.choice(_MORE)} jalan {rnd.choice(_WORDS)} nomor {h} {k}"
            posts.append(
                (
                    Post(
                        Platform.X,
                        f"c{h}_{k}",
                        text,
                        when + timedelta(minutes=7 * k),
                        author=Author(handle=f"w{k}{h % 5}"),
                    ),
                    label,
                )
            )
    posts += [(p, Sentiment.NEUTRAL) for p in conversation(3, planted=planted).posts]
    for first, last in SURGES:
        for h in range(first, last):
            for k in range(40):
                words = rnd.sample(_WORDS, 4) + rnd.sample(_MORE, 3)
                when = START + timedelta(hours=h, seconds=rnd.randint(0, 3599))
                post = Post(Platform.X, f"s{h}_{k}", " ".join(words), when, author=Author(handle=f"marah_{h}_{k}"))
                posts.append((post, Sentiment.NEGATIVE))
    store.add_posts([p for p, _ in posts])
    with store.engine.connect() as conn:
        ids = dict(conn.exec_driver_sql("SELECT native_id, id FROM posts").all())
    store.save_annotations([(ids[p.native_id], Annotation("id", 0.9, s, PROBS[s])) for p, s in posts], "v1")


def _crisis(store: Store, ws: config.Workspace) -> Alert:
    found = scan(store, ws, notify=False, now=START + timedelta(hours=70))
    assert len(found.alerts) == 1, [(a.start, a.last_seen) for a in found.alerts]
    alert = found.alerts[0]
    assert alert.start <= START + timedelta(hours=10) and alert.last_seen >= START + timedelta(hours=67)
    return alert


def test_alert_names_the_planted_co_post_group(workspace: config.Workspace, store: Store) -> None:
    _fill(store, planted=True)
    alert = _crisis(store, workspace)
    driver = alert.drivers[coordinated.KEY]
    groups = driver["groups"]
    co_post = [g for g in groups if g["kind"] == "co-post"]
    assert len(co_post) == 1
    g = co_post[0]
    assert g["n_accounts"] == len(CO_POST) and set(g["accounts"]) <= set(CO_POST) and len(g["accounts"]) == 5
    assert g["bursts"] >= 3 and g["posts"] >= 3 * len(CO_POST) and g["score"] > 2
    assert START + timedelta(hours=10) <= coordinated.moment(g["first"]) < START + timedelta(hours=10, minutes=1)
    assert driver["total_groups"] == len(groups) >= 1
    # the groups are those of citra network coordination over the same window
    from citra import network
    from citra.store import Order, PostQuery

    since, until = coordinated.moment(driver["since"]), coordinated.moment(driver["until"])
    same = network.coordination(store, PostQuery(since=since, until=until, order=Order.OLDEST))
    assert [(x.kind, len(x.accounts), len(x.posts)) for x in same.groups] == [
        (x["kind"], x["n_accounts"], x["posts"]) for x in groups
    ]

    # a watched search's alert: only the search's posts, chance still measured on every post of the window
    narrowed = coordinated.find(store, since, until, PostQuery(text="bantuan pangan"))
    assert [g["kind"] for g in narrowed["groups"]] == ["co-post"] and narrowed["posts"] < driver["posts"]
    assert narrowed["groups"][0]["n_accounts"] == len(CO_POST)

    stored = store.alerts()[0]  # saved as JSON and read back
    assert stored.drivers[coordinated.KEY] == driver
    text = render_text(stored, "Pemkot", workspace.tz)
    assert f"Terdeteksi {driver['total_groups']} kelompok akun yang bergerak serempak" in text
    assert f"{len(CO_POST)} akun mengunggah teks hampir sama dalam hitungan detik ({g['bursts']} kali)" in text
    assert "halaman Jaringan" in text and "perlu dicek" in text
    lowered = text.lower()
    assert "bot" not in lowered.split() and "buzzer" not in lowered
    assert render_json(stored, "Pemkot")["alert"]["drivers"][coordinated.KEY]["groups"] == groups

    card = crisis.card(stored, [], tz=workspace.tz, topic_names={}, roles={}, kinds={})
    assert card.coordinated_total == len(groups)
    first = next(c for c in card.coordinated if c.kind == "co-post")
    assert first.n_accounts == len(CO_POST) and first.more == 1
    day = START.astimezone(workspace.tz).date()
    assert card.network_href.startswith(f"/jaringan?since={day.isoformat()}&until=")

    # a second scan over the same window reuses the stored groups rather than recomputing them
    again = scan(store, workspace, notify=False, now=START + timedelta(hours=70))
    assert again.new == 0 and again.alerts[0].drivers[coordinated.KEY] == driver


def test_no_group_without_planted_ones(workspace: config.Workspace, store: Store) -> None:
    _fill(store, planted=False)
    alert = _crisis(store, workspace)
    driver = alert.drivers[coordinated.KEY]
    assert driver["groups"] == [] and driver["total_groups"] == 0 and driver["posts"] > 1000
    text = render_text(alert, "Pemkot", workspace.tz)
    assert "serempak" not in text and "Jaringan" not in text
    card = crisis.card(alert, [], tz=workspace.tz, topic_names={}, roles={}, kinds={})
    assert card.coordinated == [] and card.coordinated_total == 0


@pytest.mark.parametrize("drivers", [{}, {"terms": ["banjir"]}, {coordinated.KEY: "broken"}, {coordinated.KEY: {}}])
def test_alerts_without_the_driver_still_render(drivers: dict) -> None:
    """Alerts stored before the driver existed (or with a damaged one) show no coordinated section."""
    when = datetime(2026, 3, 2, tzinfo=UTC)
    alert = Alert(None, "negative_volume", when, when, 6.0, "medium", "open", drivers)
    tz = ZoneInfo("Asia/Jakarta")
    assert "serempak" not in render_text(alert, "Pemkot", tz)
    card = crisis.card(alert, [], tz=tz, topic_names={}, roles={}, kinds={})
    assert card.coordinated == [] and card.network_href == ""


def test_forgetting_an_author_removes_their_handle_from_the_groups(workspace: config.Workspace, store: Store) -> None:
    """A data subject's erasure (UU PDP) takes their handle out of the alerts' coordinated groups; the counts stay."""
    from citra import privacy

    when = datetime(2026, 3, 2, tzinfo=UTC)
    store.add_posts([Post(Platform.X, "1", "bantuan pangan tepat waktu", when, author=Author(handle=CO_POST[1]))])
    group = {"kind": "co-post", "accounts": list(CO_POST[:5]), "n_accounts": 6, "posts": 24, "bursts": 4}
    driver = {"since": when.isoformat(), "until": when.isoformat(), "total_groups": 1, "groups": [group]}
    store.save_alert(Alert(None, "negative_volume", when, when, 6.0, "medium", "open", {coordinated.KEY: driver}))
    held = store.subjects.held(store.subjects.post_ids(CO_POST[1], None, ()), [CO_POST[1]])
    assert [h["group"]["kind"] for h in held["alert_groups"]] == ["co-post"]
    privacy.forget(store, workspace, "cli:test", author="@" + CO_POST[1].upper())
    kept = coordinated.groups(store.alerts()[0].drivers)
    assert kept[0]["accounts"] == [CO_POST[0], *CO_POST[2:5]] and kept[0]["n_accounts"] == 6
