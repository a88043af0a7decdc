"""Orchestration of ``citra collect``: fetch every configured connector, store its Posts in one import run,
save each connector's state. A broken source is recorded with its error and the others go on."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from citra.config import Settings, Workspace
from citra.errors import SourceError
from citra.ingest import FileSummary, RejectLog, Summary, store_items
from citra.records import FeedState
from citra.sources import rss
from citra.sources.connector import Connector, FetchError, Http, make_client
from citra.store import Store

# The one place that lists connector kinds: each builds its connectors from the workspace settings.
CONNECTORS: dict[str, Callable[[Settings], Sequence[Connector]]] = {
    "rss": rss.connectors,
}


@dataclass
class FeedSummary(FileSummary):
    """What happened to one feed: ``path`` is its URL, ``format`` its connector kind, ``http_status`` the
    last response (304: nothing new), ``skipped`` the entries the keyword filter left out."""

    name: str = ""
    http_status: int | None = None
    skipped: int = 0


def configured(settings: Settings) -> list[tuple[str, Connector]]:
    """(kind, connector) for every source the workspace configures, in registry order."""
    return [(kind, c) for kind, build in CONNECTORS.items() for c in build(settings)]


def collect(
    store: Store,
    workspace: Workspace,
    *,
    http: Http | None = None,
    timeout: float = 20.0,
    sources: Sequence[tuple[str, Connector]] | None = None,
) -> Summary:
    """Fetch and store every configured source once. ``http`` (client and retry policy) defaults to one made
    with ``timeout`` seconds; ``sources`` defaults to the workspace's. The run's status is ``failed`` when
    any source failed, ``done`` otherwise."""
    chosen = configured(workspace.settings) if sources is None else list(sources)
    own_client = http is None
    http = http or Http(make_client(timeout))
    batch = store.start_import("collect", [c.key for _, c in chosen])
    rejects = RejectLog(workspace.rejects_dir / f"{batch}.jsonl")
    summary = Summary(batch)
    status = "failed"
    try:
        for kind, connector in chosen:
            feed = FeedSummary(connector.key, kind, name=connector.name)
            summary.files.append(feed)
            _collect_one(store, http, connector, feed, batch, rejects)
        status = "failed" if any(f.error for f in summary.files) else "done"
    except KeyboardInterrupt:
        status = "interrupted"
        raise
    finally:
        if own_client:
            http.client.close()
        rejects.close()
        summary.rejects_path = str(rejects.path) if rejects.used else None
        summary.status = status
        store.finish_import(batch, status)
    return summary


def _collect_one(
    store: Store, http: Http, connector: Connector, feed: FeedSummary, batch: str, rejects: RejectLog
) -> None:
    """Fetch one source, store what it returned, save its state; a failure is recorded, not raised."""
    previous = store.feed_state(connector.key)
    try:
        fetched = connector.fetch(http, previous)
    except SourceError as exc:
        feed.error = str(exc)
        feed.http_status = exc.status if isinstance(exc, FetchError) else None
        kept = previous or FeedState(connector.key)
        store.save_feed_state(
            FeedState(connector.key, kept.etag, kept.last_modified, datetime.now(UTC), feed.http_status, feed.error)
        )
        return
    feed.http_status = fetched.state.status
    feed.skipped = fetched.skipped
    store_items(store, [*fetched.posts, *fetched.rejected], feed, batch, rejects)
    store.save_feed_state(fetched.state)
