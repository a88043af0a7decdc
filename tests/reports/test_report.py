"""Laporan Citra from the sample export on SQLite and PostgreSQL: HTML numbers, escaping, PDF, XLSX and the CLI."""

from __future__ import annotations

import dataclasses
import io
import math
import re
import zlib
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
import pytest
from openpyxl import load_workbook

from citra import config, reports
from citra.errors import CitraError
from citra.ingest import ingest
from citra.nlp.pipeline import Pipeline
from citra.records import Alert, Annotation, Intervention, InterventionKind, Platform, Post, Sentiment, StoredPost
from citra.reports import fmt, xlsx
from citra.reports.data import month_bounds
from citra.reports.model import Crisis, OpdReplies, ReportData
from citra.reports.recommend import NOTHING
from citra.store import Order, PostQuery, Store
from tests.test_cli import citra
from tests.test_ingest import SAMPLE

NOW = datetime(2024, 2, 20, 9, 0, tzinfo=UTC)
SCRIPT = 'Jalan rusak parah <script>alert("xss")</script> kecewa banget'
SECTIONS = (
    "Laporan Citra Bulanan",
    "1. Ringkasan",
    "2. Rekomendasi",
    "3. Indeks citra harian",
    "4. Isu utama",
    "5. Organisasi Perangkat Daerah (OPD)",
    "6. Institusi dan pimpinan",
    "7. Krisis dan penanganannya",
    "8. Siapa yang menggerakkan percakapan bulan ini",
    "9. Dampak strategi komunikasi",
    "10. Publikasi",
    "11. Keterlibatan warga",
)


class _LexiconSentiment:
    """Stands in for the shipped sentiment model until it is built (the other pipeline stages are the real ones)."""

    name, version = "test-lexicon", "1"
    NEGATIVE = frozenset(["rusak", "banjir", "macet", "numpuk", "bau", "mati", "down", "kekurangan", "kecewa", "naik"])
    POSITIVE = frozenset(["mantul", "bagus", "bersih", "makasih", "alhamdulillah", "lega", "seneng", "cepet"])

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        rows = []
        for text in texts:
            words = set(text.split())
            neg, pos = len(words & self.NEGATIVE), len(words & self.POSITIVE)
            rows.append((0.8, 0.15, 0.05) if neg > pos else (0.05, 0.15, 0.8) if pos > neg else (0.1, 0.8, 0.1))
        return np.array(rows)


def _pipeline(ws: config.Workspace) -> Pipeline:
    try:
        return Pipeline.for_workspace(ws)
    except CitraError:  # no shipped sentiment model yet
        from citra.nlp.langid import LanguageIdentifier
        from citra.nlp.normalize import Normalizer
        from citra.nlp.routing import Router
        from citra.nlp.targets import TargetMatcher
        from citra.nlp.topics import Taxonomy

        taxonomy = Taxonomy.for_settings(ws)
        targets = TargetMatcher.from_settings(ws.settings, taxonomy)
        stages = (Normalizer.with_lexicons([]), LanguageIdentifier(), _LexiconSentiment(), taxonomy, Router(taxonomy))
        stages += (targets,)
        return Pipeline(*stages, ws.official_handles(), {"sentiment": "test-lexicon@1"}, "test")  # type: ignore[arg-type]


def _analyse(store: Store, ws: config.Workspace) -> None:
    """Annotate every stored post with the pipeline (what ``citra.analyze.analyze`` does, batch by batch)."""
    pipeline = _pipeline(ws)
    items = [(found.id, found.post) for found in store.each(PostQuery(order=Order.OLDEST))]
    notes = pipeline.annotate([p for _, p in items])
    store.save_annotations([(pid, note) for (pid, _), note in zip(items, notes, strict=True)], pipeline.version)


def _december() -> list[Post]:
    """A few citizens' posts of the month before the sample, so that changes can be computed."""
    texts = [
        "Jalan di Bekasi Timur rusak lagi, kapan diperbaiki?",
        "Taman kota bersih dan bagus, makasih Pemkot",
        "Banjir di Jatiasih, warga kecewa",
        "Pelayanan Disdukcapil cepet, mantul",
        "Info jadwal posyandu bulan ini",
    ]
    start = datetime(2023, 12, 4, 2, 0, tzinfo=UTC)
    return [Post(Platform.X, f"dec{i}", text, start + timedelta(days=3 * i)) for i, text in enumerate(texts)]


@pytest.fixture
def filled(workspace: config.Workspace) -> tuple[config.Workspace, Store]:
    """The sample export (January 2024) plus December posts, analysed, with a crisis and an intervention."""
    path = workspace.root / "citra.toml"
    text = path.read_text(encoding="utf-8").replace("x = []", 'x = ["humaskotabekasi"]')
    path.write_text(text + '\n[[leaders]]\nname = "Tri Adhianto"\nrole = "Wali Kota"\naliases = ["wali kota bekasi"]\n')
    ws = config.load(workspace.root)
    store = Store.open(ws.database_url)
    assert ingest(store, ws, [SAMPLE]).status == "done"
    loud = Post(Platform.X, "xss1", SCRIPT, datetime(2024, 1, 12, 4, 0, tzinfo=UTC))
    store.add_posts(
        [*_december(), dataclasses.replace(loud, engagement=dataclasses.replace(loud.engagement, likes=9000))]
    )
    _analyse(store, ws)
    (loud_post,) = store.lookup("xss1", Platform.X)
    xss_id = loud_post.id
    store.save_annotations([(xss_id, Annotation("id", 0.9, Sentiment.NEGATIVE, (0.9, 0.05, 0.05)))], "v-test")
    sample = {"text": SCRIPT, "platform": "x", "created_at": "2024-01-12T04:00:00+00:00", "engagement": 9000}
    drivers = {
        "terms": ["banjir"],
        "topics": [{"topic": "floods", "name": "Banjir & Drainase", "count": 3}],
        "targets": [{"target": "leader:Tri Adhianto", "count": 2}],
        "samples": [sample],
        "volume": {"negative": 5, "total": 7, "expected_negative": 1.5},
    }
    store.save_alert(
        Alert(
            None,
            "negative_volume",
            datetime(2024, 1, 10, 5, tzinfo=UTC),
            datetime(2024, 1, 10, 9, tzinfo=UTC),
            9.0,
            "high",
            "open",
            drivers,
        )
    )
    store.add_intervention(Intervention("Deklarasi Anti Korupsi", date(2024, 1, 14), InterventionKind.DECLARATION))
    yield ws, store
    store.close()


def _expected(store: Store, ws: config.Workspace, period: str) -> dict[str, Any]:
    """The month's headline numbers computed here from the stored posts and annotations."""
    since, until = month_bounds(*reports.parse_period(period), ws)
    citizens = PostQuery(since=since, until=until, official=False, annotated=True)
    rows = [(found.post, found.annotation) for found in store.each(citizens)]
    n = len(rows)
    labels = Counter(a.sentiment for _, a in rows)
    net = (labels[Sentiment.POSITIVE] - labels[Sentiment.NEGATIVE]) / n
    return {
        "volume": n,
        "index": round(50 * (1 + net), 2),  # docs/citra-index.md: 50 (1 + positive share - negative share)
        "negative_share": labels[Sentiment.NEGATIVE] / n,
        "net": (labels[Sentiment.POSITIVE] - labels[Sentiment.NEGATIVE]) / n,
        "needing": sum(a.needs_response for _, a in rows),
        "days": len({p.created_at.astimezone(ws.tz).date() for p, _ in rows}),
        "topics": len({t for _, a in rows for t in a.topics}),
    }


def test_html_has_sections_numbers_and_escapes_posts(filled: tuple[config.Workspace, Store]) -> None:
    ws, store = filled
    assert reports.default_period(store, ws) == "2024-01"
    page = reports.build(store, ws, fmt="html", now=NOW).decode("utf-8")
    for title in SECTIONS:
        assert title in page, title
    assert "Pemerintah Kota Bekasi" in page and "Periode Januari 2024" in page and "20 Februari 2024" in page
    want = _expected(store, ws, "2024-01")
    cards = re.findall(r'<p class="card-value">(.*?)</p>', page)
    assert cards[:4] == [
        fmt.number(want["volume"]),
        fmt.number(want["index"], 1),
        fmt.signed(want["net"], 2),
        fmt.percent(want["negative_share"]),
    ]
    assert cards[4] == fmt.number(want["needing"]) and cards[7] == "1"  # one crisis overlaps January
    before = _expected(store, ws, "2023-12")
    assert fmt.signed(want["volume"] - before["volume"], 0) in page
    assert "&lt;script&gt;alert(&#34;xss&#34;)&lt;/script&gt;" in page and "<script>" not in page
    assert "Krisis yang dimulai 10 Januari 2024 pukul 12.00 masih berlangsung (tingkat tinggi" in page
    assert "Belum dapat diukur: data sebelum strategi hanya" in page
    assert 'src="data:image/svg+xml;base64,' in page and not re.search(r'(src|href)="(?!data:)|url\(', page)


def _opds(found: StoredPost) -> set[str]:
    """The OPDs a post needing a response counts for: the team's label, else each OPD of its topics."""
    if found.human.opd:
        return {found.human.opd}
    return {o for o in (found.annotation.opds if found.annotation else ()) if o}


def _pdf_pages(pdf: bytes) -> int:
    """Page objects of a PDF, looking inside compressed object streams too."""
    chunks = [pdf]
    for m in re.finditer(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        try:
            chunks.append(zlib.decompress(m.group(1)))
        except zlib.error:
            continue
    return sum(len(re.findall(rb"/Type\s*/Page(?![A-Za-z])", c)) for c in chunks)


def test_pdf_and_xlsx(filled: tuple[config.Workspace, Store]) -> None:
    ws, store = filled
    data = reports.gather(store, ws, "2024-01", now=NOW)
    since, until = month_bounds(2024, 1, ws)
    query = PostQuery(since=since, until=until, official=False, needs_response=True)
    needing = Counter(o for found in store.each(query) for o in _opds(found))
    assert {r.opd: r.needing for r in data.opd_replies} == dict(needing) and needing
    pdf = reports.render(data, "pdf")
    assert pdf.startswith(b"%PDF") and _pdf_pages(pdf) >= 3
    book = load_workbook(io.BytesIO(reports.render(data, "xlsx")))
    assert book.sheetnames == list(xlsx.SHEETS)
    want = _expected(store, ws, "2024-01")
    rows = {name: book[name].max_row - 1 for name in book.sheetnames}
    assert rows["Ringkasan"] == len(data.headlines()) + 2 and rows["Indeks Harian"] == want["days"]
    assert rows["Isu"] == want["topics"] and rows["Krisis"] == 1 and rows["Strategi"] == 1
    assert rows["Rekomendasi"] == len(reports.recommend(data)) and rows["Keterlibatan"] == len(data.replies) + 1
    daily = book["Indeks Harian"]
    assert [c.value for c in daily[1]][:2] == ["Tanggal", "Unggahan"] and daily["A1"].font.b
    assert isinstance(daily["A2"].value, datetime) and daily["A2"].number_format == xlsx.DAY
    assert sum(daily.cell(row=r, column=2).value for r in range(2, daily.max_row + 1)) == want["volume"]
    summary = book["Ringkasan"]
    assert summary["B2"].value == want["volume"] and summary["B5"].value == pytest.approx(
        want["negative_share"], abs=1e-4
    )


def test_previous_month_and_errors(filled: tuple[config.Workspace, Store]) -> None:
    ws, store = filled
    december = reports.gather(store, ws, "2023-12", now=NOW)
    assert december.previous is None and december.current.volume == 5 and not december.crises
    assert all(h.change is None for h in december.headlines())
    with pytest.raises(CitraError, match="no analysed citizens' posts in 2023-05; the data covers 2023-12 to 2024-01"):
        reports.build(store, ws, "2023-05")
    with pytest.raises(CitraError, match="write YYYY-MM"):
        reports.build(store, ws, "2024-1")
    with pytest.raises(CitraError, match="unknown report format"):
        reports.build(store, ws, "2024-01", "docx")


def test_cli_writes_the_report(filled: tuple[config.Workspace, Store]) -> None:
    ws, _ = filled
    done = citra("report", "--format", "xlsx", ws=ws.root)
    path = ws.root / "reports" / "laporan-citra-2024-01.xlsx"
    assert done.stdout.strip() == str(path) and load_workbook(path).sheetnames[0] == "Ringkasan"
    out = ws.root / "bulan.html"
    assert citra("report", "--period", "2023-12", "--out", out, ws=ws.root).stdout.strip() == str(out)
    assert "Periode Desember 2023" in out.read_text(encoding="utf-8")
    empty = citra("report", "--period", "2023-05", ws=ws.root, check=False)
    assert empty.returncode == 1 and "no analysed citizens' posts in 2023-05" in empty.stderr
    bad = citra("report", "--period", "Mei", ws=ws.root, check=False)
    assert bad.returncode == 1 and "write YYYY-MM" in bad.stderr


def test_no_data_at_all(workspace: config.Workspace, store: Store) -> None:
    with pytest.raises(CitraError, match="no analysed posts yet"):
        reports.default_period(store, workspace)


def _crisis(**changes: Any) -> Crisis:
    start = datetime(2024, 1, 10, 12, tzinfo=UTC)
    base = Crisis(
        start,
        start + timedelta(hours=5),
        "high",
        "closed",
        9.0,
        None,
        0,
        40,
        10.0,
        ("Banjir & Drainase",),
        (),
        (),
        (),
        10,
        2,
        0.2,
        0,
        None,
    )
    return dataclasses.replace(base, **changes)


def test_recommendation_rules_cite_their_numbers(filled: tuple[config.Workspace, Store]) -> None:
    ws, store = filled
    data: ReportData = reports.gather(store, ws, "2024-01", now=NOW)
    current = dataclasses.replace(data.current, answered_share=0.25, answered=40, needing=160, median_minutes=135.0)
    data = dataclasses.replace(
        data,
        current=current,
        crises=(_crisis(),),
        opd_replies=(OpdReplies("Dinas PUPR", 42, 2, 29), OpdReplies("Dinas Sosial", 12, 2, 9)),
    )
    text = "\n".join(reports.recommend(data))
    assert "Antrean terbesar unggahan warga yang belum dijawab: Dinas PUPR 40 dari 42 (29 keluhan)." in text
    assert "Dinas Sosial" not in text  # 12 posts needing an answer: below the minimum support
    assert "Baru 25,0% unggahan yang perlu jawaban dijawab (40 dari 160), di bawah target 80%" in text
    assert "Median waktu jawab 2 jam 15 menit (40 jawaban), lebih lama dari target 1 jam" in text
    assert "Selama krisis 10 Januari 2024 (40 unggahan negatif) tidak ada unggahan resmi" in text
    assert "masih berlangsung" not in text  # the crisis is closed
    quiet = dataclasses.replace(
        data,
        crises=(),
        opd_replies=(),
        slots=(),
        categories=(),
        impacts=(),
        topics=(),
        previous=None,
        current=dataclasses.replace(current, answered_share=0.9, median_minutes=30.0),
    )
    assert reports.recommend(quiet) == [NOTHING]


def test_indonesian_formats() -> None:
    assert (fmt.number(1234), fmt.number(1234.5, 1), fmt.percent(0.456), fmt.signed(-3.04)) == (
        "1.234",
        "1.234,5",
        "45,6%",
        "-3,0",
    )
    assert fmt.points(0.021) == "+2,1 poin persen" and fmt.number(math.nan) == fmt.NONE
    assert fmt.duration(228) == "3 jam 48 menit" and fmt.day(date(2024, 8, 17)) == "17 Agustus 2024"
