"""Write an N-row tweet-harvest CSV of realistic Indonesian posts, deterministically from a seed.

    .venv/bin/python bench/make_tweet_harvest.py 1000000 --seed 7

The file goes to ``bench/out/tweet_harvest_<N>.csv`` (gitignored) unless ``--out`` says otherwise. Columns are
tweet-harvest's, in its alphabetical order, every value quoted, as its CSV export writes them.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

COLUMNS = (
    "conversation_id_str", "created_at", "favorite_count", "full_text", "id_str", "image_url",
    "in_reply_to_screen_name", "lang", "location", "quote_count", "reply_count", "retweet_count", "tweet_url",
    "user_id_str", "username",
)  # fmt: skip
OUT = Path(__file__).with_name("out")
_TWITTER_EPOCH_MS = 1288834974657  # snowflake ids count milliseconds from here

OPENINGS = (
    "Pak", "Bu", "Min", "Halo min", "Tolong", "Mohon", "Kenapa", "Gimana ini", "Parah banget", "Mantap",
    "Alhamdulillah", "Astaghfirullah", "Waduh", "Duh", "Salut", "Terima kasih", "Sudah 3 hari", "Lagi-lagi",
    "Kapan", "Info dong", "Warga", "Akhirnya", "Sudah seminggu", "Apresiasi untuk",
)  # fmt: skip
SUBJECTS = (
    "jalan rusak di Jl. Ahmad Yani", "banjir di Perumahan Griya Asri", "lampu PJU mati di Kelurahan Margahayu",
    "antrean e-KTP di Disdukcapil", "sampah menumpuk di TPS Pasar Baru", "pelayanan RSUD",
    "macet di flyover Summarecon",
    "pembangunan trotoar Jl. Juanda", "bantuan sosial yang belum cair", "jadwal vaksinasi di puskesmas",
    "parkir liar depan stasiun", "PPDB zonasi SMP negeri", "air PDAM yang keruh", "saluran drainase mampet",
    "program Car Free Day", "taman kota yang baru diresmikan", "pungli di kantor kelurahan", "layanan SP4N-LAPOR!",
    "respon Dinas PUPR", "Satpol PP yang menertibkan PKL", "Plt Wali Kota", "Sekda yang baru dilantik",
    "kebijakan ganjil genap", "harga beras di pasar tradisional", "angkot yang ngetem sembarangan",
)  # fmt: skip
PREDICATES = (
    "belum ada perbaikan sama sekali", "makin parah tiap hari", "sudah dilaporkan tapi belum ditindaklanjuti",
    "cepat ditangani, terima kasih", "bikin warga resah", "tolong segera dicek", "sudah viral tapi diam saja",
    "patut diapresiasi", "nggak jelas kapan selesainya", "bikin bangga warga", "sangat membantu masyarakat kecil",
    "harus dievaluasi total", "lambat banget responnya", "semoga cepat beres ya", "jadi contoh kota lain",
    "katanya sudah dianggarkan di APBD", "udah kayak kolam ikan", "bikin celaka pengendara motor",
)  # fmt: skip
EXTRAS = (
    "Mohon perhatiannya.", "Sudah lapor lewat aplikasi tapi statusnya masih menunggu.", "Kami warga RT 05 RW 12.",
    "Kapan pemkot turun tangan?", "Semoga jadi perhatian.", "Ini fotonya:", "Terima kasih atas responnya.",
    "Jangan cuma janji kampanye.", "Anak-anak sekolah lewat sini tiap hari.", "Saya sudah telepon call center.",
    "Kalau hujan sedikit langsung tergenang.", "Pelayanannya ramah dan cepat.", "Good job!",
    "Ditunggu tindak lanjutnya.", "Tolong diviralkan.", "Sudah sering kejadian begini.",
)  # fmt: skip
HASHTAGS = (
    "#Bekasi", "#BekasiKeren", "#PemkotBekasi", "#LaporWarga", "#JalanRusak", "#Banjir", "#InfoBekasi",
    "#SP4NLAPOR", "#PelayananPublik", "#KotaPatriot", "#Humas",
)  # fmt: skip
EMOJI = ("🙏", "😡", "👍", "😭", "🔥", "👏", "😤", "🤦‍♂️", "💯", "🚧", "🌧️", "❤️", "😂", "🇮🇩")
OFFICIAL = ("humaskotabekasi", "pemkotbekasi", "diskominfobks", "dinaspuprbks", "satpolppbks")
CITIES = (
    "Bekasi", "Kota Bekasi", "Jakarta", "Bekasi, Jawa Barat", "Indonesia", "Jabodetabek", "Bandung", "Depok",
    "Cikarang", "Tambun Selatan", "Bumi", "",
)  # fmt: skip


def _username(rnd: random.Random) -> str:
    stems = ("warga", "budi", "siti", "rizky", "dewi", "agus", "putri", "andi", "nurul", "fajar", "bekasi", "akun")
    return f"{rnd.choice(stems)}{rnd.choice(('_', '', '.', ''))}{rnd.randint(1, 99999)}".replace(".", "_")


def _text(rnd: random.Random, mentions: list[str]) -> str:
    parts = [f"{rnd.choice(OPENINGS)} {rnd.choice(SUBJECTS)} {rnd.choice(PREDICATES)}"]
    if rnd.random() < 0.5:
        parts[0] = f"@{rnd.choice(mentions)} {parts[0]}"
    target = rnd.randint(80, 280)
    while len(" ".join(parts)) < target:
        roll = rnd.random()
        if roll < 0.45:
            parts.append(rnd.choice(EXTRAS))
        elif roll < 0.6:
            parts.append(rnd.choice(HASHTAGS))
        elif roll < 0.75:
            parts.append(rnd.choice(EMOJI))
        elif roll < 0.85:
            parts.append("\n\n" + rnd.choice(EXTRAS))
        elif roll < 0.93:
            parts.append(f"@{rnd.choice(mentions)}")
        else:
            parts.append(f"{rnd.choice(SUBJECTS)} {rnd.choice(PREDICATES)}.")
    return _fit(" ".join(parts).replace(" \n\n", "\n\n"))


def _fit(text: str) -> str:
    """At most 280 characters, cut at a space."""
    return text if len(text) <= 280 else text[:280].rsplit(" ", 1)[0]


def write(path: Path, n: int, seed: int) -> None:
    rnd = random.Random(seed)
    users = [(_username(rnd), str(rnd.choice((rnd.randint(10**7, 10**10), rnd.randint(10**18, 2 * 10**18)))))
             for _ in range(max(50, n // 20))]  # fmt: skip
    users += [(h, str(rnd.randint(10**8, 10**9))) for h in OFFICIAL]
    mentions = [*OFFICIAL, *(u for u, _ in users[:200])]
    start_ms = int(datetime(2024, 1, 1, tzinfo=UTC).timestamp() * 1000)
    span_ms = 90 * 24 * 3600 * 1000
    step = span_ms // max(n, 1)
    recent: list[str] = []
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f, quoting=csv.QUOTE_ALL, lineterminator="\n")
        out.writerow(COLUMNS)
        for i in range(n):
            ms = start_ms + i * step + rnd.randint(0, max(step - 1, 0))
            tweet_id = str(((ms - _TWITTER_EPOCH_MS) << 22) | (i & 0x3FFFFF))
            created = datetime.fromtimestamp(ms // 1000, UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"
            handle, user_id = rnd.choice(users) if rnd.random() > 0.03 else rnd.choice(users[-len(OFFICIAL) :])
            roll = rnd.random()
            reply_to = ""
            conversation = tweet_id
            text = _text(rnd, mentions)
            if roll < 0.25 and recent:
                reply_to = rnd.choice(mentions)
                conversation = rnd.choice(recent)
                text = _fit(f"@{reply_to} {text}")
            elif roll < 0.35:
                text = _fit(f"RT @{rnd.choice(mentions)}: {text}")
            if i % 50 == 0:
                recent = [*recent[-99:], tweet_id]
            likes = int(rnd.paretovariate(1.3)) - 1 if rnd.random() < 0.6 else 0
            out.writerow((
                conversation, created, likes, text, tweet_id,
                f"https://pbs.twimg.com/media/{rnd.getrandbits(60):x}.jpg" if rnd.random() < 0.2 else "",
                reply_to, rnd.choices(("in", "en", "qme", "und"), (90, 4, 3, 3))[0], rnd.choice(CITIES),
                int(rnd.paretovariate(2.5)) - 1, int(rnd.paretovariate(2)) - 1, int(rnd.paretovariate(1.8)) - 1,
                f"https://x.com/{handle}/status/{tweet_id}", user_id, handle,
            ))  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", type=int, nargs="?", default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    path = args.out or OUT / f"tweet_harvest_{args.rows}.csv"
    began = time.perf_counter()
    write(path, args.rows, args.seed)
    took = time.perf_counter() - began
    print(f"{path}: {args.rows:,} rows, {path.stat().st_size / 1e6:.1f} MB in {took:.1f} s", file=sys.stderr)
    print(path)


if __name__ == "__main__":
    main()
