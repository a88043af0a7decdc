"""Plain-language recommendations drawn from the report's numbers by fixed, transparent rules.

Each rule looks at one part of ``ReportData`` and, when its condition holds, writes one or two short Indonesian
sentences that quote the number behind it. Nothing is added that the data does not show. The rules, in order:

1. a crisis still open;
2. a crisis during which no official account published anything;
3. the OPD with the most complaints still unanswered (at least ``MIN_OPEN``);
4. answered share below ``ANSWERED_TARGET``;
5. median time to answer above ``TARGET_MINUTES``;
6. the topic whose negative share rose most (at least ``MIN_RISE``, ``MIN_GROUP`` posts in both months);
7. an index change of at least ``MIN_INDEX_CHANGE`` points against last month, with last month's index outside this
   month's 95% interval (so that a small month's noise is not read as a change);
8. an intervention with a significant effect (p < 0.05): continue it when positive, review it when negative;
9. the hour of the week when official posts got the most engagement;
10. the content category with the highest mean engagement (at least ``MIN_CATEGORY_POSTS`` posts).
"""

from __future__ import annotations

from collections.abc import Callable

from citra.reports import fmt
from citra.reports.model import ReportData

MIN_OPEN = 3
ANSWERED_TARGET = 0.8
TARGET_MINUTES = 60
MIN_GROUP = 20
MIN_RISE = 0.05
MIN_INDEX_CHANGE = 2.0
MIN_CATEGORY_POSTS = 5
NOTHING = (
    "Tidak ada temuan yang memerlukan tindakan khusus bulan ini. Lanjutkan pemantauan rutin dan jawab setiap "
    "unggahan warga yang perlu jawaban."
)


def recommend(data: ReportData) -> list[str]:
    """The recommendations for the month, most urgent first (one fallback sentence when no rule applies)."""
    rules: list[Callable[[ReportData], list[str]]] = [
        _open_crises,
        _silent_crises,
        _opd_backlog,
        _answered_share,
        _answer_speed,
        _topic_rise,
        _index_change,
        _interventions,
        _best_hour,
        _best_category,
    ]
    out = [text for rule in rules for text in rule(data)]
    return out or [NOTHING]


def _open_crises(d: ReportData) -> list[str]:
    out = []
    for c in d.crises:
        if c.status != "open":
            continue
        topic = f", isu utama {c.topics[0]}" if c.topics else ""
        level = fmt.SEVERITY.get(c.severity, c.severity)
        out.append(
            f"Krisis yang dimulai {fmt.moment(c.start)} masih berlangsung (tingkat {level}, "
            f"{fmt.number(c.negative)} unggahan negatif{topic}). Pantau setiap hari dan siapkan klarifikasi resmi "
            "bersama OPD terkait."
        )
    return out


def _silent_crises(d: ReportData) -> list[str]:
    return [
        f"Selama krisis {fmt.day(c.start)} ({fmt.number(c.negative)} unggahan negatif) tidak ada unggahan resmi. "
        "Saat krisis berikutnya, terbitkan pernyataan resmi dalam hari yang sama."
        for c in d.crises
        if c.official_posts == 0
    ]


def _opd_backlog(d: ReportData) -> list[str]:
    worst = max(d.opd_replies, key=lambda o: (o.complaints_open, o.needing), default=None)
    if worst is None or worst.complaints_open < MIN_OPEN:
        return []
    return [
        f"{worst.opd} memiliki keluhan warga belum dijawab terbanyak: {fmt.number(worst.complaints_open)} keluhan "
        f"(dari {fmt.number(worst.needing)} unggahan yang perlu jawaban). Minta {worst.opd} menindaklanjuti dan "
        "menjawab secara terbuka."
    ]


def _answered_share(d: ReportData) -> list[str]:
    c = d.current
    if c.answered_share is None or c.answered_share >= ANSWERED_TARGET:
        return []
    return [
        f"Baru {fmt.percent(c.answered_share)} unggahan yang perlu jawaban dijawab ({fmt.number(c.answered)} dari "
        f"{fmt.number(c.needing)}), di bawah target {fmt.percent(ANSWERED_TARGET, 0)}. Tambah petugas yang menjawab "
        "pertanyaan dan keluhan warga."
    ]


def _answer_speed(d: ReportData) -> list[str]:
    minutes = d.current.median_minutes
    if minutes is None or minutes <= TARGET_MINUTES:
        return []
    return [
        f"Median waktu jawab {fmt.duration(minutes)}, lebih lama dari target {fmt.duration(TARGET_MINUTES)}. "
        "Tetapkan petugas piket agar unggahan warga dijawab lebih cepat."
    ]


def _topic_rise(d: ReportData) -> list[str]:
    rising = [
        t
        for t in d.topics
        if t.volume >= MIN_GROUP and (t.previous_volume or 0) >= MIN_GROUP and (t.negative_change or 0) >= MIN_RISE
    ]
    if not rising:
        return []
    t = max(rising, key=lambda g: g.negative_change or 0)
    opd = f" bersama {t.detail}" if t.detail else ""
    return [
        f"Porsi unggahan negatif tentang {t.name} naik dari {fmt.percent(t.previous_negative_share)} menjadi "
        f"{fmt.percent(t.negative_share)} ({fmt.points(t.negative_change)}). Siapkan penjelasan publik{opd}."
    ]


def _index_change(d: ReportData) -> list[str]:
    if d.previous is None:
        return []
    c = d.current
    change = c.index - d.previous.index
    if abs(change) < MIN_INDEX_CHANGE or c.ci_low <= d.previous.index <= c.ci_high:
        return []
    word = "naik" if change > 0 else "turun"
    move = (
        f"{word} {fmt.number(abs(change), 1)} poin, dari {fmt.number(d.previous.index, 1)} menjadi "
        f"{fmt.number(c.index, 1)} (selang 95%: {fmt.number(c.ci_low, 1)}–{fmt.number(c.ci_high, 1)})"
    )
    if change > 0:
        return [f"Indeks citra {move}. Pertahankan pola komunikasi bulan ini."]
    worst = max(d.topics, key=lambda t: t.volume * t.negative_share, default=None)
    cause = ""
    if worst is not None:
        negative = fmt.number(round(worst.volume * worst.negative_share))
        cause = f" Isu dengan unggahan negatif terbanyak: {worst.name} ({negative} unggahan negatif)."
    return [f"Indeks citra {move}.{cause} Utamakan jawaban dan klarifikasi untuk isu tersebut."]


def _interventions(d: ReportData) -> list[str]:
    out = []
    for i in d.impacts:
        if not i.significant or i.effect is None:
            continue
        size = f"{fmt.number(abs(i.effect), 3)} per hari (setara {fmt.number(abs(50 * i.effect), 1)} poin indeks"
        p = f"p = {fmt.number(i.p_value, 3)}"
        if i.effect > 0:
            out.append(
                f"Strategi “{i.name}” ({fmt.day(i.day)}) menaikkan sentimen bersih {size}; {p}). Lanjutkan atau "
                "ulangi strategi serupa."
            )
        else:
            out.append(
                f"Strategi “{i.name}” ({fmt.day(i.day)}) diikuti turunnya sentimen bersih {size}; {p}). Tinjau "
                "kembali pesan dan pelaksanaannya."
            )
    return out


def _best_hour(d: ReportData) -> list[str]:
    if not d.slots:
        return []
    s = d.slots[0]
    return [
        f"Unggahan resmi pada {fmt.slot(s.weekday, s.hour)} mendapat rata-rata {fmt.number(s.engagement_mean)} "
        f"interaksi ({fmt.number(s.posts)} unggahan), tertinggi bulan ini. Jadwalkan informasi penting pada jam itu."
    ]


def _best_category(d: ReportData) -> list[str]:
    good = [c for c in d.categories if c.posts >= MIN_CATEGORY_POSTS]
    if len(good) < 2:
        return []
    best = max(good, key=lambda c: c.engagement_mean)
    return [
        f"Konten “{best.name}” mendapat rata-rata {fmt.number(best.engagement_mean, 1)} interaksi per unggahan "
        f"({fmt.number(best.posts)} unggahan), tertinggi di antara jenis konten. Perbanyak konten jenis ini."
    ]
