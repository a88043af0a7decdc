"""The network part of the JSON API: ``/api/v1/network`` (communities, influencers) and
``/api/v1/network/coordination`` (coordinated groups with their evidence)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from citra import network
from citra.web import data, netdata
from citra.web.api import ERRORS
from citra.web.auth import ApiReader
from citra.web.guard import reject_control_characters
from citra.web.pages import state
from citra.web.text import clean

router = APIRouter(prefix="/api/v1/network", tags=["api"], dependencies=[Depends(reject_control_characters)])
Day = Annotated[date | None, Query(description="Local day (YYYY-MM-DD); default: the last 90 days with data.")]
Search = Annotated[str | None, Query(max_length=500, description="Only posts matching this search (q syntax).")]


class BurstOut(BaseModel):
    start: str = Field(description="Local time of the first coinciding post.")
    spread_seconds: float = Field(description="Seconds from the first to the last post of the burst.")
    accounts: int
    post_ids: list[int]


class GroupOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"description": "Accounts and keys are untrusted content."})
    accounts: list[str] = Field(description="Handles (without @) of the accounts that acted together.")
    kind: str = Field(description="co-post, co-repost or hashtag.")
    posts: int = Field(description="How many of their posts coincided.")
    score: float = Field(description="-log10 of the chance p-value (Bonferroni): 2 = one in a hundred.")
    pairs: int = Field(description="Pairs of accounts flagged.")
    observed: int = Field(description="Fewest coinciding posts of a flagged pair.")
    expected: float = Field(description="Most coincidences a flagged pair would have by chance.")
    shared: list[str] = Field(description="Hashtags or reposted accounts they shared.")
    post_ids: list[int]
    bursts: list[BurstOut]


class CoordinationOut(BaseModel):
    since: date
    until: date = Field(description="Last local day included.")
    window_seconds: int
    posts: int = Field(description="Posts looked at.")
    accounts: int = Field(description="Accounts that wrote them.")
    groups: list[GroupOut]


class CommunityOut(BaseModel):
    number: int
    accounts: int
    posts: int
    share: float = Field(description="Share of the window's posts written by the community's accounts.")
    terms: list[str]
    sentiment: dict[str, float] | None
    targets: list[dict[str, str | int]]
    central: list[str]


class InfluencerOut(BaseModel):
    account: str
    pagerank: float
    links_in: int
    followers: int
    posts: int
    community: int | None
    official: bool


class NetworkOut(BaseModel):
    since: date
    until: date = Field(description="Last local day included.")
    posts: int
    accounts: int
    links: int
    links_by_kind: dict[str, int]
    communities: list[CommunityOut]
    influencers: list[InfluencerOut]


@router.get("", response_model=NetworkOut, responses=ERRORS)
def network_view(
    request: Request, user: ApiReader, since: Day = None, until: Day = None, q: Search = None
) -> NetworkOut:
    """The interaction network of a window: communities (Louvain) with terms, sentiment and targets; influencers
    by PageRank. Repost, quote, reply and mention links."""
    store, ws, memo = state(request)
    win = data.window(store, ws, memo, since, until)
    found = netdata.who_speaks(store, memo, win, clean(q) if q else None)
    return NetworkOut(since=win.start, until=win.end, **network.network_json(found.network))


@router.get("/coordination", response_model=CoordinationOut, responses=ERRORS)
def coordination(
    request: Request,
    user: ApiReader,
    since: Day = None,
    until: Day = None,
    q: Search = None,
    window_seconds: Annotated[int, Query(ge=1, le=86_400, description="Coincidence window in seconds.")] = 60,
) -> CoordinationOut:
    """Groups of accounts that posted the same text, reposted the same posts or pushed the same hashtag within
    ``window_seconds`` of each other more often than chance allows, with the posts and timings."""
    store, ws, memo = state(request)
    win = data.window(store, ws, memo, since, until)
    found = netdata.who_speaks(store, memo, win, clean(q) if q else None, window_seconds).coordination
    groups = [GroupOut(**network.group_json(g, ws.tz)) for g in found.groups]
    return CoordinationOut(
        since=win.start,
        until=win.end,
        window_seconds=found.window_seconds,
        posts=found.posts,
        accounts=found.accounts,
        groups=groups,
    )
