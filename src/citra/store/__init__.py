"""Storage behind one small interface: the Store. SQLite by default, PostgreSQL for teams."""

from citra.store.store import AddResult, ImportRun, PostQuery, Store

__all__ = ["AddResult", "ImportRun", "PostQuery", "Store"]
