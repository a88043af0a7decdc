"""The network part of the Jaringan page: the drawing, the communities and influencers tables and the coordinated
groups with their evidence, from the window's cached ``netdata.who_speaks``.

The first computation of a large window takes longer than a page should wait: the page waits ``WAIT`` seconds, then
says the network is being computed and reloads itself while the computation goes on in the background (``Memo``)."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from babel.dates import format_datetime
from fastapi import Request
from markupsafe import Markup

from citra import network
from citra.analytics import coordination as coord
from citra.records import StoredPost
from citra.store import deadline
from citra.store.textquery import QuerySyntaxError, parse
from citra.web import netchart, netdata
from citra.web.cache import StillComputing
from citra.web.data import Window
from citra.web.i18n import N_
from citra.web.pages import state
from citra.web.render import chart_json, translations

WAIT = 3.0  # seconds a page waits for a first computation before it says "being computed"
REFRESH = 5  # seconds after which a "being computed" page reloads itself
BURSTS_SHOWN = 2  # bursts of a group shown with their posts
SECONDS_MIN, SECONDS_MAX = 1, 86_400
# what each behaviour means, in the reader's words
KIND_TEXT = {
    "co-post": N_("posted the same (or nearly the same) text within seconds of each other"),
    "co-repost": N_("reposted the same post at the same time"),
    "hashtag": N_("pushed the same hashtag in lock-step"),
}
KIND_NAME = {"co-post": N_("Same text"), "co-repost": N_("Same repost"), "hashtag": N_("Same hashtag")}


@dataclass(frozen=True)
class Controls:
    """The network's own filters: a search and the coincidence window in seconds."""

    q: str
    seconds: int
    error: str | None = None


def controls(request: Request, q: str | None, seconds: int | None) -> Controls:
    """The search (checked: a bad one is reported, not run) and the window, clamped to 1 s .. 1 day."""
    text = (q or "").strip()[:500]
    chosen = coord.WINDOW if seconds is None else min(max(seconds, SECONDS_MIN), SECONDS_MAX)
    if text:
        try:
            parse(text)
        except QuerySyntaxError as exc:
            message = exc.indonesian if request.state.lang == "id" else str(exc)
            return Controls(text, chosen, message)
    return Controls(text, chosen)


def cached(request: Request, win: Window, c: Controls) -> netdata.WhoSpeaks | None:
    """The window's network and groups, or None while the first computation goes on in the background."""
    store, _, memo = state(request)
    left = deadline.remaining()
    bound = WAIT if left is None else max(0.0, min(WAIT, left))
    try:
        with deadline.within(bound):
            return netdata.who_speaks(store, memo, win, c.q or None, c.seconds)
    except StillComputing:
        return None


def section(request: Request, win: Window, c: Controls) -> dict[str, Any]:
    """The context of ``_network.html``: ``network_pending`` while computing, else the drawing, the tables and
    the groups."""
    base: dict[str, Any] = {"net_q": c.q, "net_seconds": c.seconds, "net_error": c.error, "network_refresh": None}
    if c.error:
        return base | {"network_pending": False, "net": None}
    found = cached(request, win, c)
    if found is None:
        return base | {"network_pending": True, "net": None, "network_refresh": REFRESH}
    t = translations(request)
    _, ws, memo = state(request)
    lang = request.state.lang
    key = ("network-figure", win.key, c.q, c.seconds, lang)
    chart = memo.get(key, lambda: chart_json(netchart.figure(found.drawing, t.gettext)))
    return base | {
        "network_pending": False,
        "net": found.network,
        "net_chart": chart,
        "net_drawn": len(found.drawing["nodes"]),
        "net_colour": netchart.colour,
        "net_groups": groups(found.coordination, win, c, ws.tz, lang),
        "net_looked": found.coordination,
        "net_account_url": account_url(win),
        "net_target": lambda t: t.partition(":")[2] or t,
    }


def odds(score: float, lang: str) -> Markup:
    """The chance of a group's coincidences as "1 in N": the number itself up to a million, a power of ten
    beyond (``score`` is -log10 of the corrected p-value)."""
    power = max(0, math.floor(score))
    sep = "." if lang == "id" else ","
    if power <= 6:
        return Markup(f"{10**power:,}".replace(",", sep))  # noqa: S704 (digits and a separator)
    return Markup("10<sup>{}</sup>").format(power)


def when(at: float, tz: Any, lang: str) -> str:
    """A post's time to the second, in the workspace zone (WIB on the demo)."""
    return format_datetime(datetime.fromtimestamp(at, UTC).astimezone(tz), "d MMM yyyy HH.mm.ss z", locale=lang)


def timed(posts: Sequence[StoredPost], tz: Any, lang: str) -> list[tuple[StoredPost, str]]:
    """Posts with their times to the second (coordination is a matter of seconds)."""
    return [(f, when(f.post.created_at.timestamp(), tz, lang)) for f in posts]


def _params(win: Window, c: Controls) -> dict[str, str | int]:
    params: dict[str, str | int] = {"since": win.start.isoformat(), "until": win.end.isoformat()}
    if c.q:
        params["q"] = c.q
    if c.seconds != coord.WINDOW:
        params["window_seconds"] = c.seconds
    return params


def account_url(win: Window) -> Callable[[str], str]:
    """The link to an account's posts in the window."""
    shown = {"since": win.start.isoformat(), "until": win.end.isoformat()}
    return lambda handle: "/jaringan/akun?" + urlencode({"handle": handle} | shown)


def page_url(win: Window, c: Controls) -> str:
    """The Jaringan page of this window, search and coincidence window."""
    return "/jaringan?" + urlencode(_params(win, c))


def group_url(number: int, win: Window, c: Controls) -> str:
    """The page with every post of the group ``number`` of this window, search and coincidence window."""
    return "/jaringan/kelompok?" + urlencode({"n": number} | _params(win, c))


def group_view(
    number: int, g: coord.Group, found: network.Coordination, win: Window, c: Controls, tz: Any, lang: str
) -> dict[str, Any]:
    """A group as the page shows it: its behaviour in words, the odds, what was shared and the first bursts'
    posts with their times."""
    return {
        "number": number,
        "group": g,
        "kind_name": KIND_NAME[g.kind],
        "kind_text": KIND_TEXT[g.kind],
        "odds": odds(g.score, lang),
        "bursts": [_burst(b, found.evidence, tz, lang) for b in g.bursts[:BURSTS_SHOWN]],
        "url": group_url(number, win, c),
    }


def groups(found: network.Coordination, win: Window, c: Controls, tz: Any, lang: str) -> list[dict[str, Any]]:
    """Every group of ``found`` as the page shows it, strongest first."""
    return [group_view(n, g, found, win, c, tz, lang) for n, g in enumerate(found.groups, 1)]


def _burst(b: coord.Burst, evidence: dict[int, network.Evidence], tz: Any, lang: str) -> dict[str, Any]:
    posts = [evidence[p] for p in b.posts if p in evidence]
    return {
        "start": when(b.start, tz, lang),
        "spread": round(b.spread),
        "accounts": len(b.accounts),
        "posts": [{"handle": e.handle, "at": when(e.at, tz, lang), "text": e.text} for e in posts],
        "more": len(b.posts) - len(posts),
    }
