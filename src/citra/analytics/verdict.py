"""How an effect's 95 % interval reads, in words a Humas officer and a mayor use.

The verdict follows the interval, not the p-value: ``naik`` when the whole interval is above 0, ``turun`` when it
is below 0, ``belum terlihat`` when it includes 0 (the data cannot tell a change from chance yet). Whether a rise
is good depends on the metric: more negative posts is bad, a higher index or net sentiment is good, more volume
is what a campaign wants."""

from __future__ import annotations

from dataclasses import dataclass

UP, DOWN, UNCLEAR = "naik", "turun", "belum terlihat"
# metric -> is a rise good? (None: neither: more posts are neither praise nor blame)
RISE_IS_GOOD: dict[str, bool | None] = {
    "net_sentiment": True,
    "index": True,
    "negative_share": False,
    "volume": None,
}
METRIC_NAMES = {
    "net_sentiment": "sentimen bersih",
    "negative_share": "porsi unggahan negatif",
    "volume": "jumlah unggahan warga per hari",
    "index": "indeks citra",
}
METRIC_EXPLAINED = {
    "net_sentiment": "porsi unggahan positif dikurangi porsi unggahan negatif",
    "negative_share": "bagian unggahan warga yang bernada negatif",
    "volume": "banyaknya unggahan warga per hari",
    "index": "50 × (1 + sentimen bersih), skala 0–100",
}


@dataclass(frozen=True, slots=True)
class Verdict:
    """``word`` is naik / turun / belum terlihat; ``good`` True (better), False (worse) or None (neither, or
    not seen)."""

    word: str
    good: bool | None

    def sentence(self, metric: str) -> str:
        """The verdict as an Indonesian sentence, e.g. "Porsi unggahan negatif turun (membaik)."."""
        name = METRIC_NAMES.get(metric, metric)
        if self.word == UNCLEAR:
            return f"Perubahan {name} belum terlihat: selang 95% masih mencakup 0."
        judged = {True: " (membaik)", False: " (memburuk)", None: ""}[self.good]
        return f"{name[0].upper()}{name[1:]} {self.word}{judged}: seluruh selang 95% di {_side(self.word)} 0."


def _side(word: str) -> str:
    return "atas" if word == UP else "bawah"


def verdict(metric: str, ci_low: float | None, ci_high: float | None) -> Verdict | None:
    """The verdict of an effect's interval on ``metric``; None when there is no interval."""
    if ci_low is None or ci_high is None:
        return None
    if ci_low > 0:
        word = UP
    elif ci_high < 0:
        word = DOWN
    else:
        return Verdict(UNCLEAR, None)
    good = RISE_IS_GOOD.get(metric)
    return Verdict(word, None if good is None else (good if word == UP else not good))
