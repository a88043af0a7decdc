"""Data subjects' requests in the database: find a person's posts, gather everything held about them, forget them.

Every row that holds a post, a copy of its text or a note about it is reached from the post's id: the post and its
raw record, annotations, topics, targets, routes, the team's labels, the label history (which copies the text),
the audit sample, the inbox assignment (its note and reply draft) and notes, audit log entries about the post,
and alert samples (which copy text and author). The full-text index follows the posts table (SQLite triggers, a
generated PostgreSQL column).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from citra.errors import CitraError
from citra.records import Post
from citra.store.schema import (
    alerts,
    annotations,
    assignments,
    audit_log,
    audit_sample,
    deep_labels,
    forgotten,
    inbox_notes,
    labels,
    post_labels,
    post_opds,
    post_targets,
    post_topics,
    post_vectors,
    posts,
)

REDACTED = "[dihapus]"  # the text of a pseudonymised post ("removed")
CHILDREN = (
    annotations,
    deep_labels,
    post_topics,
    post_targets,
    post_opds,
    post_labels,
    audit_sample,
    assignments,
    inbox_notes,
)
VECTOR_COLUMNS = (post_vectors.c.post_id, post_vectors.c.model, post_vectors.c.created_at)  # not the numbers
PART = 500  # ids per IN list


def digest(platform: str, native_id: str) -> str:
    """The key under which a forgotten post is remembered (never the id itself)."""
    return hashlib.sha256(f"{platform}:{native_id}".encode()).hexdigest()


def normal_handle(handle: str) -> str:
    return handle.strip().lstrip("@").lower()


@dataclass
class Forgotten:
    """What one request removed or pseudonymised, per table."""

    posts: int = 0
    changed: dict[str, int] = field(default_factory=dict)


def unforgotten(conn: sa.Connection, batch: Sequence[Post]) -> list[Post]:
    """The posts of ``batch`` that were not forgotten (one indexed lookup per few hundred posts, none while nothing
    was ever forgotten: 20-40 ms per 2,000 posts saved on every ingest batch)."""
    if conn.execute(sa.select(forgotten.c.digest).limit(1)).first() is None:
        return list(batch)
    keys = {digest(p.platform, p.native_id): p for p in batch}
    gone: set[str] = set()
    names = list(keys)
    for start in range(0, len(names), PART):
        part = names[start : start + PART]
        gone.update(conn.execute(sa.select(forgotten.c.digest).where(forgotten.c.digest.in_(part))).scalars())
    return list(batch) if not gone else [p for k, p in keys.items() if k not in gone]


def rows_by_part(rows: Sequence[dict[str, Any]], part: Sequence[int]) -> list[dict[str, Any]]:
    wanted = set(part)
    return [r for r in rows if r["id"] in wanted]


def _key(row: Any) -> Post:
    return Post(row["platform"], row["native_id"], "", row["created_at"])


def _parts(ids: Sequence[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), PART):
        yield list(ids[start : start + PART])


def _sample_of(sample: Any, handles: set[str], texts: set[str]) -> bool:
    if not isinstance(sample, dict):
        return False
    author = normal_handle(str(sample.get("author") or ""))
    return (bool(author) and author in handles) or sample.get("text") in texts


def _drop_coordinated(drivers: dict[str, Any], handles: set[str]) -> int:
    """Remove ``handles`` from the account lists of ``drivers["coordinated"]`` in place; how many went."""
    found = drivers.get("coordinated")
    if not isinstance(found, dict) or not handles:
        return 0
    gone, groups = 0, []
    for g in found.get("groups") or []:
        if isinstance(g, dict):
            accounts = [a for a in g.get("accounts") or [] if normal_handle(str(a)) not in handles]
            gone += len(g.get("accounts") or []) - len(accounts)
            g = {**g, "accounts": accounts}
        groups.append(g)
    if gone:
        drivers["coordinated"] = {**found, "groups": groups}
    return gone


class Subjects:
    """Posts of a person, everything held about them, and forgetting it."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    def post_ids(self, handle: str | None = None, platform: str | None = None, ids: Sequence[int] = ()) -> list[int]:
        """Ids of the stored posts written by ``handle`` (any case, with or without @; on ``platform`` when
        given) and of the given post ids; a CitraError for a post id that is not stored."""
        found: set[int] = set()
        with self.engine.connect() as conn:
            if handle:
                stmt = sa.select(posts.c.id).where(sa.func.lower(posts.c.author_handle) == normal_handle(handle))
                if platform:
                    stmt = stmt.where(posts.c.platform == platform)
                found.update(int(i) for i in conn.execute(stmt).scalars())
            if ids:
                known = {int(i) for i in conn.execute(sa.select(posts.c.id).where(posts.c.id.in_(list(ids)))).scalars()}
                missing = sorted(set(ids) - known)
                if missing:
                    raise CitraError(f"no stored post with id {', '.join(map(str, missing))}")
                found |= known
        return sorted(found)

    def held(self, ids: Sequence[int], handles: Iterable[str] = ()) -> dict[str, list[dict[str, Any]]]:
        """Every row held about these posts (and alert samples and coordinated groups naming these handles), per
        table."""
        out: dict[str, list[dict[str, Any]]] = {}
        with self.engine.connect() as conn:
            rows = out["posts"] = self._rows(conn, posts, posts.c.id, ids)
            for table in CHILDREN:
                out[table.name] = self._rows(conn, table, table.c.post_id, ids)
            out["post_vectors"] = [
                dict(r)
                for part in _parts(ids)
                for r in conn.execute(
                    sa.select(*VECTOR_COLUMNS).where(post_vectors.c.post_id.in_(part)).order_by(post_vectors.c.post_id)
                ).mappings()
            ]
            texts = {r["text"] for r in rows}
            found = self._rows(conn, labels, labels.c.post_id, ids)
            found += self._bare_labels(conn, texts)
            out["labels"] = found
            targets = [f"post:{i}" for i in ids]
            out["audit_log"] = self._rows(conn, audit_log, audit_log.c.target, targets)
            wanted = {normal_handle(h) for h in handles} | {normal_handle(r["author_handle"] or "") for r in rows}
            wanted.discard("")
            out["alerts"] = [
                {"alert_id": a["id"], "start": a["start"], "sample": s}
                for a, s in self._alert_samples(conn, wanted, texts)
            ]
            out["alert_groups"] = self._alert_groups(conn, wanted)
        return out

    @staticmethod
    def _alert_groups(conn: sa.Connection, handles: set[str]) -> list[dict[str, Any]]:
        """The alerts' coordinated groups that name one of ``handles``."""
        found = []
        for alert in conn.execute(sa.select(alerts.c.id, alerts.c.start, alerts.c.drivers)).mappings():
            driver = (alert["drivers"] or {}).get("coordinated")
            for g in (driver.get("groups") or []) if isinstance(driver, dict) else []:
                if isinstance(g, dict) and any(normal_handle(str(a)) in handles for a in g.get("accounts") or []):
                    found.append({"alert_id": alert["id"], "start": alert["start"], "group": g})
        return found

    @staticmethod
    def _rows(conn: sa.Connection, table: sa.Table, key: sa.ColumnElement[Any], values: Sequence[Any]) -> list[dict]:
        out: list[dict[str, Any]] = []
        for start in range(0, len(values), PART):
            stmt = sa.select(table).where(key.in_(list(values[start : start + PART])))
            out += [dict(r) for r in conn.execute(stmt.order_by(*table.primary_key.columns)).mappings()]
        return out

    @staticmethod
    def _bare_labels(conn: sa.Connection, texts: set[str]) -> list[dict[str, Any]]:
        """Labels of bare texts (imported without a post, or left by a deleted post) equal to one of ``texts``."""
        out: list[dict[str, Any]] = []
        ordered = sorted(texts)
        for start in range(0, len(ordered), PART):
            stmt = sa.select(labels).where(labels.c.post_id.is_(None), labels.c.text.in_(ordered[start : start + PART]))
            out += [dict(r) for r in conn.execute(stmt.order_by(labels.c.id)).mappings()]
        return out

    @staticmethod
    def _alert_samples(conn: sa.Connection, handles: set[str], texts: set[str]) -> list[tuple[Any, Any]]:
        found = []
        for alert in conn.execute(sa.select(alerts.c.id, alerts.c.start, alerts.c.drivers)).mappings():
            samples = (alert["drivers"] or {}).get("samples") or []
            found += [(alert, s) for s in samples if _sample_of(s, handles, texts)]
        return found

    def forget(
        self, ids: Sequence[int], handles: Iterable[str] = (), *, pseudonym: Callable[[str], str] | None = None
    ) -> Forgotten:
        """Remove these posts and every row derived from or copying them, in one transaction. With ``pseudonym``
        (author handle -> pseudonym) keep the posts' measures (annotations, topics, routes, the team's labels, the
        audit sample, the inbox status) and replace their author by the pseudonym and their text by REDACTED, and
        drop their URL, raw record, native id and inbox note, reply draft and notes. Either way the posts are
        remembered (as digests) so that no later import stores them again."""
        ids = sorted(set(ids))
        done = Forgotten(changed={})
        if not ids:
            return done

        def count(name: str, n: int) -> None:
            done.changed[name] = done.changed.get(name, 0) + max(n, 0)

        now = datetime.now(UTC)
        with self.engine.begin() as conn:
            rows = self._rows(conn, posts, posts.c.id, ids)
            texts = {r["text"] for r in rows}
            wanted = {normal_handle(h) for h in handles} | {normal_handle(r["author_handle"] or "") for r in rows}
            wanted.discard("")
            new = {digest(p.platform, p.native_id) for p in unforgotten(conn, [_key(r) for r in rows])}
            if new:
                conn.execute(forgotten.insert(), [{"digest": k, "forgotten_at": now} for k in sorted(new)])
            for part in _parts(ids):
                count("labels", conn.execute(labels.delete().where(labels.c.post_id.in_(part))).rowcount)
                redacted = audit_log.update().where(audit_log.c.target.in_([f"post:{i}" for i in part]))
                count("audit_log", conn.execute(redacted.values(detail={"forgotten": True})).rowcount)
            for text_part in _parts(sorted(texts)):  # type: ignore[arg-type]
                bare = labels.delete().where(labels.c.post_id.is_(None), labels.c.text.in_(text_part))
                count("labels", conn.execute(bare).rowcount)
            count("alerts", self._drop_samples(conn, wanted, texts))
            for row in rows:  # others' replies and threads point at the post's native id: keep the link, not the id
                alias = f"forgotten-{digest(row['platform'], row['native_id'])[:20]}"
                for column in (posts.c.reply_to_id, posts.c.conversation_id):
                    moved = posts.update().where(posts.c.platform == row["platform"], column == row["native_id"])
                    conn.execute(moved.values({column.name: alias}))
                if pseudonym is not None:
                    conn.execute(posts.update().where(posts.c.id == row["id"]).values(native_id=alias))
            for part in _parts(ids):  # a vector is made from the text: it goes whether or not the post stays
                count(
                    "post_vectors", conn.execute(post_vectors.delete().where(post_vectors.c.post_id.in_(part))).rowcount
                )
                if pseudonym is None:
                    for table in CHILDREN:  # explicit, not left to ON DELETE CASCADE (off in a bare SQLite shell)
                        count(table.name, conn.execute(table.delete().where(table.c.post_id.in_(part))).rowcount)
                    done.posts += conn.execute(posts.delete().where(posts.c.id.in_(part))).rowcount
                    continue
                for row in rows_by_part(rows, part):
                    alias = pseudonym(row["author_handle"] or row["author_id"] or "")
                    values = {"author_id": alias, "author_handle": alias, "author_name": None, "author_followers": None}
                    values |= {"url": None, "raw": sa.null(), "text": REDACTED, "query": None, "updated_at": now}
                    done.posts += conn.execute(posts.update().where(posts.c.id == row["id"]).values(**values)).rowcount
                note = assignments.update().where(assignments.c.post_id.in_(part))
                note = note.where(sa.or_(assignments.c.note != "", assignments.c.draft != ""))
                count("assignments", conn.execute(note.values(note="", draft="", returned_reason=None)).rowcount)
                notes = inbox_notes.delete().where(inbox_notes.c.post_id.in_(part))
                count("inbox_notes", conn.execute(notes).rowcount)
        return done

    @staticmethod
    def _drop_samples(conn: sa.Connection, handles: set[str], texts: set[str]) -> int:
        """Drop the person's sample posts from alerts, and their handle from the alerts' coordinated groups (the
        groups keep their account counts)."""
        dropped = 0
        for alert in conn.execute(sa.select(alerts.c.id, alerts.c.drivers)).mappings().all():
            drivers = dict(alert["drivers"] or {})
            samples = drivers.get("samples") or []
            kept = [s for s in samples if not _sample_of(s, handles, texts)]
            named = _drop_coordinated(drivers, handles)
            if len(kept) != len(samples) or named:
                drivers["samples"] = kept
                conn.execute(alerts.update().where(alerts.c.id == alert["id"]).values(drivers=drivers))
                dropped += len(samples) - len(kept) + named
        return dropped
