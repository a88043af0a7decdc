"""Storage behind one small interface: the Store. SQLite by default, PostgreSQL for teams."""

from citra.records import FeedState
from citra.store.query import CountMode, Order, Page, PostQuery
from citra.store.store import AddResult, ImportRun, Store
from citra.store.textquery import QuerySyntaxError

__all__ = [
    "AddResult",
    "CountMode",
    "FeedState",
    "ImportRun",
    "Order",
    "Page",
    "PostQuery",
    "QuerySyntaxError",
    "Store",
]
