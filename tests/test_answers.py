"""First official answers, per-OPD answer counts and the inbox on real SQLite and PostgreSQL; the plans of the
answer queries (they must probe the reply/conversation indexes, never scan a platform by time: issue 8)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from citra.records import Annotation, Author, InboxStatus, Intent, Platform, Post, PostKind, Sentiment
from citra.store import Store

T0 = datetime(2024, 5, 6, 1, 0, tzinfo=UTC)


def _post(
    pid: str,
    minutes: int,
    handle: str,
    text: str = "",
    *,
    official: bool = False,
    conv: str | None = None,
    reply_to: str | None = None,
    platform: Platform = Platform.X,
) -> Post:
    return Post(
        platform=platform,
        native_id=pid,
        text=text or f"@humaskota pertanyaan {pid}",
        created_at=T0 + timedelta(minutes=minutes),
        author=Author(handle=handle),
        conversation_id=conv or pid,
        reply_to_id=reply_to,
        kind=PostKind.REPLY if reply_to or conv else PostKind.POST,
        is_official=official,
    )


def _note(needs: bool = True, intent: Intent = Intent.COMPLAINT, opds: tuple[str, ...] = ()) -> Annotation:
    topics = tuple(f"topik{i}" for i in range(len(opds)))
    return Annotation("id", 1.0, Sentiment.NEGATIVE, (0.8, 0.1, 0.1), topics, opds, intent=intent, needs_response=needs)


def _fill(store: Store, posts: list[Post], notes: dict[str, Annotation]) -> dict[str, int]:
    store.add_posts(posts)
    ids = {p.native_id: store.lookup(p.native_id, p.platform)[0].id for p in posts}
    store.save_annotations([(ids[k], v) for k, v in notes.items()], "v1")
    return ids


def _official(pid: str, minutes: int, text: str, **kw: Any) -> Post:
    return _post(pid, minutes, "humaskota", text, official=True, **kw)


QUESTIONS = {
    "q1": "answered by a reply at +30, also in its thread at +60: the reply is earlier",
    "q2": "answered in its thread mentioning the asker at +20, by a reply at +50: the thread is earlier",
    "q3": "an official reply by id on another platform: not an answer",
    "q4": "a citizen's reply by id: not an answer",
    "q5": "in its thread without a mention: not an answer; then a mention in capitals at +90",
    "q6": "an official reply dated before the question: not an answer",
}


@pytest.fixture
def answered(store: Store) -> tuple[Store, dict[str, int]]:
    posts = [
        _post("q1", 0, "warga1"),
        _official("a1", 30, "Sudah kami teruskan", reply_to="q1"),
        _official("a1b", 60, "@warga1 info lanjut", conv="q1"),
        _post("q2", 5, "warga2"),
        _official("a2", 25, "@warga2 mohon DM", conv="q2"),
        _official("a2b", 55, "Terima kasih", reply_to="q2"),
        _post("q3", 10, "warga3"),
        _official("a3", 20, "@warga3 dijawab di IG", reply_to="q3", conv="q3", platform=Platform.INSTAGRAM),
        _post("q4", 15, "warga4"),
        _post("c4", 16, "warga9", "@warga4 sama di sini", reply_to="q4", conv="q4"),
        _post("q5", 20, "Warga5"),
        _official("a5", 40, "Terima kasih atas laporannya", conv="q5"),
        _official("a5b", 110, "@WARGA5 sudah ditangani", conv="q5"),
        _post("q6", 100, "warga6"),
        _official("a6", 50, "jawaban lama", reply_to="q6"),
        _post("q7", 120, "warga7"),  # the model says no response is needed; the team says it is
        _post("q8", 130, "warga8"),  # the model says a response is needed; the team says it is not
        _post("x9", 140, "warga9", "kabar baik"),
    ]
    notes = {f"q{i}": _note() for i in range(1, 7)}
    notes |= {"q7": _note(False, Intent.QUESTION), "q8": _note(True), "x9": _note(False, Intent.PRAISE)}
    notes["q2"] = _note(intent=Intent.QUESTION)
    ids = _fill(store, posts, notes)
    store.set_human(ids["q7"], "analis", needs_response=True)
    store.set_human(ids["q8"], "analis", needs_response=False)
    return store, ids


def test_first_answers(answered: tuple[Store, dict[str, int]]) -> None:
    store, ids = answered
    got = {a.post_id: a for a in store.first_answers()}
    names = {v: k for k, v in ids.items()}
    assert sorted(names[i] for i in got) == ["q1", "q2", "q3", "q4", "q5", "q6", "q7"]
    waits = {names[i]: (a.answered_at - a.created_at) if a.answered_at else None for i, a in got.items()}
    minutes = timedelta(minutes=1)
    assert waits == {
        "q1": 30 * minutes,
        "q2": 20 * minutes,
        "q3": None,
        "q4": None,
        "q5": 90 * minutes,
        "q6": None,
        "q7": None,
    }
    assert got[ids["q2"]].intent is Intent.QUESTION and got[ids["q1"]].platform is Platform.X
    window = store.first_answers(T0 + timedelta(minutes=5), T0 + timedelta(minutes=20))
    assert sorted(names[a.post_id] for a in window) == ["q2", "q3", "q4"]


def test_answers_by_opd_human_opd_wins(store: Store) -> None:
    posts = [
        _post("p1", 0, "w1"),
        _official("r1", 10, "ok", reply_to="p1"),
        _post("p2", 1, "w2"),
        _post("p3", 2, "w3"),
        _post("p4", 3, "w4"),
        _post("p5", 4, "w5"),
    ]
    notes = {
        "p1": _note(opds=("Dinas PUPR", "Dinas Perhubungan")),
        "p2": _note(opds=("Dinas PUPR", "Dinas PUPR")),  # two topics of one OPD count once
        "p3": _note(opds=("Dinas PUPR",), intent=Intent.QUESTION),
        "p4": _note(opds=("Dinas PUPR",)),  # the team moves it to Disdukcapil
        "p5": _note(False, opds=("Dinas PUPR",)),
    }
    ids = _fill(store, posts, notes)
    store.set_human(ids["p4"], "analis", opd="Disdukcapil")
    got = {o.opd: (o.needing, o.answered, o.complaints_open) for o in store.answers_by_opd()}
    assert got == {"Dinas PUPR": (3, 1, 1), "Dinas Perhubungan": (1, 1, 0), "Disdukcapil": (1, 0, 1)}
    assert store.answers_by_opd()[0].opd == "Dinas PUPR"  # most needing first
    assert store.answers_by_opd(T0 + timedelta(minutes=1), T0 + timedelta(minutes=2))[0].needing == 1


def test_inbox_human_labels_win(store: Store) -> None:
    posts = [_post(f"i{i}", i, f"w{i}") for i in range(5)] + [_official("ri1", 30, "@w1 sudah", conv="i1")]
    notes = {f"i{i}": _note(opds=("Dinas PUPR", "Dinas Sosial")) for i in range(4)}
    notes["i4"] = _note(False, opds=("Dinas Sosial",))
    ids = _fill(store, posts, notes)
    store.set_human(ids["i2"], "analis", opd="Satpol PP", sentiment=Sentiment.POSITIVE)
    store.set_human(ids["i3"], "analis", needs_response=False)
    store.set_human(ids["i4"], "analis", needs_response=True)
    items = store.inbox.items()
    assert [i.post.native_id for i in items] == ["i0", "i1", "i2", "i4"]  # oldest first
    by = {i.post.native_id: i for i in items}
    assert by["i0"].suggested_opd == "Dinas PUPR" and by["i2"].suggested_opd == "Satpol PP"
    assert by["i2"].sentiment is Sentiment.POSITIVE and by["i0"].sentiment is Sentiment.NEGATIVE
    assert by["i1"].answered_at == T0 + timedelta(minutes=30) and by["i0"].answered_at is None
    assert [i.post.native_id for i in store.inbox.items(unanswered=True)] == ["i0", "i2", "i4"]
    assert [i.post.native_id for i in store.inbox.items(limit=2, offset=1)] == ["i1", "i2"]
    assert [i.post.native_id for i in store.inbox.items(opd="Satpol PP")] == ["i2"]
    assert store.inbox.item(ids["i1"]).topics == ("topik0", "topik1")
    store.inbox.assign(ids["i0"], by="admin", opd="Dinas Sosial", status=InboxStatus.IN_PROGRESS)
    # reading the inbox marked i1 answered: an official account replied to it
    assert store.inbox.item(ids["i1"]).status is InboxStatus.ANSWERED
    assert store.inbox.counts() == {"new": 2, "assigned": 0, "in_progress": 1, "answered": 1, "done": 0}
    assert store.inbox.counts("Dinas Sosial") == {"new": 1, "assigned": 0, "in_progress": 1, "answered": 0, "done": 0}
    for status in InboxStatus:
        assert len(store.inbox.items(status=status)) == store.inbox.counts()[status.value]
    assert [i.post.native_id for i in store.inbox.items(status=InboxStatus.IN_PROGRESS)] == ["i0"]


# plans ---------------------------------------------------------------------------------------------------------


def _city(store: Store, questions: int = 1500) -> None:
    """A few thousand posts shaped like a city's: citizens' questions on two platforms, a stream of official
    posts, official replies by id and in threads, citizens' replies."""
    posts: list[Post] = []
    notes: dict[str, Annotation] = {}
    for i in range(questions):
        platform = Platform.X if i % 3 else Platform.INSTAGRAM
        q = _post(f"q{i}", i * 7, f"warga{i}", platform=platform)
        posts.append(q)
        notes[f"q{i}"] = _note(i % 2 == 0)
        if i % 4 == 0:
            posts.append(_official(f"r{i}", i * 7 + 30, "Terima kasih", reply_to=f"q{i}", platform=platform))
        elif i % 4 == 1:
            posts.append(_official(f"t{i}", i * 7 + 45, f"@warga{i} sudah", conv=f"q{i}", platform=platform))
        else:
            posts.append(_post(f"c{i}", i * 7 + 5, f"w{i}", "sama", reply_to=f"q{i}", platform=platform))
        posts.append(_official(f"o{i}", i * 7 + 3, "Info layanan", platform=platform))
    store.add_posts(posts)
    ids = {s.post.native_id: s.id for s in store.each() if s.post.native_id in notes}
    store.save_annotations([(ids[k], v) for k, v in notes.items()], "v1")


def _analyze(store: Store) -> None:
    with store.engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")


def _selects(store: Store, call: Callable[[], object]) -> list[tuple[str, Any]]:
    """The SELECTs (with their driver parameters) that ``call`` makes the Store run."""
    seen: list[tuple[str, Any]] = []

    def grab(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    sa.event.listen(store.engine, "before_cursor_execute", grab)
    try:
        call()
    finally:
        sa.event.remove(store.engine, "before_cursor_execute", grab)
    return seen


def _explain(conn: sa.Connection, selects: list[tuple[str, Any]]) -> str:
    """Their plans as text: EXPLAIN QUERY PLAN on SQLite, EXPLAIN on PostgreSQL."""
    sqlite = conn.dialect.name == "sqlite"
    prefix = "EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN "
    out = []
    for statement, params in selects:
        rows = conn.exec_driver_sql(prefix + statement, params)
        out.extend(str(row[-1] if sqlite else row[0]) for row in rows)
    return "\n".join(out)


def _plan(store: Store, call: Callable[[], object]) -> str:
    selects = _selects(store, call)
    with store.engine.connect() as conn:
        return _explain(conn, selects)


def _answer_calls(store: Store) -> dict[str, Callable[[], object]]:
    since, until = T0, T0 + timedelta(days=3)
    return {
        "first_answers": lambda: store.first_answers(since, until),
        "answers_by_opd": lambda: store.answers_by_opd(since, until),
        "inbox_unanswered": lambda: store.inbox.items(unanswered=True, limit=20),
    }


ANSWER_INDEX = {"reply": "ix_posts_reply", "thread": "ix_posts_conversation"}  # alias in conversations.py -> index


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _misplanned(plan: str) -> list[str]:
    """The plan lines that read the answer subqueries' tables (aliases ``reply`` and ``thread``) other than through
    their composite index: another index, a sequential scan, a bitmap scan that combines another index."""
    lines = plan.splitlines()
    wrong = []
    for alias, index in ANSWER_INDEX.items():
        scans = [i for i, line in enumerate(lines) if re.search(rf"(SEARCH|SCAN) {alias}\b|on posts {alias}\b", line)]
        for i in scans:
            used = re.findall(r"\b(ix_\w+|\w+_pkey)\b", lines[i])
            if "Bitmap Heap Scan" in lines[i]:  # its indexes are on the child lines
                children = [line for line in lines[i + 1 :] if _indent(line) > _indent(lines[i])]
                used = re.findall(r"Bitmap Index Scan on (\w+)", "\n".join(children))
            if not used or set(used) != {index}:
                wrong.append(lines[i].strip())
        if not scans:
            wrong.append(f"no scan of {alias}")
    return wrong


def test_answer_queries_use_the_answer_indexes(store: Store) -> None:
    """Each way to an answer is one probe of its composite index, never a walk of (platform, created_at) or of
    created_at. SQLite is checked before statistics (citra never ANALYZEs a SQLite workspace) and after ANALYZE;
    PostgreSQL after ANALYZE, as autovacuum leaves it (on a freshly truncated table its planner believes posts
    holds a row or two, and then any index looks as good as another)."""
    _city(store)
    for stats in ("no statistics", "ANALYZE") if store.dialect == "sqlite" else ("ANALYZE",):
        if stats == "ANALYZE":
            _analyze(store)
        for name, call in _answer_calls(store).items():
            plan = _plan(store, call)
            assert not _misplanned(plan), f"{name}, {stats}: {_misplanned(plan)}\n{plan}"
            assert "ix_posts_platform_created_at" not in plan, f"{name}, {stats}:\n{plan}"


def test_the_plan_check_catches_the_old_indexes(store: Store) -> None:
    """With migration 0004's single-column indexes the check fails: it reads the plan, not the query text. SQLite
    then walks (platform, created_at), issue 8's plan; PostgreSQL with statistics takes the single-column ones."""
    _city(store, questions=600)
    selects = _selects(store, lambda: store.first_answers(T0, T0 + timedelta(days=3)))
    with store.engine.connect() as conn:  # DDL is transactional on both: the rollback restores 0005's indexes
        conn.exec_driver_sql("DROP INDEX ix_posts_reply")
        conn.exec_driver_sql("DROP INDEX ix_posts_conversation")
        conn.exec_driver_sql("CREATE INDEX ix_posts_reply_to_id ON posts (reply_to_id)")
        conn.exec_driver_sql("CREATE INDEX ix_posts_conversation_id ON posts (conversation_id)")
        if store.dialect == "postgresql":
            conn.exec_driver_sql("ANALYZE")
        plan = _explain(conn, selects)
        conn.rollback()
    assert _misplanned(plan), plan
    if store.dialect == "sqlite":
        assert "ix_posts_platform_created_at" in plan, plan


def test_inbox_page_is_read_in_time_order(store: Store) -> None:
    """The oldest-first page walks ix_posts_created_at and stops at its LIMIT (no sort of every item)."""
    _city(store, questions=600)
    plan = _plan(store, lambda: store.inbox.items(limit=26))
    assert "ix_posts_created_at" in plan, plan
    if store.dialect == "sqlite":
        assert "TEMP B-TREE" not in plan, plan
    else:
        assert "Seq Scan on posts" not in plan, plan
