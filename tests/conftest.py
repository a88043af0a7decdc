"""Shared fixtures: workspaces on real SQLite and on the local PostgreSQL server."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from citra import config
from citra.store import Store
from citra.store.schema import metadata

FIXTURES = Path(__file__).parent / "fixtures"
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
PG_ADMIN = os.environ.get("CITRA_TEST_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres")
ORG = "Pemerintah Kota Bekasi"


@pytest.fixture(scope="session", autouse=True)
def model_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The deep encoder's built graph is kept in one folder shared by the xdist workers, never in ~/.cache."""
    folder = tmp_path_factory.getbasetemp().parent / "citra-models"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CITRA_MODEL_CACHE", str(folder))
        yield folder


def _pg_unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"PostgreSQL is required in CI: {reason}")
    pytest.skip(f"PostgreSQL not available: {reason}")


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session, dropped at the end."""
    name = f"citra_test_{uuid.uuid4().hex[:10]}"
    try:
        with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        _pg_unavailable(str(exc).strip())
    base = PG_ADMIN.rsplit("/", 1)[0]
    yield f"{base}/{name}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _clean_pg(url: str) -> None:
    store = Store.open(url)
    store.upgrade()
    with store.engine.begin() as conn:
        conn.exec_driver_sql(f"TRUNCATE {', '.join(metadata.tables)} RESTART IDENTITY CASCADE")
    store.close()


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test once on SQLite and once on PostgreSQL (through CITRA_DATABASE_URL)."""
    monkeypatch.delenv("CITRA_DATABASE_URL", raising=False)
    monkeypatch.delenv("CITRA_WORKSPACE", raising=False)
    if request.param == "postgres":
        url = request.getfixturevalue("pg_url")
        _clean_pg(url)
        monkeypatch.setenv("CITRA_DATABASE_URL", url)
    return request.param


@pytest.fixture
def workspace(backend: str, tmp_path: Path) -> config.Workspace:
    """A new workspace with its database migrated, on the backend of the run."""
    ws = config.init(tmp_path / "ws", ORG)
    with Store.open(ws.database_url) as store:
        store.upgrade()
    return ws


@pytest.fixture
def store(workspace: config.Workspace) -> Iterator[Store]:
    with Store.open(workspace.database_url) as s:
        yield s


def shared_data(name: str) -> Path:
    """A folder of ../shared/data; fails (not skips) in CI when it is missing."""
    path = SHARED_DATA / name
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is required in CI")
        pytest.skip(f"{path} not present")
    return path
