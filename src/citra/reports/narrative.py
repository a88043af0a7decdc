"""The report's words: headline values and changes as text, the opening summary, and verdicts on impacts."""

from __future__ import annotations

from citra.alerts import coordinated as driver
from citra.reports import fmt
from citra.reports.model import Coordinated, Crisis, Headline, Impact, ReportData

BETTER_WHEN_UP = {
    "index": True,
    "net_sentiment": True,
    "answered_share": True,
    "negative_share": False,
    "median_minutes": False,
    "alerts": False,
}
ZONES = {"Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


def zone(name: str) -> str:
    return ZONES.get(name, name)


def value(h: Headline) -> str:
    """A headline value as the report prints it."""
    if h.kind == "index":
        return fmt.number(h.value, 1)
    if h.kind == "net":
        return fmt.signed(h.value, 2)
    if h.kind == "share":
        return fmt.percent(h.value)
    if h.kind == "minutes":
        return fmt.duration(h.value)
    return fmt.number(h.value)


def change(h: Headline) -> str:
    """The change against last month: '+1,6 poin', '+2,1 poin persen', '+241 (+2,0%)', '-12 menit'."""
    delta = h.change
    if delta is None:
        return fmt.NONE
    if h.kind == "index":
        return fmt.signed(delta, 1, "poin")
    if h.kind == "net":
        return fmt.signed(delta, 2)
    if h.kind == "share":
        return fmt.points(delta)
    if h.kind == "minutes":
        return ("+" if delta > 0 else "-" if delta < 0 else "") + fmt.duration(abs(delta))
    text = fmt.signed(delta, 0)
    if h.previous:
        text += f" ({fmt.signed(100 * delta / h.previous, 1)}%)"
    return text


def tone(h: Headline) -> str:
    """good, bad or neutral: whether the change is welcome."""
    delta = h.change
    if not delta or h.key not in BETTER_WHEN_UP:
        return "neutral"
    return "good" if (delta > 0) == BETTER_WHEN_UP[h.key] else "bad"


def summary(data: ReportData) -> list[str]:
    """Three to five short sentences that open the report."""
    c, p = data.current, data.previous
    month = fmt.month(data.start)
    out = [f"Pada {month} tercatat {fmt.number(c.volume)} unggahan warga tentang {data.organisation}."]
    idx = (
        f"Indeks citra {fmt.number(c.index, 1)} dari 100 (selang 95%: {fmt.number(c.ci_low, 1)}–"
        f"{fmt.number(c.ci_high, 1)})"
    )
    if p is not None:
        delta = c.index - p.index
        word = "naik" if delta > 0 else "turun" if delta < 0 else "tetap"
        idx += (
            f", {word} {fmt.number(abs(delta), 1)} poin dari bulan sebelumnya" if delta else ", sama seperti bulan lalu"
        )
    out.append(idx + ".")
    out.append(f"{fmt.percent(c.negative_share)} unggahan bernada negatif.")
    if c.needing:
        share = fmt.percent(c.answered_share)
        out.append(
            f"Dari {fmt.number(c.needing)} unggahan yang perlu jawaban, {fmt.number(c.answered)} dijawab ({share})."
        )
    out.append(
        "Tidak ada peringatan krisis." if not c.alerts else f"Tercatat {fmt.number(c.alerts)} peringatan krisis."
    )
    return out


def crisis_title(c: Crisis) -> str:
    return f"{fmt.moment(c.start)} – {fmt.moment(c.last_seen)}"


def handling(c: Crisis) -> str:
    """How a crisis was handled, in one or two sentences."""
    parts = []
    if c.needing:
        parts.append(
            f"{fmt.number(c.answered)} dari {fmt.number(c.needing)} unggahan yang perlu jawaban dijawab "
            f"({fmt.percent(c.answered_share)})"
        )
    else:
        parts.append("tidak ada unggahan warga yang perlu jawaban")
    if c.official_posts:
        parts.append(
            f"{fmt.number(c.official_posts)} unggahan resmi diterbitkan; yang pertama "
            f"{fmt.duration(c.first_official_minutes)} setelah krisis dimulai"
        )
    else:
        parts.append("tidak ada unggahan resmi selama krisis")
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."


def verdict(i: Impact) -> str:
    """The reader's conclusion about one intervention, read from its 95 % interval on its own metric."""
    if i.note:
        return i.note
    found = i.verdict
    return fmt.NONE if found is None else found.sentence(i.metric)


def metric_name(metric: str) -> str:
    """The metric in the reader's words."""
    from citra.analytics.verdict import METRIC_NAMES

    return METRIC_NAMES.get(metric, metric)


def group(g: Coordinated, window_seconds: int = 60) -> str:
    """A coordinated group in plain words: ``6 akun mengunggah teks hampir sama dalam hitungan detik (4 kali)``."""
    found = {"kind": g.kind, "n_accounts": g.n_accounts, "bursts": g.bursts, "shared": list(g.shared)}
    return driver.sentence(found, window_seconds)


def speakers(data: ReportData) -> list[str]:
    """One or two sentences on who drove the month: the largest community and the first influencer, then the
    coordinated groups (or that none were found)."""
    s = data.speakers
    if s is None or not s.posts:
        return []
    out = []
    top = s.communities[0] if s.communities else None
    first = next((i for i in s.influencers if not i.official), None)
    if top is not None:
        about = f" membahas {', '.join(top.terms[:3])}" if top.terms else ""
        negative = (
            f", {fmt.percent(top.negative_share)} unggahannya bernada negatif" if top.negative_share is not None else ""
        )
        text = (
            f"{fmt.number(s.accounts)} akun saling membagikan, membalas dan menyebut bulan ini; komunitas "
            f"terbesar ({fmt.percent(top.share)} unggahan){about}{negative}"
        )
        out.append(text + (f"; akun warga paling berpengaruh: @{first.handle}." if first else "."))
    if s.coordinated:
        out.append(
            f"Terdeteksi {fmt.number(len(s.coordinated))} kelompok akun yang bergerak serempak; yang terkuat: "
            f"{group(s.coordinated[0], s.window_seconds)}. Ini pola perilaku yang perlu dicek, bukan kesimpulan "
            "tentang siapa pemilik akun."
        )
    else:
        out.append("Tidak ditemukan kelompok akun yang bergerak serempak bulan ini.")
    return out
