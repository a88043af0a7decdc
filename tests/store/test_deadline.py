"""A deadline set by a caller (a web request) interrupts the database work that runs past it, on both databases;
without one, and after one, statements run unbounded."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from citra.store import Store
from citra.store.deadline import DeadlinePassed, within

SLOW = {
    # about 10^8 steps of a recursive query: seconds of work, interruptible between steps
    "sqlite": "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000000) "
    "SELECT max(i) FROM n",
    "postgresql": "SELECT pg_sleep(5)",
}


def test_a_statement_past_the_deadline_is_interrupted(store: Store) -> None:
    with within(0.2), pytest.raises(DeadlinePassed), store.engine.connect() as conn:
        conn.exec_driver_sql(SLOW[store.dialect]).all()
    with within(10.0), store.engine.connect() as conn:  # the same pooled connection answers again
        assert conn.execute(sa.text("SELECT 1")).scalar() == 1


def test_work_after_the_deadline_does_not_start(store: Store) -> None:
    with within(-1.0), pytest.raises(DeadlinePassed), store.engine.connect() as conn:
        conn.exec_driver_sql(SLOW[store.dialect]).all()


def test_without_a_deadline_nothing_is_bounded(store: Store) -> None:
    with within(5.0), store.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT 1").scalar() == 1
    with store.engine.connect() as conn:  # a connection used under a deadline keeps no timeout afterwards
        if store.dialect == "postgresql":
            assert conn.exec_driver_sql("SHOW statement_timeout").scalar() == "0"
        assert conn.exec_driver_sql("SELECT 1").scalar() == 1
