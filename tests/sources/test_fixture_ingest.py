"""Every fixture file ingests end to end into a SQLite store, re-ingesting inserts nothing, and the
platform formats never claim each other's (or other formats') fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from citra import config
from citra.ingest import ingest
from citra.sources import registry
from citra.sources.files import open_records
from citra.store import Store
from tests.conftest import FIXTURES, ORG

EXPORT_PREFIXES = ("tweet_harvest", "x_v2", "fourcat", "meta_graph", "youtube")
FILES = sorted(p for p in FIXTURES.iterdir() if p.is_file() and p.name.startswith(EXPORT_PREFIXES))
# the platform formats and the fixture-name prefix each one may claim
OWNERS = {"x-v2": "x_v2", "4cat": "fourcat", "meta-graph": "meta_graph", "youtube": "youtube"}


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_fixture_ingests_and_reingests_nothing(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CITRA_DATABASE_URL", raising=False)
    ws = config.init(tmp_path / "ws", ORG)
    with Store.open(ws.database_url) as store:
        store.upgrade()
        first = ingest(store, ws, [path])
        assert first.status == "done", first.files[0].error
        assert first.total("inserted") > 0
        assert first.total("inserted") + first.total("rejected") <= first.total("read")
        stored = store.count()
        assert stored == first.total("inserted")
        again = ingest(store, ws, [path])
        assert again.status == "done" and again.total("inserted") == 0 and again.total("updated") == 0
        assert again.total("read") == first.total("read") and store.count() == stored


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_platform_formats_claim_only_their_own_fixtures(path: Path) -> None:
    opened = open_records(path)
    try:
        claimed = [f.name for f in registry.FORMATS if f.name in OWNERS and f.matches(opened)]
    finally:
        getattr(opened.records, "close", lambda: None)()
    owner = next((name for name, prefix in OWNERS.items() if path.name.startswith(prefix)), None)
    assert claimed == ([owner] if owner else [])
