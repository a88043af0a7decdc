"""Storage behind one small interface: the Store. SQLite by default, PostgreSQL for teams."""

from citra.records import FeedState
from citra.store.store import AddResult, ImportRun, PostQuery, Store

__all__ = ["AddResult", "FeedState", "ImportRun", "PostQuery", "Store"]
