"""The inbox a team works, on real SQLite and PostgreSQL: working-day deadlines, priority computed in SQL (sort and
overdue filter), bulk assignment audited once, assignees from users, notes and reply drafts, official answers
marked automatically (with who and when), and an OPD handing an item back to Humas."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from citra import curate
from citra.errors import CitraError, Forbidden
from citra.records import Author, InboxStatus, Role, Sentiment, User
from citra.store import Store
from citra.workdays import Calendar, Deadlines
from tests.test_answers import T0, _fill, _note, _official, _post

WIB = ZoneInfo("Asia/Jakarta")
NOW = T0 + timedelta(days=4, hours=2)  # T0 is Monday 08.00 WIB: now is Friday 10.00 WIB
RULES = Deadlines.of(WIB, default_days=3, warn_days=1, reach_followers=10_000)


def test_working_days_skip_weekends_and_holidays() -> None:
    cal = Calendar(WIB, frozenset({date(2024, 5, 9)}))  # Thursday a holiday (Kenaikan Isa Almasih 2024)
    monday = T0  # 08.00 WIB
    assert cal.due(monday, 3) == monday + timedelta(days=4)  # Tue, Wed, (Thu off), Fri
    saturday = datetime(2024, 5, 11, 3, 0, tzinfo=UTC)  # counts from Monday 00.00 WIB
    assert cal.due(saturday, 1) == datetime(2024, 5, 13, 17, 0, tzinfo=UTC)  # Tuesday 00.00 WIB
    cut = cal.cutoff(monday + timedelta(days=4), 3)
    assert abs(cut - monday) <= timedelta(seconds=1)  # a post older than this is overdue now
    assert cal.left(monday, cal.due(monday, 3)) == 3 and cal.left(cal.due(monday, 3), monday) == -3


def _people(store: Store) -> tuple[User, User]:
    """An admin, and two OPD users of Dinas PUPR (pupr, sari)."""
    for name, role, opd in (
        ("admin", Role.ADMIN, None),
        ("pupr", Role.OPD, "Dinas PUPR"),
        ("sari", Role.OPD, "Dinas PUPR"),
    ):
        store.accounts.add_user(name, "x" * 20, role, opd)
    return store.accounts.user("admin"), store.accounts.user("pupr")


@pytest.fixture
def queue(store: Store) -> tuple[Store, dict[str, int]]:
    """Three open complaints: an old negative one (overdue), a wide-reach one due on Monday (urgent), a fresh one."""
    old = _post("old", 0, "warga1")
    wide = dataclasses.replace(_post("wide", 2 * 24 * 60, "tokoh"), author=Author(handle="tokoh", followers=25_000))
    fresh = _post("fresh", 4 * 24 * 60, "warga3")
    ids = _fill(store, [old, wide, fresh], {k: _note(opds=("Dinas PUPR",)) for k in ("old", "wide", "fresh")})
    store.set_human(ids["wide"], "analis", sentiment=Sentiment.NEUTRAL)
    return store, ids


def _names(items: list) -> list[str]:
    return [i.post.native_id for i in items]


def test_priority_sorts_and_filters_in_sql(queue: tuple[Store, dict[str, int]]) -> None:
    store, ids = queue
    got = store.inbox.items(sort="priority", rules=RULES, now=NOW)
    assert _names(got) == ["old", "wide", "fresh"]
    assert [i.priority for i in got] == [8 + 4 + 1, 4 + 2, 1]  # overdue+urgent+negative, urgent+reach, negative
    assert got[0].due_at == T0 + timedelta(days=3)  # Thursday 08.00 WIB
    assert _names(store.inbox.items(sort="newest", rules=RULES, now=NOW)) == ["fresh", "wide", "old"]
    assert _names(store.inbox.items(sort="oldest", rules=RULES, now=NOW)) == ["old", "wide", "fresh"]
    assert _names(store.inbox.items(overdue=True, rules=RULES, now=NOW)) == ["old"]
    # a longer deadline for the OPD: nothing is late any more, the wide-reach item leads
    patient = Deadlines.of(WIB, default_days=3, per_opd={"Dinas PUPR": 10})
    assert _names(store.inbox.items(sort="priority", rules=patient, now=NOW)) == ["wide", "old", "fresh"]
    assert store.inbox.items(overdue=True, rules=patient, now=NOW) == []
    # a finished item drops to the bottom
    store.inbox.assign(ids["old"], by="admin", status=InboxStatus.DONE)
    assert _names(store.inbox.items(sort="priority", rules=RULES, now=NOW)) == ["wide", "fresh", "old"]
    assert store.inbox.items(overdue=True, rules=RULES, now=NOW) == []


def test_bulk_assignment_is_one_audited_action(queue: tuple[Store, dict[str, int]]) -> None:
    store, ids = queue
    admin, _ = _people(store)
    with pytest.raises(CitraError, match="not an active user"):
        curate.assign_many(store, admin, [ids["old"], ids["wide"]], assignee="Budi")
    store.accounts.update_user("sari", active=False)
    with pytest.raises(CitraError, match="not an active user"):
        curate.assign_many(store, admin, [ids["old"]], assignee="sari")
    with pytest.raises(CitraError, match="choose an OPD or a person"):
        curate.assign_many(store, admin, [ids["old"]])
    done = curate.assign_many(store, admin, [ids["old"], ids["wide"]], opd="Dinas PUPR", assignee="pupr")
    assert [(i.opd, i.assignee, i.status) for i in done] == [("Dinas PUPR", "pupr", InboxStatus.ASSIGNED)] * 2
    entries = [e for e in store.accounts.audit_log() if e["action"].startswith("inbox.")]
    assert len(entries) == 1 and entries[0]["action"] == "inbox.assign_bulk"
    assert entries[0]["detail"]["ids"] == sorted([ids["old"], ids["wide"]])
    with pytest.raises(Forbidden):  # an analyst routes nothing
        curate.assign_many(store, User(99, "analis", Role.ANALYST), [ids["old"]], assignee="pupr")


def test_notes_drafts_and_hand_back(queue: tuple[Store, dict[str, int]]) -> None:
    store, ids = queue
    admin, pupr = _people(store)
    curate.add_note(store, pupr, ids["old"], " sudah dicek ke lokasi ")
    curate.add_note(store, admin, ids["old"], "mohon foto")
    notes = store.inbox.notes([ids["old"]])[ids["old"]]
    assert [(n.author, n.text) for n in notes] == [("pupr", "sudah dicek ke lokasi"), ("admin", "mohon foto")]
    assert curate.set_draft(store, pupr, ids["old"], "Terima kasih, segera kami perbaiki").draft.startswith("Terima")
    with pytest.raises(CitraError, match="reason: required"):
        curate.hand_back(store, pupr, ids["wide"], "  ")
    with pytest.raises(Forbidden):
        curate.hand_back(store, admin, ids["wide"], "bukan kami")
    back = curate.hand_back(store, pupr, ids["wide"], "Ini wewenang Dinas Perhubungan")
    assert (back.status, back.opd, back.assignee) == (InboxStatus.NEW, None, None)
    assert (back.returned_opd, back.returned_by, back.returned_reason) == (
        "Dinas PUPR",
        "pupr",
        "Ini wewenang Dinas Perhubungan",
    )
    # it left the OPD's queue (though still suggested for it), it is new for Humas, and the OPD may not touch it
    assert _names(store.inbox.items(opd="Dinas PUPR")) == ["old", "fresh"]
    assert ids["wide"] in [i.post_id for i in store.inbox.items(status=InboxStatus.NEW)]
    with pytest.raises(Forbidden):
        curate.assign(store, pupr, ids["wide"], status="done")
    # Humas routes it again (here to the same OPD): back in the queue, the hand-back forgotten
    again = curate.assign(store, admin, ids["wide"], opd="Dinas PUPR")
    assert again.returned_reason is None and ids["wide"] in [i.post_id for i in store.inbox.items(opd="Dinas PUPR")]
    actions = [e["action"] for e in store.accounts.audit_log()]
    assert {"inbox.note", "inbox.draft", "inbox.hand_back"} <= set(actions)


def test_an_official_answer_marks_the_item_answered(queue: tuple[Store, dict[str, int]]) -> None:
    store, ids = queue
    assert store.inbox.mark_answered() == 0
    answer = _official("ans", 4 * 24 * 60 + 15, "@warga3 sudah kami teruskan ke petugas", conv="fresh")
    store.add_posts([answer])
    assert store.inbox.mark_answered() == 1 and store.inbox.mark_answered() == 0
    item = store.inbox.item(ids["fresh"])
    assert item.status is InboxStatus.ANSWERED and item.answered_by == "humaskota"
    assert item.answered_at == T0 + timedelta(days=4, minutes=15)
    # the team reopens it: a later sweep leaves it open
    store.inbox.assign(ids["fresh"], by="admin", status=InboxStatus.IN_PROGRESS)
    assert store.inbox.mark_answered() == 0
    # a reply seen first by reading the inbox is marked then too (no sweep needed)
    store.add_posts([_official("ans2", 3 * 24 * 60, "Terima kasih, kami cek", reply_to="wide")])
    shown = {i.post.native_id: i for i in store.inbox.items(rules=RULES, now=NOW)}
    assert shown["wide"].status is InboxStatus.ANSWERED and shown["wide"].answered_by == "humaskota"
    assert store.inbox.item(ids["wide"]).status is InboxStatus.ANSWERED


def test_citra_analyze_marks_the_answer_fifteen_minutes_later(workspace, store: Store) -> None:  # type: ignore[no-untyped-def]
    """The reported case: a complaint answered by the official account 15 minutes later must not stay "baru"."""
    from citra.analyze import analyze
    from citra.nlp.pipeline import Pipeline

    pipeline = Pipeline.for_workspace(workspace)
    store.add_posts([_post("q", 0, "warga1", "@humaskota lampu jalan di Jl. Melati mati sudah seminggu")])
    assert analyze(store, pipeline).answered == 0
    (question,) = store.lookup("q")
    store.set_human(question.id, "analis", needs_response=True)
    assert store.inbox.item(question.id).status is InboxStatus.NEW
    store.add_posts([_official("r", 15, "Terima kasih, sudah kami teruskan ke Dishub", reply_to="q")])
    summary = analyze(store, pipeline)  # as `citra watch` runs it each cycle
    assert summary.answered == 1 and summary.as_dict()["answered"] == 1
    item = store.inbox.item(question.id)
    assert (item.status, item.answered_by, item.answered_at) == (
        InboxStatus.ANSWERED,
        "humaskota",
        T0 + timedelta(minutes=15),
    )
