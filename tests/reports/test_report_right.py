"""A report a mayor can trust, on SQLite and PostgreSQL: one citra index for one slice everywhere (dashboard data,
report, its JSON and the documented formula), interventions measured on their own metric and window with an
honest verdict, only confidently negative citizens' posts quoted, and recommendations with enough support."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, date, datetime
from typing import Any

import pytest

from citra import config, curate, reports
from citra.analytics.verdict import verdict
from citra.errors import CitraError
from citra.records import (
    Annotation,
    Author,
    Engagement,
    Platform,
    Post,
    PostKind,
    Sentiment,
)
from citra.reports import fmt
from citra.reports import html as report_html
from citra.reports.data import month_bounds
from citra.reports.model import GroupRow, OpdReplies
from citra.reports.recommend import MIN_SUPPORT, recommend
from citra.store import PostQuery, Store
from citra.web import data as web_data
from citra.web.cache import Memo
from tests.reports.test_report import NOW, filled  # noqa: F401 - the fixture
from tests.test_cli import citra

JAN = "2024-01"


def _labels_formula(store: Store, ws: config.Workspace, period: str) -> float:
    """docs/citra-index.md: 50 (1 + positive share − negative share) of the month's citizens' posts by label."""
    since, until = month_bounds(*reports.parse_period(period), ws)
    found = list(store.each(PostQuery(since=since, until=until, official=False, annotated=True)))
    n = len(found)
    pos = sum(1 for s in found if s.sentiment is Sentiment.POSITIVE)
    neg = sum(1 for s in found if s.sentiment is Sentiment.NEGATIVE)
    return round(50 * (1 + (pos - neg) / n), 2)


def test_one_index_for_one_month_everywhere(filled: tuple[config.Workspace, Store]) -> None:  # noqa: F811
    ws, store = filled
    model = reports.gather(store, ws, JAN, now=NOW)
    as_json = json.loads(reports.render(model, "json"))
    html = reports.render(model, "html").decode("utf-8")
    win = web_data.Window(date(2024, 1, 1), date(2024, 1, 31), ws.tz)
    (dashboard,) = web_data.index_series(store, ws, Memo(), win, freq="total")
    formula = _labels_formula(store, ws, JAN)
    assert as_json["index"]["index"] == model.current.index == dashboard.index == formula
    assert (as_json["index"]["ci_low"], as_json["index"]["ci_high"]) == (dashboard.ci_low, dashboard.ci_high)
    assert model.current.index == pytest.approx(50 * (1 + model.current.net_sentiment), abs=0.01)
    shown = fmt.number(model.current.index, 1)
    assert f"Indeks citra {shown} dari 100" in html  # the summary
    assert f"= {shown}." in html  # the method note's formula with this month's shares gives the same number
    assert "50 × (1 + porsi unggahan positif − porsi unggahan negatif)" in html
    printed = report_html.render(model, recommend(model), for_print=True)  # the page WeasyPrint turns into the PDF
    assert f"Indeks citra {shown} dari 100" in printed and f"= {shown}." in printed
    # every group row is the same function of its own slice: the OPD table of the dashboard and of the report
    opds = {r.group: r.index for r in web_data.totals(store, ws, Memo(), win, "opd")}
    assert {g.key: g.index for g in model.opds} == opds
    assert [g["index"] for g in as_json["opds"]] == [g.index for g in model.opds]


def test_interventions_keep_their_metric_and_window(filled: tuple[config.Workspace, Store]) -> None:  # noqa: F811
    ws, store = filled
    campaign = curate.add_intervention(store, "tester", "Kampanye Bersih", "2024-01-20", "campaign")
    assert (campaign.metric, campaign.window_days) == ("volume", 28)  # the default of its kind
    with pytest.raises(CitraError, match="between 7 and 56"):
        curate.add_intervention(store, "tester", "Terlalu lama", "2024-01-20", "statement", window_days=90)
    with pytest.raises(CitraError, match="metric"):
        curate.set_intervention_measure(store, "tester", "Kampanye Bersih", "likes", 14)
    changed = curate.set_intervention_measure(store, "tester", "Deklarasi Anti Korupsi", "negative_share", "14")
    assert (changed.metric, changed.window_days) == ("negative_share", 14)
    kept = {i.name: (i.metric, i.window_days) for i in store.interventions()}
    assert kept["Deklarasi Anti Korupsi"] == ("negative_share", 14)
    audit = [e for e in store.accounts.audit_log() if e["action"] == "intervention.measure"]
    assert audit and audit[0]["target"] == "Deklarasi Anti Korupsi"
    citra(
        "intervention", "add", "--name", "Pernyataan", "--date", "2024-01-25", "--kind", "statement",
        "--metric", "index", "--window-days", "21", ws=ws.root,
    )  # fmt: skip
    assert {i.name: (i.metric, i.window_days) for i in store.interventions()}["Pernyataan"] == ("index", 21)
    model = reports.gather(store, ws, JAN, now=NOW)
    measured = {i.name: i for i in model.impacts}
    assert (measured["Deklarasi Anti Korupsi"].metric, measured["Deklarasi Anti Korupsi"].window_days) == (
        "negative_share",
        14,
    )
    exported = {i["name"]: i for i in json.loads(reports.render(model, "json"))["interventions"]}
    for name, i in measured.items():
        row = exported[name]
        assert (row["metric"], row["window_days"], row["effect"]) == (i.metric, i.window_days, i.effect)
        assert row["verdict"] in (None, "naik", "turun", "belum terlihat")


def test_verdict_reads_the_interval_and_the_metric() -> None:
    assert verdict("negative_share", -0.09, -0.01) == dataclasses.replace(verdict("index", -3, -1), good=True)
    assert verdict("negative_share", 0.01, 0.05).word == "naik" and not verdict("negative_share", 0.01, 0.05).good
    assert verdict("net_sentiment", 0.01, 0.05).good is True
    assert verdict("volume", 10, 40).word == "naik" and verdict("volume", 10, 40).good is None
    unclear = verdict("net_sentiment", -0.02, 0.05)
    assert unclear.word == "belum terlihat" and "mencakup 0" in unclear.sentence("net_sentiment")
    assert verdict("index", None, None) is None


def _post(native_id: str, text: str, likes: int, *, official: bool = False) -> Post:
    handle = "humaskotabekasi" if official else f"warga{native_id}"
    return Post(
        Platform.X,
        native_id,
        text,
        datetime(2024, 1, 15, 3, 0, tzinfo=UTC),
        author=Author(native_id, handle, handle, 10),
        is_official=official,
        kind=PostKind.POST,
        engagement=Engagement(likes, 0, 0, 0, 0),
    )


def test_top_negative_posts_are_confident_complaints(filled: tuple[config.Workspace, Store]) -> None:  # noqa: F811
    ws, store = filled
    posts = {
        "thanks": _post("n-thanks", "Terima kasih Pemkot, jalan di Bekasi Timur sudah mulus", 90_000),
        "official": _post("n-official", "Mohon maaf atas gangguan layanan air", 80_000, official=True),
        "unsure": _post("n-unsure", "Gimana ya ini jalannya", 70_000),
        "confident": _post("n-confident", "Jalan rusak parah lagi, kecewa berat", 60_000),
        "team": _post("n-team", "Antrean Disdukcapil dari subuh, katanya sistem down", 500),
    }
    store.add_posts(list(posts.values()))
    ids = {k: store.lookup(p.native_id, Platform.X)[0].id for k, p in posts.items()}
    sure, unsure = (0.95, 0.03, 0.02), (0.55, 0.4, 0.05)
    notes = {"thanks": sure, "official": sure, "unsure": unsure, "confident": sure, "team": (0.3, 0.6, 0.1)}
    store.save_annotations(
        [(ids[k], Annotation("id", 0.9, Sentiment.NEUTRAL if k == "team" else Sentiment.NEGATIVE, p)) for k, p in
         notes.items()],
        "v-test",
    )  # fmt: skip
    curate.set_label(store, "tester", ids["team"], sentiment="negative")
    model = reports.gather(store, ws, JAN, now=NOW)
    quoted = [s.native_id for s in model.examples]
    assert quoted[0] == "n-team" and model.examples[0].labelled  # the team's label first
    assert "n-confident" in quoted
    assert not {"n-thanks", "n-official", "n-unsure"} & set(quoted)
    exported = json.loads(reports.render(model, "json"))["top_negative_posts"]
    assert [(p["native_id"], p["text"]) for p in exported] == [(s.native_id, s.text) for s in model.examples]
    html = reports.render(model, "html").decode("utf-8")
    assert "negatif menurut label tim" in html and "Terima kasih Pemkot" not in html


def _topic(name: str, volume: int, share: float, previous: tuple[int, float] | None) -> GroupRow:
    last: tuple[Any, ...] = (previous[0], previous[1], 40.0) if previous else (None, None, None)
    return GroupRow(name, name, "Dinas X", volume, 0.1, share, 30.0, 28.0, 32.0, *last)


def test_recommendations_rest_on_enough_posts(filled: tuple[config.Workspace, Store]) -> None:  # noqa: F811
    ws, store = filled
    model = reports.gather(store, ws, JAN, now=NOW)
    model = dataclasses.replace(
        model,
        crises=(),
        impacts=(),
        slots=(),
        categories=(),
        topics=(
            _topic("Sampah", 900, 0.71, (800, 0.70)),  # worst standing issue: not rising, still the worst
            _topic("Tenaga Kerja", 40, 0.95, (35, 0.96)),  # fewer negative posts
            _topic("Parkir", 4, 1.0, (4, 0.25)),  # a rise on 4 posts is chance
        ),
        opd_replies=(OpdReplies("Dinas PUPR", 300, 40, 200), OpdReplies("Satpol PP", 8, 0, 8)),
    )
    text = "\n".join(recommend(model))
    assert "Isu Sampah tetap paling negatif: 71,0% dari 900 unggahan" in text
    assert "Parkir" not in text and "Satpol PP" not in text  # below MIN_SUPPORT posts
    assert "Antrean terbesar unggahan warga yang belum dijawab: Dinas PUPR 260 dari 300" in text
    assert f"sedikitnya {MIN_SUPPORT} unggahan" in reports.render(model, "html").decode("utf-8")
