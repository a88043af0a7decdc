"""The Store: the one interface everything above ``store/`` uses to keep and read data."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

import numpy as np
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from citra import private
from citra.analytics.interactions import NetPost
from citra.errors import CitraError, ConfigError, NotFound
from citra.records import (
    Alert,
    Annotation,
    Engagement,
    FeedState,
    FirstAnswer,
    HumanLabel,
    HumanLabels,
    Intent,
    Intervention,
    InterventionKind,
    OfficialPost,
    OpdAnswers,
    Platform,
    Post,
    Sentiment,
    StoredPost,
)
from citra.store import annotated, bulk, conversations, deadline, network, pruning, rows, series, uncovered, vectors
from citra.store import search as searching
from citra.store.accounts import Accounts
from citra.store.alertwork import AlertWork
from citra.store.deeplabels import DeepLabels
from citra.store.inbox import Inbox
from citra.store.labelling import Labelling
from citra.store.query import CountMode, Page, PostQuery
from citra.store.reporthistory import ReportHistory
from citra.store.runs import ImportRuns
from citra.store.saved import SavedSearches
from citra.store.schema import alerts, feed_state, imports, interventions
from citra.store.subjects import Subjects, unforgotten

MIGRATIONS = Path(__file__).with_name("migrations")


@dataclass(frozen=True, slots=True)
class AddResult:
    """What one call of ``Store.add_posts`` changed."""

    inserted: int
    updated: int


@dataclass(frozen=True, slots=True)
class ImportRun:
    """One run of ``citra ingest`` or ``citra collect`` and what it has committed so far."""

    id: str
    command: str
    files: list[str]
    status: str
    started_at: datetime
    finished_at: datetime | None
    read: int
    inserted: int
    updated: int
    rejected: int


def normalise_url(url: str) -> str:
    """Accept ``postgresql://`` and ``postgres://`` and use the psycopg 3 driver for them."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def _create_private(database: str | None) -> None:
    """Create a new SQLite file as 0600 before SQLite does (with the umask's mode); its WAL and shared-memory
    files take the database file's mode. An existing database file is left as it is."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database).expanduser()
    if path.parent.is_dir():
        private.touch(path)


class Store:
    """Posts, imports and feed state in SQLite or PostgreSQL, through one code path."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name
        self.accounts = Accounts(engine)
        self.alert_work = AlertWork(engine)
        self.inbox = Inbox(engine)
        self.labelling = Labelling(engine)
        self.runs = ImportRuns(engine)
        self.saved = SavedSearches(engine)
        self.subjects = Subjects(engine)
        self.report_history = ReportHistory(engine)
        self.deep = DeepLabels(engine)

    @classmethod
    def open(cls, url: str, *, pool_size: int | None = None, pool_timeout: float = 30.0) -> Store:
        """Connect to a database URL (nothing is created until ``upgrade``). ``pool_size``: connections kept
        open for a server's threads (waiting longer than ``pool_timeout`` seconds for one raises
        ``sqlalchemy.exc.TimeoutError``); statements obey ``deadline.DEADLINE``."""
        url = normalise_url(url)
        # PostgreSQL: no JIT compilation. citra's queries are short and planned on large tables, where JIT
        # spends 50 ms or more compiling an expression that then runs for a few milliseconds.
        options: dict[str, Any] = {"connect_args": {"options": "-c jit=off"}} if url.startswith("postgresql") else {}
        if pool_size is not None and ":memory:" not in url:
            options |= {"pool_size": pool_size, "max_overflow": 0, "pool_timeout": pool_timeout}
        try:
            engine = sa.create_engine(url, future=True, **options)
        except (sa.exc.ArgumentError, ImportError) as exc:
            raise ConfigError(f"cannot use database URL {url!r}: {exc}") from None
        if engine.dialect.name == "sqlite":
            _create_private(engine.url.database)
            sa.event.listen(engine, "connect", _sqlite_pragmas)
        elif engine.dialect.name != "postgresql":
            raise ConfigError(f"unsupported database {engine.dialect.name!r}: use SQLite or PostgreSQL")
        deadline.install(engine)
        return cls(engine)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # schema ---------------------------------------------------------------------------------------------

    def _alembic(self, connection: sa.Connection) -> Config:
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        cfg.attributes["connection"] = connection
        return cfg

    def upgrade(self, revision: str = "head") -> None:
        """Apply Alembic migrations up to ``revision``."""
        try:
            with self.engine.begin() as conn:
                command.upgrade(self._alembic(conn), revision)
        except sa.exc.OperationalError as exc:
            raise ConfigError(f"cannot reach the database: {exc.orig}") from None

    def revision(self) -> str | None:
        """The migration revision the database is at (None when it has no citra tables)."""
        with self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def check_current(self) -> None:
        """Fail with a clear message when the database is behind the code's migrations."""
        head = ScriptDirectory.from_config(self._alembic(None)).get_current_head()  # type: ignore[arg-type]
        try:
            current = self.revision()
        except sa.exc.OperationalError as exc:
            raise ConfigError(f"cannot reach the database: {exc.orig}") from None
        if current != head:
            raise ConfigError(f"database is at revision {current or 'none'}, code needs {head}: run citra db upgrade")

    # imports ----------------------------------------------------------------------------------------------

    def start_import(self, command_name: str, files: Sequence[str]) -> str:
        """Record the start of an import run and return its id (also the rejects log name)."""
        run_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ-") + uuid.uuid4().hex[:8]
        with self.engine.begin() as conn:
            conn.execute(
                imports.insert().values(
                    id=run_id,
                    command=command_name,
                    files=list(files),
                    status="running",
                    started_at=datetime.now(UTC),
                )
            )
        return run_id

    def finish_import(self, run_id: str, status: str) -> None:
        """Mark an import run done, interrupted or failed."""
        with self.engine.begin() as conn:
            conn.execute(
                imports.update().where(imports.c.id == run_id).values(status=status, finished_at=datetime.now(UTC))
            )

    def get_import(self, run_id: str) -> ImportRun:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(imports).where(imports.c.id == run_id)).mappings().first()
        if row is None:
            raise NotFound(f"no import {run_id!r}")
        return ImportRun(**row)

    def add_posts(
        self, batch: Sequence[Post], *, import_id: str | None = None, read: int = 0, rejected: int = 0
    ) -> AddResult:
        """Upsert posts in one transaction, together with the import run's counters, so that what is
        committed and what the import record says always agree."""
        unique = bulk.dedupe(batch)
        with self.engine.begin() as conn:
            if self.dialect == "sqlite":  # write lock first: a read before it could go stale (SQLITE_BUSY)
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            unique = unforgotten(conn, unique)  # posts forgotten at a data subject's request stay out
            dbapi = conn.connection.driver_connection
            upsert = bulk.upsert_sqlite if self.dialect == "sqlite" else bulk.upsert_postgres
            inserted, updated = upsert(dbapi, unique, import_id) if unique else (0, 0)
            if import_id is not None:
                c = imports.c
                conn.execute(
                    imports.update()
                    .where(c.id == import_id)
                    .values(
                        read=c.read + read,
                        inserted=c.inserted + inserted,
                        updated=c.updated + updated,
                        rejected=c.rejected + rejected,
                    )
                )
        return AddResult(inserted, updated)

    def refresh_statistics(self) -> None:
        """PostgreSQL: ANALYZE after a bulk change (ingest, analysis). Autovacuum may be off or late, and the
        planner chooses the word index, the answer indexes and join orders on these statistics (filtered lists took
        about 1 s on 1M posts without them). SQLite: nothing; its plans are tested without statistics."""
        if self.dialect == "postgresql":
            with self.engine.begin() as conn:
                conn.exec_driver_sql("ANALYZE posts, annotations, post_topics, post_targets, post_labels")

    def prune(self, posts_before: datetime | None = None, raw_before: datetime | None = None) -> tuple[int, int]:
        """Delete posts created before ``posts_before`` (with their derived rows) and drop the raw records of posts
        stored before ``raw_before``; returns (posts deleted, raw records dropped)."""
        done = self.retain(pruning.Cutoffs(posts=posts_before, raw=raw_before))
        return done.get("posts", 0), done.get("raw records", 0)

    def retain(self, cut: pruning.Cutoffs) -> dict[str, int]:
        """Delete what is older than each cutoff, table by table (``pruning.RULES``), in one transaction; returns
        the rows deleted or changed per kind."""
        return pruning.prune(self.engine, cut)

    # reading ------------------------------------------------------------------------------------------------

    def search(
        self,
        query: PostQuery | None = None,
        *,
        limit: int = 50,
        cursor: str | None = None,
        count: CountMode = CountMode.NONE,
        raw: bool = False,
    ) -> Page[StoredPost]:
        """One page of stored posts matching ``query``, in its order, after ``cursor`` (a page's
        ``next_cursor``); ``count`` adds how many match in all. ``raw`` loads the original records too."""
        with self.engine.connect() as conn:
            return searching.run(
                conn, self.dialect, query or PostQuery(), limit=limit, cursor=cursor, count=count, raw=raw
            )

    def each(self, query: PostQuery | None = None, *, batch: int = 2000, raw: bool = False) -> Iterator[StoredPost]:
        """Every post matching ``query``, page by page (constant memory, one short read at a time)."""
        cursor: str | None = None
        while True:
            page = self.search(query, limit=batch, cursor=cursor, raw=raw)
            yield from page.items
            if page.next_cursor is None:
                return
            cursor = page.next_cursor

    def count(self, query: PostQuery | None = None) -> int:
        """How many stored posts match ``query``."""
        return int(self.search(query, limit=1, count=CountMode.EXACT).total or 0)

    def get(self, post_id: int, *, raw: bool = False) -> StoredPost:
        """One stored post by its database id."""
        found = self.search(PostQuery(ids=(post_id,)), limit=1, raw=raw).items
        if not found:
            raise NotFound(f"no stored post with id {post_id}")
        return found[0]

    def lookup(self, native_id: str, platform: Platform | None = None) -> list[StoredPost]:
        """Stored posts with this native id (on one platform, or on any)."""
        return self.search(PostQuery(platform=platform, native_id=native_id), limit=10).items

    # annotations and labels ---------------------------------------------------------------------------------

    def posts_to_annotate(
        self, version: str, *, rebuild: bool = False, batch: int = 2000
    ) -> Iterator[list[tuple[int, Post]]]:
        """Batches of (id, post) lacking an annotation of ``version`` (every post when ``rebuild``), by id."""
        after = 0
        while True:
            with self.engine.connect() as conn:
                found = conn.execute(annotated.pending(version, after, batch, rebuild)).mappings().all()
            if not found:
                return
            after = found[-1]["id"]
            yield [(row["id"], rows.post(row)) for row in found]

    def count_to_annotate(self, version: str) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(annotated.count_pending(version)).scalar_one())

    def save_annotations(self, items: Sequence[tuple[int, Annotation]], version: str) -> None:
        """Store annotations (replacing older ones of the same posts) in one transaction."""
        if items:
            with self.engine.begin() as conn:
                annotated.save(conn, items, version)

    def add_labels(self, items: Sequence[HumanLabel]) -> int:
        """Store sentiment labels (a label of a stored post becomes its current one: the newest wins)."""
        with self.engine.begin() as conn:
            return annotated.add_labels(conn, items)

    def set_human(
        self,
        post_id: int,
        by: str,
        *,
        sentiment: Sentiment | None = None,
        opd: str | None = None,
        needs_response: bool | None = None,
    ) -> HumanLabels:
        """Record the team's labels of a stored post (the tasks given; others keep their value) in the history
        and as its current labels; returns the current labels."""
        with self.engine.begin() as conn:
            return annotated.set_human(conn, post_id, by, sentiment=sentiment, opd=opd, needs_response=needs_response)

    def labels(self) -> Iterator[HumanLabel]:
        """Human labels for training: the newest of each post, and every label of a bare text."""
        with self.engine.connect() as conn:
            for row in conn.execute(annotated.latest_labels()).mappings():
                yield annotated.label_row(row)

    # the interaction network ------------------------------------------------------------------------------------

    def network_posts(self, query: PostQuery | None = None) -> Iterator[NetPost]:
        """Every post matching ``query`` as the network sees it (``citra.analytics.interactions.NetPost``), oldest
        first, streamed."""
        return network.net_posts(self.engine, self.dialect, query or PostQuery())

    # sentence vectors (the deep tier's encoder) -----------------------------------------------------------------

    def vectors(self, post_ids: Sequence[int], *, model: str | None = None) -> dict[int, np.ndarray]:
        """The stored vectors (float32, unit length as saved) of those posts that have one (of ``model`` only, an
        encoder version, when given)."""
        with self.engine.connect() as conn:
            return vectors.read(conn, post_ids, model)

    def save_vectors(self, items: Sequence[tuple[int, np.ndarray]], model: str) -> None:
        """Store (post id, vector) pairs made by the encoder ``model`` (its version), replacing older ones."""
        if items:
            with self.engine.begin() as conn:
                vectors.save(conn, items, model)

    def recent_vectors(
        self,
        since: datetime,
        citizens_only: bool = True,
        limit: int = 50_000,
        *,
        until: datetime | None = None,
        model: str | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """(ids, matrix): the vectors of posts created in [since, until), newest first, at most ``limit``; ids an
        int64 array, matrix float32 with one row per id (shape (0, 0) when there is none)."""
        with self.engine.connect() as conn:
            return vectors.recent(conn, since, until, citizens_only, limit, model)

    def uncovered_posts(
        self, since: datetime, until: datetime | None = None, limit: int = 5000
    ) -> list[uncovered.Uncovered]:
        """Citizens' posts of [since, until) that are negative or need a response and have no topic, newest first:
        the candidates of new issues."""
        with self.engine.connect() as conn:
            return uncovered.uncovered(conn, since, until, limit)

    # analytics ------------------------------------------------------------------------------------------------

    def series(
        self,
        freq: str,
        tz: ZoneInfo,
        *,
        by: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        platform: str | None = None,
        sentiment: str | None = None,
        filters: PostQuery | None = None,
    ) -> list[series.Bucket]:
        """Citizens' annotated posts summed per local period (and group), computed in the database; ``filters``
        narrows them as a search would."""
        stmt = series.query(
            self.dialect,
            freq,
            tz,
            by=by,
            since=since,
            until=until,
            platform=platform,
            sentiment=sentiment,
            filters=filters,
        )
        with self.engine.connect() as conn:
            return [series.bucket(row, tz) for row in conn.execute(stmt)]

    def official_posts(self, since: datetime | None = None, until: datetime | None = None) -> list[OfficialPost]:
        """Official accounts' own posts (not replies) with engagement and content category, in [since, until)."""
        with self.engine.connect() as conn:
            return [
                OfficialPost(
                    r.created_at,
                    Platform(r.platform),
                    Engagement(r.likes, r.reposts, r.replies, r.quotes, r.views),
                    r.author_followers,
                    r.category,
                )
                for r in conn.execute(conversations.official_posts(since, until))
            ]

    def first_answers(self, since: datetime | None = None, until: datetime | None = None) -> list[FirstAnswer]:
        """Citizens' posts of [since, until) that need a response, with their first official answer."""
        with self.engine.connect() as conn:
            return [
                FirstAnswer(
                    int(r.id),
                    r.created_at,
                    Platform(r.platform),
                    Intent(r.intent) if r.intent else Intent.OTHER,
                    conversations.earliest(r.reply_at, r.thread_at),
                )
                for r in conn.execute(conversations.first_answers(since, until))
            ]

    def answers_by_opd(self, since: datetime | None = None, until: datetime | None = None) -> list[OpdAnswers]:
        """Per OPD, most needing first: posts of [since, until) that need a response, answered, complaints open."""
        with self.engine.connect() as conn:
            return [
                OpdAnswers(r.opd, int(r.needing), int(r.answered or 0), int(r.complaints_open or 0))
                for r in conn.execute(conversations.answers_by_opd(since, until))
            ]

    def alerts(self, status: str | None = None, *, scope: int | Literal["all"] | None = "all") -> list[Alert]:
        """Stored alerts, newest first; ``scope`` a saved search's id, None for whole-city alerts only, "all"."""
        stmt = sa.select(alerts).order_by(alerts.c.start.desc())
        if status is not None:
            stmt = stmt.where(alerts.c.status == status)
        if scope != "all":
            stmt = stmt.where(alerts.c.scope_id.is_(None) if scope is None else alerts.c.scope_id == scope)
        with self.engine.connect() as conn:
            return [rows.alert(row) for row in conn.execute(stmt).mappings()]

    def save_alert(self, alert: Alert) -> Alert:
        """Insert a new alert (``id`` None) or update an existing one; returns it with its id."""
        values = {
            "kind": alert.kind,
            "start": alert.start,
            "last_seen": alert.last_seen,
            "peak_score": alert.peak_score,
            "severity": alert.severity,
            "status": alert.status,
            "drivers": alert.drivers,
            "updated_at": datetime.now(UTC),
            "scope_id": alert.scope_id,
            "scope_name": alert.scope_name,
        }
        with self.engine.begin() as conn:
            if alert.id is None:
                new_id = conn.execute(alerts.insert().values(**values).returning(alerts.c.id)).scalar_one()
                return dataclasses.replace(alert, id=int(new_id))
            conn.execute(alerts.update().where(alerts.c.id == alert.id).values(**values))
        return alert

    def notified_severity(self, alert_id: int) -> str | None:
        with self.engine.connect() as conn:
            return conn.execute(sa.select(alerts.c.notified_severity).where(alerts.c.id == alert_id)).scalar_one()

    def mark_notified(self, alert_id: int, severity: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(alerts.update().where(alerts.c.id == alert_id).values(notified_severity=severity))

    def add_intervention(self, item: Intervention) -> None:
        """Record an intervention; its name must be new."""
        with self.engine.begin() as conn:
            exists = conn.execute(sa.select(interventions.c.id).where(interventions.c.name == item.name)).first()
            if exists:
                raise CitraError(f"an intervention named {item.name!r} already exists")
            conn.execute(
                interventions.insert().values(
                    name=item.name,
                    date=item.date,
                    kind=item.kind.value,
                    description=item.description,
                    created_at=datetime.now(UTC),
                    metric=str(item.metric),
                    window_days=item.window_days,
                )
            )

    def set_intervention_measure(self, name: str, metric: str, window_days: int) -> None:
        """Change the metric and window an intervention is measured on (NotFound when there is no such one)."""
        with self.engine.begin() as conn:
            done = conn.execute(
                interventions.update()
                .where(interventions.c.name == name)
                .values(metric=metric, window_days=window_days, created_at=datetime.now(UTC))
            )
        if not done.rowcount:
            raise NotFound(f"no intervention named {name!r}")

    def interventions(self) -> list[Intervention]:
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(interventions).order_by(interventions.c.date, interventions.c.id)).mappings()
            return [
                Intervention(
                    r["name"], r["date"], InterventionKind(r["kind"]), r["description"], r["metric"], r["window_days"]
                )
                for r in rows
            ]

    def intervention(self, name: str) -> Intervention:
        found = [i for i in self.interventions() if i.name == name]
        if not found:
            known = ", ".join(i.name for i in self.interventions()) or "none yet"
            raise NotFound(f"no intervention named {name!r} (known: {known}); add it with citra intervention add")
        return found[0]

    # feeds --------------------------------------------------------------------------------------------------

    def feed_state(self, url: str) -> FeedState | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(feed_state).where(feed_state.c.url == url)).mappings().first()
        return FeedState(**row) if row else None

    def save_feed_state(self, state: FeedState) -> None:
        values = {k: getattr(state, k) for k in FeedState.__slots__}
        with self.engine.begin() as conn:
            done = conn.execute(feed_state.update().where(feed_state.c.url == state.url).values(**values))
            if done.rowcount == 0:
                conn.execute(feed_state.insert().values(**values))
