"""The "coordinated" driver of an alert: groups of accounts that acted in lock-step in the alert's window.

The groups come from ``citra.network.coordination`` over every post of the window (a watched search's alert:
its posts, chance measured on all posts of the window), so they are the same groups ``citra network
coordination`` and the Jaringan page show for those hours. The window is bounded (its last ``MAX_SPAN``): an
alert lasts hours to days, and a scan recomputes every episode, so an unchanged window reuses what was stored.

Stored in ``Alert.drivers["coordinated"]``::

    {"since": ISO, "until": ISO, "window_seconds": int, "posts": int, "total_groups": int,
     "groups": [{"kind": "co-post|co-repost|hashtag", "accounts": [first handles], "n_accounts": int,
                 "posts": int, "bursts": int, "score": float, "first": ISO, "shared": [hashtags/handles]}]}

Alerts stored before this driver have no such key; every reader treats it as absent. The words describe a
behaviour to check, never a label on a person ("bot", "buzzer")."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any
from urllib.parse import urlencode

from citra.store import Order, PostQuery, Store

MAX_SPAN = timedelta(days=3)  # the alert's last three days at most
MAX_GROUPS = 5  # groups stored per alert (strongest first); ``total_groups`` counts them all
SHOWN_ACCOUNTS = 5  # handles stored per group; ``n_accounts`` counts them all
KEY = "coordinated"
NOTE = (
    "Ini pola perilaku yang perlu dicek, bukan kesimpulan tentang siapa pemilik akun; "
    "buktinya (unggahan dan waktunya) ada di halaman Jaringan."
)


def span(start: datetime, end: datetime) -> tuple[datetime, datetime]:
    """The window looked at: [start, end), at most its last ``MAX_SPAN``."""
    return max(start, end - MAX_SPAN), end


def find(
    store: Store,
    since: datetime,
    until: datetime,
    within: PostQuery | None = None,
    previous: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The coordinated driver of the window [since, until) (bounded by ``span``); the one stored in ``previous``
    (an alert's drivers) when it covers the same window."""
    from citra import network

    since, until = span(since, until)
    old = (previous or {}).get(KEY)
    if isinstance(old, Mapping) and old.get("since") == _iso(since) and old.get("until") == _iso(until):
        return dict(old)
    query = dataclasses.replace(within or PostQuery(), since=since, until=until, order=Order.OLDEST)
    found = network.coordination(store, query)
    return summary(found.groups, since, until, found.window_seconds, found.posts)


def summary(groups: list[Any], since: datetime, until: datetime, window_seconds: int, posts: int) -> dict[str, Any]:
    """The stored form of ``groups`` (``citra.analytics.coordination.Group``, strongest first)."""
    return {
        "since": _iso(since),
        "until": _iso(until),
        "window_seconds": window_seconds,
        "posts": posts,
        "total_groups": len(groups),
        "groups": [
            {
                "kind": g.kind,
                "accounts": list(g.accounts[:SHOWN_ACCOUNTS]),
                "n_accounts": len(g.accounts),
                "posts": len(g.posts),
                "bursts": len(g.bursts),
                "score": round(float(g.score), 1),
                "first": _iso(datetime.fromtimestamp(min(b.start for b in g.bursts), UTC)) if g.bursts else None,
                "shared": list(g.keys[:3]),
            }
            for g in groups[:MAX_GROUPS]
        ],
    }


def groups(drivers: Mapping[str, Any] | None) -> list[Mapping[str, Any]]:
    """The stored groups of an alert's drivers ([] for alerts stored before this driver, or without groups)."""
    found = (drivers or {}).get(KEY)
    if not isinstance(found, Mapping):
        return []
    return [g for g in (found.get("groups") or []) if isinstance(g, Mapping)]


def total(drivers: Mapping[str, Any] | None) -> int:
    found = (drivers or {}).get(KEY)
    if not isinstance(found, Mapping):
        return 0
    n = found.get("total_groups")
    return int(n) if isinstance(n, int) and not isinstance(n, bool) else len(groups(drivers))


def days(drivers: Mapping[str, Any] | None, tz: tzinfo) -> tuple[date, date] | None:
    """The local days the driver looked at (first, last inclusive), for the Jaringan link."""
    found = (drivers or {}).get(KEY)
    if not isinstance(found, Mapping):
        return None
    since, until = moment(found.get("since")), moment(found.get("until"))
    if since is None or until is None:
        return None
    return since.astimezone(tz).date(), (until - timedelta(microseconds=1)).astimezone(tz).date()


def jaringan(drivers: Mapping[str, Any] | None, tz: tzinfo) -> str:
    """``/jaringan?since=YYYY-MM-DD&until=YYYY-MM-DD``: the Jaringan page over the driver's days ("" if none)."""
    found = days(drivers, tz)
    if found is None:
        return ""
    return "/jaringan?" + urlencode({"since": found[0].isoformat(), "until": found[1].isoformat()})


def sentence(group: Mapping[str, Any], window_seconds: object = 60) -> str:
    """One group in plain Indonesian: ``23 akun mengunggah teks hampir sama dalam hitungan detik (7 kali)``.
    Not escaped: handles and hashtags come from posts; the caller escapes."""
    n = _int(group.get("n_accounts")) or len(group.get("accounts") or [])
    times = _int(group.get("bursts"))
    seconds = _int(window_seconds) or 60
    quick = "dalam hitungan detik" if seconds <= 60 else f"dalam selang {seconds} detik"
    shared = [str(s) for s in (group.get("shared") or [])][:2]
    kind = group.get("kind")
    if kind == "co-post":
        what = f"{n} akun mengunggah teks hampir sama {quick}"
    elif kind == "co-repost":
        source = f" (dari {', '.join(shared)})" if shared else ""
        what = f"{n} akun membagikan ulang unggahan yang sama{source} {quick}"
    else:
        tags = f" {', '.join(shared)}" if shared else " yang sama"
        what = f"{n} akun memakai tagar{tags} bersamaan {quick}"
    return what + (f" ({times} kali)" if times else "")


def headline(drivers: Mapping[str, Any] | None) -> str:
    """``Terdeteksi N kelompok akun yang bergerak serempak`` ("" when none)."""
    n = total(drivers)
    return f"Terdeteksi {n} kelompok akun yang bergerak serempak" if n else ""


def moment(value: object) -> datetime | None:
    try:
        found = datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None
    return None if found is None else found if found.tzinfo else found.replace(tzinfo=UTC)


def _int(value: object) -> int:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")
