"""Kota Harapan Jaya, the fictional city of ``Scenario.default``: its accounts, leaders, volumes and moods."""

from __future__ import annotations

from datetime import date

from citra.simulate.scenario import Account, Crisis, Intervention, Leader, Scenario, TopicMix

CITY = "Harapan Jaya"
ORGANISATION = "Pemerintah Kota Harapan Jaya"

HUMAS = Account("humasharapanjaya", "Humas Pemkot Harapan Jaya", "1104558812", 48_200)
OFFICIALS = (
    Account("pemkotharapanjaya", "Pemkot Harapan Jaya", "1021993450", 61_500, ("public_service",)),
    Account("dinaspupr_hj", "Dinas PUPR Kota Harapan Jaya", "1320044761", 6_900, ("roads", "floods")),
    Account("dishub_hj", "Dinas Perhubungan Kota Harapan Jaya", "1320044762", 8_300, ("traffic",)),
    Account("dlh_hj", "Dinas Lingkungan Hidup Kota Harapan Jaya", "1320044763", 4_100, ("waste", "environment")),
    Account("disdukcapil_hj", "Disdukcapil Kota Harapan Jaya", "1320044764", 12_700, ("population_documents",)),
    Account("dinkes_hj", "Dinas Kesehatan Kota Harapan Jaya", "1320044765", 9_800, ("health",)),
    Account("disdik_hj", "Dinas Pendidikan Kota Harapan Jaya", "1320044766", 7_400, ("education",)),
    Account("dinsos_hj", "Dinas Sosial Kota Harapan Jaya", "1320044767", 3_900, ("social_aid",)),
    Account("satpolpp_hj", "Satpol PP Kota Harapan Jaya", "1320044768", 5_200, ("public_order",)),
    Account("bpbd_hj", "BPBD Kota Harapan Jaya", "1320044769", 10_100, ("disasters",)),
    Account("dpmptsp_hj", "DPMPTSP Kota Harapan Jaya", "1320044770", 2_300, ("permits", "economy")),
    Account("bapenda_hj", "Bapenda Kota Harapan Jaya", "1320044771", 2_900, ("taxes",)),
)

MAYOR = Leader(
    "Hendra Kusumawardana",
    "Wali Kota",
    ("pak hendra", "wali kota hendra", "walkot hendra", "hendra kusumawardana", "bang hendra", "HK"),
    "hendrakusuma_hj",
)
VICE = Leader(
    "Sri Wahyuningsih",
    "Wakil Wali Kota",
    ("bu sri", "wawali sri", "bu wawali", "sri wahyuningsih", "plt wali kota", "plt walkot"),
    "sriwahyu_hj",
)
SEKDA = Leader("Teguh Prasetyo", "Sekretaris Daerah", ("pak sekda", "sekda teguh", "teguh prasetyo"))

NEWS = (
    Account("harapanpos", "Harapan Pos", "2200118801", 88_000, domain="harapanpos.id"),
    Account("kabarharapan", "Kabar Harapan", "2200118802", 41_000, domain="kabarharapan.com"),
    Account("wartajaya_id", "Warta Jaya Online", "2200118803", 23_500, domain="wartajaya.co.id"),
    Account("suarametrohj", "Suara Metro Harapan", "2200118804", 15_800, domain="suarametroharapan.id"),
    Account("lensajayanews", "Lensa Jaya News", "2200118805", 9_600, domain="lensajaya.news"),
)

TOPICS = (
    TopicMix("roads", 0.13, 0.58, 0.27, 0.15),
    TopicMix("floods", 0.09, 0.55, 0.30, 0.15),
    TopicMix("waste", 0.08, 0.52, 0.30, 0.18),
    TopicMix("traffic", 0.08, 0.50, 0.35, 0.15),
    TopicMix("health", 0.08, 0.35, 0.35, 0.30),
    TopicMix("education", 0.06, 0.30, 0.45, 0.25),
    TopicMix("population_documents", 0.08, 0.40, 0.35, 0.25),
    TopicMix("social_aid", 0.05, 0.42, 0.38, 0.20),
    TopicMix("permits", 0.03, 0.35, 0.45, 0.20),
    TopicMix("taxes", 0.03, 0.30, 0.50, 0.20),
    TopicMix("public_order", 0.05, 0.40, 0.40, 0.20),
    TopicMix("public_service", 0.07, 0.35, 0.35, 0.30),
    TopicMix("economy", 0.05, 0.35, 0.40, 0.25),
    TopicMix("environment", 0.04, 0.35, 0.35, 0.30),
    TopicMix("disasters", 0.02, 0.30, 0.50, 0.20),
    TopicMix("corruption", 0.02, 0.60, 0.30, 0.10),
    TopicMix("leader", 0.04, 0.25, 0.35, 0.40),
    TopicMix("general", 0.03, 0.15, 0.45, 0.40),
)

# Local (WIB) hours 0..23: quiet at night, peaks in the morning commute and the evening.
HOURLY = (
    0.022,
    0.012,
    0.007,
    0.005,
    0.007,
    0.016,
    0.032,
    0.052,
    0.066,
    0.064,
    0.057,
    0.052,
    0.055,
    0.050,
    0.045,
    0.044,
    0.047,
    0.052,
    0.056,
    0.062,
    0.068,
    0.066,
    0.052,
    0.036,
)
NEWS_HOURLY = (
    0.005,
    0.002,
    0.001,
    0.001,
    0.002,
    0.010,
    0.030,
    0.060,
    0.085,
    0.095,
    0.090,
    0.085,
    0.070,
    0.075,
    0.080,
    0.075,
    0.065,
    0.055,
    0.040,
    0.030,
    0.020,
    0.012,
    0.008,
    0.004,
)
OFFICIAL_HOURLY = (
    0.000,
    0.000,
    0.000,
    0.000,
    0.000,
    0.005,
    0.030,
    0.090,
    0.130,
    0.120,
    0.110,
    0.090,
    0.070,
    0.090,
    0.080,
    0.070,
    0.050,
    0.025,
    0.015,
    0.010,
    0.010,
    0.005,
    0.000,
    0.000,
)
WEEKLY = (1.08, 1.06, 1.04, 1.03, 1.00, 0.92, 0.87)
NEWS_WEEKLY = (1.10, 1.10, 1.10, 1.08, 1.05, 0.80, 0.77)
OFFICIAL_WEEKLY = (1.25, 1.25, 1.25, 1.25, 1.15, 0.45, 0.40)


def _unit(values: tuple[float, ...]) -> tuple[float, ...]:
    total = sum(values)
    return tuple(v / total for v in values)


def _mean1(values: tuple[float, ...]) -> tuple[float, ...]:
    mean = sum(values) / len(values)
    return tuple(v / mean for v in values)


def scenario(
    seed: int, days: int, start: date, crisis: Crisis | None, interventions: tuple[Intervention, ...]
) -> Scenario:
    """The default Kota Harapan Jaya scenario."""
    topics = tuple(TopicMix(t.topic, t.weight, *_unit(t.probs)) for t in TOPICS)
    total = sum(t.weight for t in topics)
    topics = tuple(TopicMix(t.topic, t.weight / total, t.negative, t.neutral, t.positive) for t in topics)
    return Scenario(
        seed=seed,
        days=days,
        start=start,
        timezone="Asia/Jakarta",
        city=CITY,
        organisation=ORGANISATION,
        humas=HUMAS,
        officials=OFFICIALS,
        leaders=(MAYOR, VICE, SEKDA),
        comparison="Kota Tirta Makmur",
        comparison_aliases=("tirta makmur", "pemkot tirta makmur", "kota tirta makmur"),
        news=NEWS,
        citizens=6000,
        citizen_per_day=340.0,
        comparison_per_day=30.0,
        news_per_day=16.0,
        official_per_day=14.0,
        hourly=_unit(HOURLY),
        news_hourly=_unit(NEWS_HOURLY),
        official_hourly=_unit(OFFICIAL_HOURLY),
        weekly=_mean1(WEEKLY),
        news_weekly=_mean1(NEWS_WEEKLY),
        official_weekly=_mean1(OFFICIAL_WEEKLY),
        topics=topics,
        news_mix=(0.22, 0.66, 0.12),
        crisis=crisis,
        interventions=interventions,
    )
