"""Plain-language recommendations drawn from the report's numbers by fixed, transparent rules.

Each rule looks at one part of ``ReportData`` and, when its condition holds, writes one or two short Indonesian
sentences that quote the number behind it. Nothing is added that the data does not show, and no rule rests on
fewer than ``MIN_SUPPORT`` (30) posts: a share or an average of a handful of posts is chance, not a finding.
Engagement is compared by its median (a single viral post lifts a mean far above what a typical post gets). The
rules, in order:

1. a crisis still open;
2. a crisis during which no official account published anything;
3. the worst standing issue: of the topics at least ``PERSISTENT_SHARE`` negative this month and last month
   (``MIN_SUPPORT`` posts in each), whether or not the share rose, the one with the most negative posts;
4. the OPDs with the largest open queues: posts needing a response still unanswered (at least ``MIN_SUPPORT``
   needing one), the three largest;
5. answered share below ``ANSWERED_TARGET``;
6. slow answering: median time to the first answer above ``TARGET_MINUTES``, naming the slowest kind of post;
7. the topic whose negative share rose most (at least ``MIN_RISE``, ``MIN_SUPPORT`` posts in both months);
8. an index change of at least ``MIN_INDEX_CHANGE`` points against last month, with last month's index outside this
   month's 95% interval (so that a small month's noise is not read as a change);
9. an intervention whose 95% interval on its own metric excludes 0: continue it when the change is good, review
   it when it is bad;
10. the hour of the week when official posts got the most engagement (at least ``MIN_SUPPORT`` posts in it);
11. the content category with the highest median engagement (at least ``MIN_SUPPORT`` posts).
"""

from __future__ import annotations

from collections.abc import Callable

from citra.reports import fmt
from citra.reports.model import ReportData

MIN_SUPPORT = 30  # posts behind any share, median or average a rule quotes
MIN_OPEN = 3
ANSWERED_TARGET = 0.8
TARGET_MINUTES = 60
PERSISTENT_SHARE = 0.5
MAX_QUEUES = 3
MIN_RISE = 0.05
MIN_INDEX_CHANGE = 2.0
NOTHING = (
    "Tidak ada temuan yang memerlukan tindakan khusus bulan ini. Lanjutkan pemantauan rutin dan jawab setiap "
    "unggahan warga yang perlu jawaban."
)
SUPPORT_NOTE = (
    f"Rekomendasi disusun dari angka dalam laporan ini dengan aturan tetap; setiap butir menyebut angka asalnya dan "
    f"bersandar pada sedikitnya {MIN_SUPPORT} unggahan. Interaksi dibandingkan dengan median (nilai tengah), karena "
    "satu unggahan viral dapat menaikkan rata-rata jauh di atas yang didapat unggahan biasa."
)


def recommend(data: ReportData) -> list[str]:
    """The recommendations for the month, most urgent first (one fallback sentence when no rule applies)."""
    rules: list[Callable[[ReportData], list[str]]] = [
        _open_crises,
        _silent_crises,
        _persistent_issue,
        _open_queues,
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


def _persistent_issue(d: ReportData) -> list[str]:
    lasting = [
        t
        for t in d.topics
        if t.volume >= MIN_SUPPORT
        and (t.previous_volume or 0) >= MIN_SUPPORT
        and t.negative_share >= PERSISTENT_SHARE
        and (t.previous_negative_share or 0) >= PERSISTENT_SHARE
    ]
    if not lasting:
        return []
    t = max(lasting, key=lambda g: (g.volume * g.negative_share, g.negative_share))  # the most negative posts
    opd = f" bersama {t.detail}" if t.detail else ""
    return [
        f"Isu {t.name} tetap paling negatif: {fmt.percent(t.negative_share)} dari {fmt.number(t.volume)} unggahan "
        f"bernada negatif bulan ini, dan {fmt.percent(t.previous_negative_share)} bulan lalu. Susun rencana "
        f"perbaikan{opd}, umumkan langkah dan kemajuannya secara berkala."
    ]


def _open_queues(d: ReportData) -> list[str]:
    queues = sorted(
        (o for o in d.opd_replies if o.needing >= MIN_SUPPORT and o.needing - o.answered >= MIN_OPEN),
        key=lambda o: (-(o.needing - o.answered), o.opd),
    )[:MAX_QUEUES]
    if not queues:
        return []
    listed = "; ".join(
        f"{o.opd} {fmt.number(o.needing - o.answered)} dari {fmt.number(o.needing)} "
        f"({fmt.number(o.complaints_open)} keluhan)"
        for o in queues
    )
    return [
        f"Antrean terbesar unggahan warga yang belum dijawab: {listed}. Minta OPD tersebut menindaklanjuti dan "
        "menjawab secara terbuka, dimulai dari keluhan."
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
    if minutes is None or minutes <= TARGET_MINUTES or d.current.answered < MIN_SUPPORT:
        return []
    kinds = [r for r in d.replies if r.answered >= MIN_SUPPORT and r.median_minutes is not None]
    slowest = max(kinds, key=lambda r: r.median_minutes or 0, default=None)
    worst = (
        f" Paling lambat: {slowest.label.lower()} ({fmt.duration(slowest.median_minutes)})."
        if slowest is not None and len(kinds) > 1
        else ""
    )
    return [
        f"Median waktu jawab {fmt.duration(minutes)} ({fmt.number(d.current.answered)} jawaban), lebih lama dari "
        f"target {fmt.duration(TARGET_MINUTES)}.{worst} Tetapkan petugas piket agar unggahan warga dijawab lebih "
        "cepat."
    ]


def _topic_rise(d: ReportData) -> list[str]:
    rising = [
        t
        for t in d.topics
        if t.volume >= MIN_SUPPORT and (t.previous_volume or 0) >= MIN_SUPPORT and (t.negative_change or 0) >= MIN_RISE
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
        found = i.verdict
        if found is None or found.word == "belum terlihat" or i.effect is None:
            continue
        size = (
            f"rata-rata {fmt.effect(i.effect, i.metric)} per hari selama {i.window_days} hari (selang 95%: "
            f"{fmt.effect(i.ci_low, i.metric)} s.d. {fmt.effect(i.ci_high, i.metric)})"
        )
        sentence = f"Sesudah strategi “{i.name}” ({fmt.day(i.day)}), {found.sentence(i.metric)[:-1].lower()}; {size}."
        if found.good is False:
            out.append(f"{sentence} Tinjau kembali pesan dan pelaksanaannya.")
        else:
            out.append(f"{sentence} Lanjutkan atau ulangi strategi serupa.")
    return out


def _best_hour(d: ReportData) -> list[str]:
    good = [s for s in d.slots if s.posts >= MIN_SUPPORT]
    if not good:
        return []
    s = good[0]
    return [
        f"Unggahan resmi pada {fmt.slot(s.weekday, s.hour)} mendapat rata-rata {fmt.number(s.engagement_mean)} "
        f"interaksi ({fmt.number(s.posts)} unggahan), tertinggi bulan ini. Jadwalkan informasi penting pada jam itu."
    ]


def _best_category(d: ReportData) -> list[str]:
    good = [c for c in d.categories if c.posts >= MIN_SUPPORT]
    if len(good) < 2:
        return []
    best = max(good, key=lambda c: (c.engagement_median, c.posts))
    if best.engagement_median <= min(c.engagement_median for c in good):
        return []
    return [
        f"Konten “{best.name}” mendapat median {fmt.number(best.engagement_median)} interaksi per unggahan "
        f"({fmt.number(best.posts)} unggahan), tertinggi di antara jenis konten dengan sedikitnya {MIN_SUPPORT} "
        "unggahan. Perbanyak konten jenis ini."
    ]
