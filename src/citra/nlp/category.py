"""Content category of an OFFICIAL post, for engagement by category: what the government's own accounts publish.

Categories (ids, ``CATEGORIES``): ``service_information``, ``leader_activity``, ``appeal``, ``achievement``,
``anti_corruption``, ``social_activity``, ``other``. Rules over the normalised tokens, in this precedence:

1. ``anti_corruption``: integrity and anti-corruption words (antikorupsi, integritas, gratifikasi, saber pungli,
   zona integritas, WBK, LHKPN, KPK ...).
2. ``achievement``: awards and rankings received (penghargaan, prestasi, juara, meraih, predikat, WTP, Adipura ...);
   an award the government hands out ("menyerahkan penghargaan kepada ...") is not its achievement.
3. ``leader_activity``: a leader's role word (wali kota, wakil wali kota, sekda, bupati, gubernur, pj, plt, camat,
   lurah) with an activity (meresmikan, meninjau, menghadiri, kunjungan, memimpin, rapat, apel, sidak, melantik ...).
4. Otherwise the most cues among ``service_information`` (layanan, jadwal, pendaftaran, syarat, cara, libur, gratis,
   link ...), ``social_activity`` (bakti sosial, santunan, donor darah, kerja bakti, pasar murah, lomba ...) and
   ``appeal`` (imbauan, waspada, jangan, dilarang, mari, ayo, hindari ...); ties in that order.
5. ``other``.
"""

from __future__ import annotations

VERSION = "category-rules-2"
CATEGORIES = (
    "service_information",
    "leader_activity",
    "appeal",
    "achievement",
    "anti_corruption",
    "social_activity",
    "other",
)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


ANTI_CORRUPTION = _words(
    """antikorupsi korupsi integritas gratifikasi pungli wbk wbbm lhkpn kpk mcp spi suap koruptor tipikor
    akuntabilitas transparansi"""
)
ACHIEVEMENT = _words(
    """penghargaan prestasi berprestasi juara meraih raih diraih predikat wtp award adipura anugerah trofi piala
    peringkat nominasi swasti wiyata sertifikasi menyabet memboyong"""
)
GIVING = _words("menyerahkan memberikan memberi diserahkan diberikan membagikan")
ROLES = _words("sekda bupati gubernur pj plt wawali wabup wagub camat lurah")
ACTIVITY = _words(
    """meresmikan peresmian meninjau tinjau peninjauan menghadiri hadir kunjungan berkunjung kunker memimpin rapat
    apel sidak blusukan melantik pelantikan audiensi menerima membuka menyerahkan silaturahmi bersilaturahmi
    berdialog dialog meluncurkan peluncuran menandatangani sambutan memantau pantau mendampingi menyambut bertemu
    pertemuan menjenguk memberikan mengunjungi launching groundbreaking"""
)
SOCIAL = _words(
    """bakti baksos santunan donor gotong royong sembako murah khitanan sunatan massal lomba festival senam pengajian
    bihalal bazar perayaan upacara hut peringatan berbagi donasi peduli bedah bantuan menyalurkan penyaluran puasa
    pawai karnaval tasyakuran"""
)
APPEAL = _words(
    """imbau mengimbau imbauan himbauan himbau diimbau waspada waspadai hati jangan dilarang larangan mari ayo harap
    wajib pastikan hindari hindarilah cegah pencegahan awas stop buanglah gunakan lindungi jaga jagalah patuhi
    disiplin tertib"""
)
SERVICE = _words(
    """layanan pelayanan jadwal informasi info pendaftaran daftar syarat persyaratan cara buka dibuka tutup libur jam
    lokasi gratis online aplikasi hotline pengumuman berikut simak catat link url cek melalui keliling pemadaman
    pengalihan rekayasa perbaikan ppdb vaksinasi posyandu samsat kuota formulir loket whatsapp"""
)


def category(raw_text: str, normalized: str) -> str:
    """The content category of an official post (one of ``CATEGORIES``; see the module docstring)."""
    tokens = normalized.split()
    words = set(tokens)
    if words & ANTI_CORRUPTION or "zona integritas" in normalized or "anti korupsi" in normalized:
        return "anti_corruption"
    for i, tok in enumerate(tokens):
        if tok in ACHIEVEMENT and not GIVING.intersection(tokens[max(0, i - 2) : i]):
            return "achievement"
    if (words & ROLES or "wali kota" in normalized) and words & ACTIVITY:
        return "leader_activity"
    best, label = 0, "other"
    for cues, name in ((SERVICE, "service_information"), (SOCIAL, "social_activity"), (APPEAL, "appeal")):
        score = sum(t in cues for t in tokens)
        if score > best:
            best, label = score, name
    return label
