"""The team's handling of alerts on both databases: acknowledge, assign, note, resolve, reopen, each audited; the
scan keeps what people decided and reopens a resolved alert only when its crisis flares again; drivers in words."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from citra import config, curate
from citra.alerts.message import render_text
from citra.alerts.scan import SCAN_ACTOR, scan
from citra.alerts.wording import drill, target_words
from citra.errors import CitraError, NotFound
from citra.records import Alert, Handling, Role
from citra.store import Store
from citra.web import crisis
from tests.alerts.test_scan import ONSET, _fill

WIB = ZoneInfo("Asia/Jakarta")
DAY = datetime(2024, 8, 18, 4, tzinfo=UTC)


def _alert(store: Store, severity: str = "high", start: datetime = DAY, **drivers: object) -> Alert:
    return store.save_alert(
        Alert(None, "negative_volume", start, start + timedelta(hours=30), 12.0, severity, "closed", dict(drivers))
    )


def _actions(store: Store) -> list[tuple[str, str, str]]:
    return sorted(
        (e["actor"], e["action"], e["target"]) for e in store.accounts.audit_log() if e["action"].startswith("alert.")
    )


def test_acknowledge_assign_note_resolve_reopen_are_audited(store: Store) -> None:
    store.accounts.add_user("rina", "x", Role.ANALYST)
    store.accounts.add_user("budi", "x", Role.VIEWER)
    store.accounts.update_user("budi", active=False)
    alert = _alert(store)
    assert alert.id is not None and store.alert_work.get(alert.id).work.handling is Handling.NEW  # type: ignore[union-attr]

    done = curate.acknowledge_alert(store, "rina", alert.id)
    assert done.work and done.work.handling is Handling.ACKNOWLEDGED and done.work.acknowledged_by == "rina"
    first = done.work.acknowledged_at
    assert curate.acknowledge_alert(store, "admin", alert.id).work.acknowledged_at == first  # type: ignore[union-attr]

    assert curate.assign_alert(store, "admin", alert.id, "rina").work.assignee == "rina"  # type: ignore[union-attr]
    with pytest.raises(CitraError, match="not an active user"):
        curate.assign_alert(store, "admin", alert.id, "budi")  # deactivated
    with pytest.raises(CitraError, match="not an active user"):
        curate.assign_alert(store, "admin", alert.id, "siapa")
    curate.note_alert(store, "rina", alert.id, "  Sudah koordinasi dengan Inspektorat  ")
    with pytest.raises(CitraError):
        curate.note_alert(store, "rina", alert.id, "   ")
    with pytest.raises(NotFound):
        curate.note_alert(store, "rina", 999_999, "x")

    resolved = curate.resolve_alert(store, "rina", alert.id, "Klarifikasi sudah terbit")
    assert resolved.work and resolved.work.handling is Handling.RESOLVED and resolved.work.resolved_by == "rina"
    assert resolved.work.assignee == "rina"  # resolving keeps who had it
    reopened = curate.reopen_alert(store, "admin", alert.id, "Muncul lagi")
    assert reopened.work and reopened.work.handling is Handling.ACKNOWLEDGED and reopened.work.resolved_at is None

    notes = store.alert_work.notes([alert.id])[alert.id]
    assert [(n.author, n.text) for n in notes] == [
        ("rina", "Sudah koordinasi dengan Inspektorat"),
        ("rina", "Klarifikasi sudah terbit"),
        ("admin", "Muncul lagi"),
    ]
    assert all(n.at.tzinfo is not None for n in notes)
    target = f"alert:{alert.id}"
    assert _actions(store) == sorted(
        [
            ("rina", "alert.acknowledge", target),  # the second acknowledgement changed nothing: no entry
            ("admin", "alert.assign", target),
            ("rina", "alert.note", target),
            ("rina", "alert.resolve", target),
            ("admin", "alert.reopen", target),
        ]
    )


def test_scan_keeps_the_teams_decisions_and_reopens_on_a_flare(workspace: config.Workspace, store: Store) -> None:
    _fill(store, days=31)
    [alert] = scan(store, workspace, notify=False, now=ONSET + timedelta(hours=8)).alerts
    assert alert.id is not None
    store.accounts.add_user("rina", "x", Role.ANALYST)
    curate.assign_alert(store, "admin", alert.id, "rina")
    curate.resolve_alert(store, "rina", alert.id)

    for _ in range(2):  # the same history scanned again: the episode's last hour is unchanged, nothing reopens
        [again] = scan(store, workspace, notify=False, now=ONSET + timedelta(hours=9)).alerts
        assert again.work and again.work.handling is Handling.RESOLVED and again.work.assignee == "rina"
    assert [a for _, a, _ in _actions(store) if a == "alert.reopen"] == []

    # as if the team had resolved it during the crisis, when the scan had seen its first hours only
    last = again.last_seen
    store.save_alert(dataclasses.replace(again, last_seen=last - timedelta(hours=3)))
    store.alert_work.update(alert.id, resolved_at=last - timedelta(hours=2))
    [flared] = scan(store, workspace, notify=False, now=ONSET + timedelta(hours=9)).alerts
    assert flared.work and flared.work.handling is Handling.ACKNOWLEDGED and flared.work.assignee == "rina"
    assert (SCAN_ACTOR, "alert.reopen", f"alert:{alert.id}") in _actions(store)
    [note] = store.alert_work.notes([alert.id])[alert.id]
    assert note.author == SCAN_ACTOR and note.text.startswith("Dibuka lagi otomatis")


def test_drivers_in_words_and_links() -> None:
    roles = {"Hendra Kusumawardana": "Wali Kota"}
    assert target_words("leader:Hendra Kusumawardana", roles) == "Hendra Kusumawardana (Wali Kota)"
    assert target_words("leader:Sri", roles) == "Sri (pimpinan)"
    assert target_words("institution:Pemerintah Kota Harapan Jaya", roles) == "Pemerintah Kota Harapan Jaya"
    assert target_words("entity:Kota Tirta Makmur", roles) == "Kota Tirta Makmur (pembanding)"
    assert target_words("entity:Kota X", roles, {"entity": "comparison"}) == "Kota X (comparison)"
    link = drill("target", "leader:Hendra Kusumawardana", date(2024, 8, 18), date(2024, 8, 20))
    assert (
        link == "/percakapan?target=leader%3AHendra+Kusumawardana&since=2024-08-18&until=2024-08-20&sentiment=negative"
    )

    drivers = {
        "topics": [{"topic": "corruption", "name": "Korupsi & Integritas", "count": 481}],
        "targets": [
            {"target": "leader:Hendra Kusumawardana", "count": 416},
            {"target": "institution:Disdukcapil", "count": 4},
        ],
        "opds": [{"opd": "Inspektorat", "count": 300}],
        "samples": [
            {
                "text": "OTT",
                "author": "w1",
                "platform": "x",
                "url": "javascript:alert(1)",
                "created_at": "2024-08-18T04:30:00+00:00",
            },
            {
                "text": "KPK",
                "author": "w2",
                "platform": "x",
                "url": "https://x.com/w2/status/1",
                "created_at": "2024-08-18T05:00:00+00:00",
            },
        ],
    }
    alert = Alert(1, "negative_volume", DAY, DAY + timedelta(hours=30), 12.0, "high", "closed", drivers)
    card = crisis.card(
        alert,
        [],
        tz=WIB,
        topic_names={"corruption": "Corruption & integrity"},
        roles=roles,
        kinds={"leader": "leader", "entity": "comparison"},
    )
    assert [d.label for d in card.topics] == ["Corruption & integrity"]  # in the UI language
    assert card.topics[0].href.startswith("/percakapan?topic=corruption&since=2024-08-18&until=2024-08-19")
    assert [d.label for d in card.targets] == ["Hendra Kusumawardana (Wali Kota)", "Disdukcapil"]
    assert card.opds[0].href.startswith("/percakapan?opd=Inspektorat&")
    assert [s.link for s in card.samples] == [None, "https://x.com/w2/status/1"]  # only safe links
    assert card.samples[0].at == datetime(2024, 8, 18, 4, 30, tzinfo=UTC)

    text = render_text(alert, "Pemkot", WIB)  # stored before names were kept: still no raw keys
    assert "Sasaran kritik</b>: Hendra Kusumawardana (pimpinan) (416), Disdukcapil (4)" in text
    assert "leader:" not in text and "institution:" not in text and "OPD</b>: Inspektorat (300)" in text
    named = dataclasses.replace(
        alert, drivers=drivers | {"targets": [{"target": "leader:X", "name": "X (Wali Kota)", "count": 2}]}
    )
    assert "X (Wali Kota) (2)" in render_text(named, "Pemkot", WIB)


def test_tabs_and_the_crises_of_a_period(store: Store) -> None:
    now = datetime.now(UTC)
    old = _alert(store, "critical", DAY)
    low = _alert(store, "low", DAY + timedelta(days=3))
    recent = _alert(store, "medium", now - timedelta(days=20))
    assert old.id and low.id and recent.id
    curate.resolve_alert(store, "rina", recent.id)  # resolved today: still on the default tab
    curate.resolve_alert(store, "rina", low.id)
    store.alert_work.update(low.id, resolved_at=now - timedelta(days=30))  # resolved long ago
    stored = store.alerts()
    assert [a.id for a in crisis.tab(stored, "current", now)] == [old.id, recent.id]
    assert [a.id for a in crisis.tab(stored, "resolved", now)] == [recent.id, low.id]
    assert len(crisis.tab(stored, "all", now)) == 3
    since, until = datetime(2024, 8, 1, tzinfo=WIB), datetime(2024, 9, 1, tzinfo=WIB)
    assert {a.id for a in crisis.active(stored, since, until)} == {old.id, low.id}
    assert [a.id for a in crisis.crises(stored, since, until)] == [old.id]  # high or critical only
    assert crisis.crises(stored, datetime(2025, 1, 1, tzinfo=WIB), datetime(2025, 2, 1, tzinfo=WIB)) == []
