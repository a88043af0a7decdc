"""The report's "who drove the month" section: influencers, communities and coordinated groups of the month.

The month's posts are read once and given to ``citra.network.analyse`` and ``citra.network.coordination``, the
calls behind ``citra network show`` and ``citra network coordination``, so the report, the CLI and the Jaringan
page give the same numbers for the same month. Also the crisis section's coordinated groups (from the alert's
stored driver) and the XLSX sheet of this section."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from citra.alerts import coordinated as driver
from citra.alerts.wording import leader_roles, target_words
from citra.config import Workspace
from citra.reports.model import Community, Coordinated, ReportData, Speakers
from citra.store import Order, PostQuery, Store

SHEETS = ("Pemengaruh", "Komunitas", "Kelompok Serempak")
KINDS = {
    "co-post": "teks hampir sama",
    "co-repost": "membagikan ulang bersamaan",
    "hashtag": "tagar bersamaan",
}
SHOWN_INFLUENCERS = 5  # in the HTML/PDF; the XLSX and JSON keep every one the network lists
SHOWN_COMMUNITIES = 4
SHOWN_GROUPS = 5


def gather(store: Store, ws: Workspace, since: datetime, until: datetime) -> Speakers:
    """The month's network and coordinated groups (every post of [since, until))."""
    from citra import network

    query = PostQuery(since=since, until=until, order=Order.OLDEST)
    posts = network.load(store, query)
    found = network.analyse(store, query, posts=posts)
    groups = network.coordination(store, query, posts=posts)
    roles = leader_roles(ws)
    return Speakers(
        posts=found.posts,
        accounts=found.graph.number_of_nodes(),
        links=found.graph.number_of_edges(),
        influencers=found.influencers,
        communities=tuple(
            Community(
                c.number,
                c.accounts,
                c.posts,
                c.share,
                c.sentiment[0] if c.sentiment else None,
                tuple(c.terms),
                tuple((t, target_words(t, roles), n) for t, n in c.targets),
                tuple(c.top),
            )
            for c in found.communities
        ),
        coordinated=tuple(
            Coordinated(
                g.kind,
                tuple(g.accounts),
                len(g.accounts),
                len(g.posts),
                len(g.bursts),
                g.score,
                _local(min(b.start for b in g.bursts), ws) if g.bursts else None,
                tuple(g.keys),
            )
            for g in groups.groups
        ),
        window_seconds=groups.window_seconds,
    )


def from_alert(drivers: Mapping[str, Any] | None, ws: Workspace) -> tuple[tuple[Coordinated, ...], int]:
    """An alert's stored coordinated driver as report rows, and how many groups were found in all."""
    rows = tuple(
        Coordinated(
            str(g.get("kind") or ""),
            tuple(str(h) for h in (g.get("accounts") or [])),
            _int(g.get("n_accounts")),
            _int(g.get("posts")),
            _int(g.get("bursts")),
            float(g.get("score") or 0.0),
            first.astimezone(ws.tz) if (first := driver.moment(g.get("first"))) else None,
            tuple(str(k) for k in (g.get("shared") or [])),
        )
        for g in driver.groups(drivers)
    )
    return rows, driver.total(drivers)


def sheets(d: ReportData) -> Iterable[tuple[str, list[tuple[str, str | None]], Iterable[list[Any]]]]:
    """The XLSX sheets of this section: influencers, communities, coordinated groups (every one, not the few the
    printed report shows)."""
    s = d.speakers
    if s is None:
        return
    yield (
        "Pemengaruh",
        [
            ("Akun", None),
            ("PageRank", "0.000000"),
            ("Tautan masuk", "#,##0"),
            ("Pengikut", "#,##0"),
            ("Unggahan", "#,##0"),
            ("Komunitas", "0"),
            ("Akun resmi", None),
        ],
        (
            ["@" + i.handle, i.pagerank, i.links_in, i.followers, i.posts, i.community, "ya" if i.official else ""]
            for i in s.influencers
        ),
    )
    yield (
        "Komunitas",
        [
            ("Komunitas", "0"),
            ("Akun", "#,##0"),
            ("Unggahan", "#,##0"),
            ("Porsi unggahan", "0.0%"),
            ("Porsi negatif", "0.0%"),
            ("Kata khas", None),
            ("Sasaran utama (unggahan)", None),
            ("Akun sentral", None),
        ],
        (
            [
                c.number,
                c.accounts,
                c.posts,
                c.share,
                c.negative_share,
                ", ".join(c.terms),
                ", ".join(f"{name} ({n})" for _, name, n in c.targets),
                ", ".join("@" + h for h in c.central),
            ]
            for c in s.communities
        ),
    )
    yield (
        "Kelompok Serempak",
        [
            ("Jenis", None),
            ("Akun", "#,##0"),
            ("Unggahan", "#,##0"),
            ("Kali serempak", "#,##0"),
            ("Skor (-log10 p)", "0.0"),
            ("Pertama", "DD/MM/YYYY HH:MM"),
            ("Yang dibagikan", None),
            ("Daftar akun", None),
        ],
        (
            [
                KINDS.get(g.kind, g.kind),
                g.n_accounts,
                g.posts,
                g.bursts,
                g.score,
                g.first,
                ", ".join(g.shared),
                ", ".join("@" + a for a in g.accounts),
            ]
            for g in s.coordinated
        ),
    )


def _local(at: float, ws: Workspace) -> datetime:
    return datetime.fromtimestamp(at, UTC).astimezone(ws.tz)


def _int(value: object) -> int:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0
