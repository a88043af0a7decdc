"""The JSON API of share of voice and spillover: ``/api/v1/network/share-of-voice`` and ``.../spillover``
(Bearer tokens or a browser session, any reading role); typed bodies here, beside their routes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from citra import voice
from citra.web import data
from citra.web.api import ERRORS, Day
from citra.web.auth import ApiReader
from citra.web.guard import reject_control_characters
from citra.web.pages import state

router = APIRouter(prefix="/api/v1/network", tags=["api"], dependencies=[Depends(reject_control_characters)])
PeriodQ = Annotated[Literal["day", "week", "month"], Query(description="Local period of each row.")]


class _Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class GroupOut(_Out):
    key: str = Field(description="Target key, kind:name (institution:..., entity:...).")
    name: str
    kind: Literal["institution", "entity"]


class VoiceRowOut(_Out):
    period: datetime = Field(description="Start of the local period (workspace zone); totals: the window's start.")
    group: str = Field(description="Target key of the group.")
    volume: int
    share: float = Field(description="Share of voice: volume over the summed volume of the compared groups.")
    share_low: float = Field(description="95% interval (Jeffreys Dirichlet marginal).")
    share_high: float
    positive_share: float | None = Field(description="None when the group has no posts in the period.")
    neutral_share: float | None
    negative_share: float | None
    index: float | None = Field(description="Citra index, 0-100; None without posts.")
    ci_low: float | None
    ci_high: float | None
    corrected: bool


class ShareOfVoiceOut(_Out):
    freq: Literal["day", "week", "month"]
    since: datetime
    until: datetime
    groups: list[GroupOut]
    rows: list[VoiceRowOut]
    totals: list[VoiceRowOut] = Field(description="One row per group over the whole window.")


class SpillRowOut(_Out):
    period: datetime
    institution: int = Field(description="Citizens' posts about the institution.")
    negative: int = Field(description="Of those, negative.")
    with_leader: int = Field(description="Of the negative ones, those that also name the leader.")
    share: float = Field(description="with_leader / negative.")
    low: float = Field(description="95% interval (Jeffreys).")
    high: float
    leader_negative: int = Field(description="Negative posts naming the leader, with or without the institution.")


class ProportionOut(_Out):
    k: int
    n: int
    share: float
    low: float
    high: float


class ChangeOut(_Out):
    name: str = Field(description="The intervention.")
    date: date
    days: int = Field(description="Local days compared on each side: before [date-days, date), after [date, +days).")
    before: ProportionOut
    after: ProportionOut
    difference: float | None = Field(description="after - before; None when a side has no negative posts.")
    low: float | None = Field(description="95% interval (MOVER from the Jeffreys intervals).")
    high: float | None


class SpilloverOut(_Out):
    freq: Literal["day", "week", "month"]
    since: datetime
    until: datetime
    organisation: str
    leader: str
    window_days: int
    rows: list[SpillRowOut]
    total: SpillRowOut | None
    changes: list[ChangeOut]


@router.get("/share-of-voice", response_model=ShareOfVoiceOut, responses=ERRORS)
def share_of_voice(
    request: Request, user: ApiReader, period: PeriodQ = "week", since: Day = None, until: Day = None
) -> ShareOfVoiceOut:
    """The government against each comparison entity per local period: volume, share of voice, sentiment shares
    and the citra index, each with its 95% interval."""
    store, ws, memo = state(request)
    win = data.window(store, ws, memo, since, until)
    result = voice.share_of_voice(store, ws, period, win.since, win.until)
    return ShareOfVoiceOut.model_validate(result)


@router.get("/spillover", response_model=SpilloverOut, responses=ERRORS)
def spillover(
    request: Request,
    user: ApiReader,
    leader: Annotated[str | None, Query(max_length=200, description="A configured leader; default the first.")] = None,
    period: PeriodQ = "week",
    since: Day = None,
    until: Day = None,
    window_days: Annotated[int, Query(ge=1, le=90, description="Days before and after each intervention.")] = 14,
) -> SpilloverOut:
    """Of the institution's negative posts per local period, the share that also names the leader (95% interval),
    and its change after each intervention in the window."""
    store, ws, memo = state(request)
    win = data.window(store, ws, memo, since, until)
    result = voice.spillover(store, ws, period, win.since, win.until, leader=leader, window_days=window_days)
    return SpilloverOut.model_validate(result)
