"""Vocabulary of the fictional city and of its citizens' speech: places, names, slang, emoji, hashtags.

Everything here is invented for citra's simulator (no city, person or outlet is real). The templates in
``citra.simulate.templates`` fill their ``{slots}`` from these pools (see ``citra.simulate.render``).
"""

from __future__ import annotations

KECAMATAN = (
    "Harapan Utara",
    "Harapan Selatan",
    "Jaya Timur",
    "Jaya Barat",
    "Cempaka Raya",
    "Sukamukti",
    "Pelita Baru",
)

KELURAHAN = (
    "Sukamukti",
    "Mekarwangi",
    "Cempaka Putih Jaya",
    "Pelita Asri",
    "Margajaya",
    "Tanjung Harapan",
    "Sindang Rasa",
    "Karang Anyar Baru",
    "Bojong Sari Jaya",
    "Pasir Kemuning",
    "Cibening Hilir",
    "Rawa Kalong Indah",
    "Sumber Arum",
    "Lebak Wangi",
    "Duren Sawit Jaya",
    "Kampung Pelangi",
    "Gunung Sembung",
    "Tegal Kenanga",
    "Kali Baru Jaya",
    "Pondok Mulya",
)

STREETS = (
    "Jl. Raya Harapan",
    "Jl. Merdeka Timur",
    "Jl. Cendana Raya",
    "Jl. Kenari",
    "Jl. Pahlawan Jaya",
    "Jl. Melati 2",
    "Jl. Veteran Baru",
    "Jl. Lingkar Selatan",
    "Jl. Pelita",
    "Jl. Sukamukti Raya",
    "Jl. Kapten Sudira",
    "Jl. Cempaka Indah",
    "Jl. Mawar Blok C",
    "Jl. Raya Cibening",
    "Jl. Arteri Jaya Barat",
    "Jl. Siliwangi Jaya",
    "Jl. Dr. Ratna Kusuma",
    "Jl. Bougenville",
    "Jl. Pramuka Harapan",
    "Jl. Taman Sari Utara",
    "Jl. Nusa Indah",
    "Jl. Karang Anyar",
    "Jl. Kemuning Raya",
    "Jl. Inspeksi Kali Jaya",
)

HOUSING = (
    "Perumahan Griya Jaya Asri",
    "Perum Bumi Harapan Permai",
    "Villa Cempaka Indah",
    "Perumnas Pelita 3",
    "Komplek Taman Kenari",
    "Perumahan Sukamukti Residence",
    "Griya Pesona Mekarwangi",
    "Puri Harapan Lestari",
)

LANDMARKS = (
    "Alun-alun Harapan Jaya",
    "Pasar Induk Harapan",
    "Terminal Jaya Timur",
    "Stasiun Harapan",
    "Taman Kota Cempaka",
    "Bundaran Pelita",
    "GOR Harapan Jaya",
    "Masjid Agung Al-Harapan",
    "Pasar Sukamukti",
    "Flyover Cibening",
    "simpang lima Jaya Barat",
    "jembatan Kali Jaya",
    "Lapangan Merdeka Jaya",
    "Pasar Kemuning",
)

MARKETS = ("Pasar Induk Harapan", "Pasar Sukamukti", "Pasar Kemuning", "Pasar Pelita Baru")
SCHOOLS = ("SDN Harapan 3", "SMPN 5 Harapan Jaya", "SMAN 2 Harapan Jaya", "SDN Mekarwangi 1", "SMPN 12 Harapan Jaya")
RIVERS = ("Kali Jaya", "Kali Ciharapan", "Sungai Cibening", "saluran Kali Baru")
TPS = ("TPS Pasar Kemuning", "TPS Sukamukti", "TPS Jl. Kenari", "TPS Pelita Asri", "TPA Bantar Jaya")

CITIZEN_LOCATIONS = (
    "Harapan Jaya",
    "Kota Harapan Jaya",
    "Harapan Jaya, Indonesia",
    "Indonesia",
    "",
    "",
    "",
    "",
    "Jaya Timur",
    "Harapan Selatan, Harapan Jaya",
    "bumi",
    "rumah",
    "Sukamukti",
    "di hatimu",
    "Jakarta",
    "Tirta Makmur",
    "Harapan Jaya | Indonesia",
    "Cempaka Raya",
    "Nusantara",
)

FIRST_NAMES = (
    "budi",
    "siti",
    "rina",
    "dedi",
    "yanto",
    "ayu",
    "fajar",
    "nurul",
    "andi",
    "putri",
    "rizky",
    "dewi",
    "agus",
    "wulan",
    "eko",
    "intan",
    "hendri",
    "lestari",
    "bayu",
    "sari",
    "dimas",
    "fitri",
    "gilang",
    "nanda",
    "yusuf",
    "indah",
    "arif",
    "mega",
    "taufik",
    "anisa",
    "rendi",
    "dina",
    "joko",
    "tari",
    "wahyu",
    "lina",
    "ilham",
    "ratna",
    "bagas",
    "novi",
    "asep",
    "euis",
    "ucok",
    "maya",
    "kevin",
    "nisa",
    "farhan",
    "citra",
    "aldi",
    "salsa",
    "ujang",
    "yuni",
)
HANDLE_TAILS = ("", "_", "__", "hj", "_hj", "jaya", "99", "88", "_id", "kece", "_real", "official_", "xx", "")

AMPLIFIERS = (
    "infoharapanjaya",
    "harapanjayaupdate",
    "jayafess",
    "kabarwargahj",
    "zonaharapan",
    "lambeturahharapan",
    "hjmenfess",
    "ngopidiharapan",
)

OPENERS_ASK = ("Min,", "Halo min,", "Permisi min,", "Pak,", "Bu,", "Assalamualaikum min,", "Mau tanya dong,", "Kak,")
OPENERS_NEG = ("Duh", "Astaghfirullah", "Ya ampun", "Hadeh", "Parah", "Waduh", "Heran deh", "Jujur kecewa,", "Capek")
OPENERS_POS = ("Alhamdulillah", "Wah", "Mantap", "Akhirnya", "Salut", "Keren", "Asik", "Makasih")

CLOSERS_NEG = (
    "Tolong segera ditindaklanjuti.",
    "Jangan cuma janji doang.",
    "Sampai kapan kayak gini?",
    "Capek bgt sumpah.",
    "Mohon perhatiannya.",
    "Udah lapor tapi gak ada respon.",
    "Warga butuh bukti, bukan janji.",
    "Kecewa berat.",
    "Please lah.",
    "Malu sama kota tetangga.",
    "Tolong diviralkan biar didenger.",
    "Ini udah keterlaluan.",
    "Kapan beresnya coba?",
    "Jangan nunggu ada korban dulu.",
    "Sorry to say, tapi ini parah.",
)
CLOSERS_NEU = (
    "Makasih infonya.",
    "Mohon infonya ya min.",
    "Ditunggu jawabannya.",
    "Terima kasih sebelumnya.",
    "Thanks min.",
    "Semoga dibalas.",
    "Btw ada nomor yang bisa dihubungi?",
    "Infonya ya.",
    "Cmiiw.",
)
CLOSERS_POS = (
    "Terima kasih pemkot!",
    "Pertahankan ya.",
    "Good job!",
    "Semoga konsisten.",
    "Respect.",
    "Makasih banyak.",
    "Bangga jadi warga sini.",
    "Keren, lanjutkan!",
    "Worth it banget.",
    "Top markotop.",
    "Semoga makin baik.",
    "Pelayanannya bagus banget.",
    "Puas banget!",
    "Senang sekali.",
    "Luar biasa, terima kasih!",
    "Sangat memuaskan.",
    "Mantap, sukses terus!",
    "Bagus, pertahankan!",
)

EMOJI = {
    "negative": ("😡", "😤", "🙄", "😩", "😭", "🤦", "😒", "💢", "😠", "🤬", "😞", "🙃"),
    "neutral": ("🙏", "🤔", "📍", "ℹ️", "🙂", "👀"),
    "positive": ("👍", "🙏", "👏", "😊", "❤️", "🔥", "💯", "🥰", "✨", "😍", "🤩", "💪"),
}

HASHTAGS = (
    "#HarapanJaya",
    "#KotaHarapanJaya",
    "#PemkotHarapanJaya",
    "#LaporWarga",
    "#InfoHarapanJaya",
    "#WargaHJ",
    "#PelayananPublik",
    "#SP4NLAPOR",
)
TOPIC_HASHTAGS = {
    "roads": ("#JalanRusak", "#JalanBerlubang"),
    "floods": ("#Banjir", "#BanjirHarapanJaya"),
    "waste": ("#Sampah", "#DaruratSampah"),
    "traffic": ("#Macet", "#InfoLalin"),
    "health": ("#Kesehatan", "#BPJS"),
    "population_documents": ("#Adminduk", "#eKTP"),
    "corruption": ("#TolakKorupsi", "#KPK"),
}

# Slang variants applied to a formal-ish rendered text (word -> alternatives); the normaliser maps them back.
SLANG = {
    "tidak": ("gak", "ga", "nggak", "ngga", "gk", "tdk", "enggak"),
    "sudah": ("udah", "udh", "sdh", "dah"),
    "belum": ("blm", "belom"),
    "yang": ("yg",),
    "banget": ("bgt", "bngt", "bener2"),
    "sekali": ("bgt",),
    "tolong": ("tlg", "tolongin"),
    "bagaimana": ("gimana", "gmn"),
    "kenapa": ("knp", "napa", "kok"),
    "saja": ("aja", "doang"),
    "dengan": ("dgn", "sama"),
    "karena": ("krn", "gara2"),
    "sama": ("ama",),
    "juga": ("jg",),
    "bisa": ("bs",),
    "lagi": ("lg",),
    "kalau": ("kalo", "klo"),
    "sampai": ("sampe", "ampe"),
    "memang": ("emang", "emg"),
    "benar": ("bener",),
    "terima kasih": ("makasih", "makasi", "trims", "thx", "tengkyu"),
    "orang": ("org",),
    "sekarang": ("skrg", "skrng"),
    "begini": ("gini",),
    "begitu": ("gitu",),
    "tahu": ("tau",),
    "cepat": ("cepet",),
    "dulu": ("dlu",),
    "bapak": ("bpk", "pak"),
    "jalan": ("jln",),
}
SLANG_TAGS = (" sih", " dong", " deh", " nih", " lho", " ya", " loh", " wkwk", " huhu", " btw")

# The comparison city (Kota Tirta Makmur): its own places, so that its posts never name Harapan Jaya's.
OTHER_PLACES: dict[str, tuple[str, ...]] = {
    "street": ("Jl. Raya Tirta", "Jl. Makmur Jaya", "Jl. Sudimara", "Jl. Teratai Putih", "Jl. Lingkar Tirta"),
    "kel": ("Sukadana", "Tirtamulya", "Karang Tengah Asri", "Bojong Makmur", "Cikaret Hilir", "Pabuaran Jaya"),
    "kec": ("Tirta Utara", "Tirta Selatan", "Makmur Barat"),
    "perum": ("Perumahan Tirta Asri", "Griya Makmur Indah", "Villa Teratai"),
    "place": ("Alun-alun Tirta Makmur", "Pasar Baru Tirta", "Terminal Makmur", "Taman Teratai"),
    "pasar": ("Pasar Baru Tirta", "Pasar Sukadana"),
    "school": ("SDN Tirta 4", "SMPN 3 Tirta Makmur", "SMAN 1 Tirta Makmur"),
    "river": ("Kali Tirta", "Sungai Cikaret"),
    "tps": ("TPS Sukadana", "TPS Pasar Baru Tirta", "TPA Cikaret"),
    "tag": ("#TirtaMakmur", "#InfoTirtaMakmur"),
}
