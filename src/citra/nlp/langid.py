"""Language identification for short, informal posts: Indonesian, English, Javanese, Sundanese, Malay or other.

A fast scorer sums hand-written marker-word weights per language (function words and very frequent words, plus the
shipped slang list as Indonesian and the shipped word list as Indonesian-or-Malay). When the evidence is clear it
decides alone; when it is not, the lingua detector (low-accuracy mode, a small language set) is asked and both
opinions are averaged. Lingua knows no Javanese or Sundanese, so those two come from the markers only. Indonesian is
favoured over Malay when nothing tells them apart.
"""

from __future__ import annotations

import csv
import hashlib
import math
import re
from collections.abc import Iterable, Sequence
from importlib import resources
from typing import Any

__all__ = ["LANGUAGES", "LanguageIdentifier"]

LANGUAGES = ("id", "en", "jv", "su", "ms", "other")
ID, EN, JV, SU, MS, OTHER = range(6)
VERSION = "1"
MIN_EVIDENCE = 2.0  # summed marker weight needed to decide without lingua
REGIONAL_PRIOR = 0.5
MAX_CHARS = 2000

# (languages, weights, words). A word listed more than once keeps, per language, the largest weight.
MARKERS: tuple[tuple[tuple[int, ...], tuple[float, ...], str], ...] = (
    # Indonesian and Malay alike: nearly equal weights, the small difference is citra's Indonesian prior.
    (
        (ID, MS),
        (1.0, 0.9),
        """yang dan di ke dari ini itu dengan untuk pada dalam tidak ada akan sudah belum masih juga saja atau
        saya kami kita kamu anda dia mereka beliau apa siapa mana kapan kenapa mengapa bagaimana berapa adalah
        ialah oleh bagi kepada tentang sangat lebih paling semua setiap banyak sedikit baru lama sama seperti
        jika kalau tetapi tapi namun sebab supaya agar hingga sampai lagi pun lah kah telah sedang harus perlu
        dapat mau ingin pergi datang balik buat membuat kerja jalan rumah orang hari tahun bulan minggu sekarang
        nanti dulu selalu tolong terima kasih selamat pagi malam baik betul benar semoga macam sini situ sana
        bila mesti ya iya nya mohon segera sampah banjir lubang ibu bapak pak warga memang kenal bagus gila
        daripada tiada apabila hendak negeri kawasan sedap kawan""",
    ),
    # Malay-leaning words that Indonesians also write, less often.
    ((ID, MS), (0.7, 1.0), "tak dah ni tu"),
    (
        (ID, MS),
        (0.3, 1.1),
        """nak je kat macam betul raya tengah kena ramai boleh semalam petang lepas sikit nampak semasa
        berkenaan ahli kenyataan percuma kedai puan pokok laju diluluskan pantas dijemput awam dikutip""",
    ),
    # Malay markers, rare in Indonesian.
    (
        (MS,),
        (1.6,),
        """sahaja kerana awak dorang korang tengok faham fikir cuba wang basikal teksi polis mesyuarat tandas
        lebuhraya esok selepas mahu ringgit kerajaan khabar berjaya maklumat kemaskini aduan bandar majlis
        perbandaran isnin khamis jumaat nombor kad sila rosak bas hospital encik mengikut bil elektrik telefon
        berkuasa tempatan baiki membaiki longkang kakitangan kaunter perkhidmatan motosikal mangsa bomba projek
        kesihatan suspek pelitup talian hujung berfaedah dibazirkan paip jawapan
        ianya tahniah bahawa takde bilik lori lawa jom selangor johor kedah sabah sarawak pahang perak kelantan
        terengganu malaysia putrajaya dbkl""",
    ),
    # Indonesian markers, rare in Malay.
    (
        (ID,),
        (1.0,),
        """gak ga nggak ngga enggak gk tdk banget bgt aja sih dong deh nih kok udah udh gimana gmn kayak karena
        uang mobil sepeda kantor besok kemarin pikir coba paham gue gw lo lu pemkot pemprov pemda pemkab macet
        ojol angkot rp kelurahan kecamatan camat lurah kabupaten silakan pengaduan kartu nomor senin kamis jumat
        rusak jelek bisa bikin kalian gitu gini begitu begini mantap keren parah makasih terimakasih yg dgn utk
        tp jg krn sdh blm pengen kagak min mas mbak dinas polisi jakarta bekasi bandung surabaya indonesia
        presiden jokowi wali kota gubernur bupati dprd puskesmas sekolah jalanan diperbaiki emang doang""",
    ),
    (
        (EN,),
        (1.0,),
        """the a an is are was were be been being am to of and in on for with that this these those it its you
        your i my me we our us they their them he his she her not no do does did don't doesn't didn't can can't
        will would should could have has had what why how when where who which but or if just very really all
        from at by about there here get got like hate great people time today still again never always more
        because any some one much many too also only even then than now out up down over after before im i'm
        it's that's what's isn't aren't wasn't won't let let's make know think want need going went see look
        new old same other every way day well back road city government mayor traffic flood water street
        public office officer police fix fixed broken train late slow fast happy angry as""",
    ),
    # English words Indonesians often mix in: weaker evidence.
    ((EN,), (0.5,), "so please thanks thank sorry nice love good bad service best help go"),
    (
        (JV,),
        (2.0,),
        """ora ra kowe koe iki kuwi iku karo wis wes uwis arep piye ning neng nang lan opo wong mboten sampun
        nggih inggih dhateng kula panjenengan sampeyan njenengan dereng badhe saged wonten menika niki niku
        punika mawon kemawon sanes tenan ojo ojok dadi iso isa yo mangan turu mlaku omah dalan banyu udan
        ngendi endi pira sopo saiki mengko wingi sesuk durung maneh meneh maning uga karepmu dhewe dewe kabeh
        akeh sitik gedhe cilik apik elek becik nek yen menawa amarga merga mergo amargi kanggo kangge marang
        saka seka tekan menyang mrene mrana kene kono dino bengi esuk matur nuwun suwun sugeng rawuh monggo
        punapa pripun kados pundi ngapunten nyuwun kathah sekedhik awakmu awakdewe cah bocah arek lur dulur
        sedulur simbah mbah pakdhe bulik lagek lek jal ndang gek rodo pancen tenanan temenan gelem emoh mbok
        ben ae jare ngono ngene kepiye piro kudune nggawe koyo koyok ndek ndik mosok yowis yaopo jancok kon
        ngunu""",
    ),
    (
        (SU,),
        (2.0,),
        """teu abdi anjeun naon kumaha pisan urang nu jeung ti geus keur moal henteu heunteu acan tos parantos ge bae
        oge deui deuih kana nepi dugi ayeuna engke kamari isukan enjing poe peuting beurang ieu eta dieu ditu
        dinya saha iraha sabaraha naha kunaon kitu kieu kawas siga sapertos hoyong hayang embung bogoh nyaah
        hade jelema jalma barudak akang teteh imah cai tiris hareudang leutik loba saeutik teuing mani meni
        tuluy tiasa peryogi bade hayu punten nuhun wilujeng sumping damang wios nanaon aing maneh
        sia enya muhun leres tacan kungsi karek kakara meureun panginten sigana jigana nyaan ngeunah ngaraos
        raos dahar tuang sare indit angkat uih mulih cicing linggih maca nyarios tingali nempo ningali kadieu
        kaditu sakola padamelan eleh meuni geuning ngan keneh mun lamun sorangan sakitu atawa nyieun mawa jang
        paeh parapatan""",
    ),
    (
        (JV,),
        (1.5,),
        """dalane omahe bolongan sanget saking wiwit sonten dangu ngentosi nanging rong lali nggowo mesthi anyar
        prapatan pol bukak pinten dolanan saben teka ngenteni carane resik lunyu numpak mbayar
        peteng ndhedhet pirsa metu mambu diobong enggal mesakke kakehan buktekno luwih adhi adhiku lara kebak
        mbuwang melu tansah pinaringan percoyo mbiyen ngopo kenek entuk duwe tuku adoh cedhak ngarep mburi
        jero njaba sithik weruh krungu kandha takon wangsul tindak griya ngunjuk nedha mlebu
        munggah mudhun tangi adus lungo mulih budhal teko mrono kae sakabehe uwong bojo putu kanca konco
        batir jeneng rego lemu kuru dhuwur cendhek geni watu wit godhong kewan pitik
        wedhus jaran asu opo'o ngendi piye'e nduwe ngerteni didandani dandani ngrusak sampeyan
        kesuwen suwe nggo kanggo gawekno ndelok delok ndeleng deleng njupuk golek goleki""",
    ),
    (
        (SU,),
        (1.5,),
        """payun ruksak diomean omean dicandak bantosan bantosanana ngocor babarengan miceun runtah ulin
        unggal lembur leungit dikotektak beberesih jalanna cenah diwangun sasak beja lila papanggih daek
        mayar pajeg pareum poek kamana kaduruk karunya jangji buktikeun leuwih gering pinuh sadaya ilubiung
        salawasna mugia percanten ngadaptar ngantosan bisi geuwat gancang lalaunan sareng nyarita
        dangukeun ngadenge ningal neang milarian meuli ngagaleuh nginum hudang mulang diuk nangtung leumpang
        lumpat digawe diajar ngitung geulis kasep ageung alit pondok jangkung beurat hampang tiis haneut
        haseum walungan seuneu taneuh tatangkalan sato hayam embe munding ucing babaturan
        baraya indung nini incu pamajikan salaki murangkalih artos ngora
        nyaho apal poho sakabeh kabeungharan mangkaning kusabab margi""",
    ),
    # Sundanese particles that West-Java Indonesian also uses.
    ((ID, SU), (0.4, 0.9), "mah atuh euy teh sok anu"),
    # Words Javanese and Sundanese share with each other or with colloquial Indonesian.
    ((JV, SU), (0.7, 0.7), "mangga wae kudu gawe damel batur alus sae rek sing dina sonten kedah kanggo"),
    ((ID, JV), (0.6, 0.5), "aku apa lho kapan ngerti seneng susah repot"),
)

URL = re.compile(r"(?:https?://|www\.)\S+|(?<![\w@])[@#]\w+")
WORD = re.compile(r"[^\W\d_]+(?:'[a-z]+)?")
ASCII_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
RUNS = re.compile(r"(.)\1{2,}")
LATIN = re.compile(r"[A-Za-z\u00C0-\u024F\u1E00-\u1EFF]")
OTHER_LETTER = re.compile(r"[^\W\d_A-Za-z\u00C0-\u024F\u1E00-\u1EFF]")
SUNDANESE_SUFFIX = (0.0, 0.0, 0.0, 0.8, 0.0)
JAVANESE_SUFFIX = (0.0, 0.0, 0.8, 0.0, 0.0)
ACCENTS = str.maketrans("éèêëÉÈÊËôÔ", "eeeeeeeeoo")  # Sundanese and Javanese spellings: téh, kabéh, énjing


def _marker_table(content: Iterable[str], slang: Iterable[str]) -> dict[str, tuple[float, ...]]:
    """word -> weights per language (id, en, jv, su, ms). Markers first; then slang (Indonesian), then content words
    (Indonesian or Malay alike: they say "not English, Javanese or Sundanese" but not which of the two)."""
    table: dict[str, list[float]] = {}
    for langs, weights, words in MARKERS:
        for word in words.split():
            row = table.setdefault(word, [0.0] * 5)
            for lang, weight in zip(langs, weights, strict=True):
                row[lang] = max(row[lang], weight)
    for word in slang:
        if word not in table and len(word) > 1 and word.isalpha():
            table[word] = [0.8, 0.0, 0.0, 0.0, 0.0]
    for word in content:
        if word not in table and word.isalpha():
            table[word] = [0.3, 0.0, 0.0, 0.0, 0.3]
    return {w: tuple(r) for w, r in table.items()}


def _shipped_words() -> tuple[list[str], list[str]]:
    """The shipped word list and the slang forms of the shipped slang list."""
    data = resources.files("citra.nlp") / "data"
    words = (data / "words-id.txt").read_text(encoding="utf-8").split()
    rows = csv.reader((data / "slang-id.csv").read_text(encoding="utf-8").splitlines()[1:])
    return words, [row[0] for row in rows if row]


class LanguageIdentifier:
    """Detect ``id``, ``en``, ``jv``, ``su``, ``ms`` or ``other`` with a score in [0, 1]. Build once and reuse."""

    __slots__ = ("_detector", "_lingua_codes", "_table", "_version")

    def __init__(
        self, content_words: Sequence[str] | None = None, slang: Sequence[str] | None = None, *, fallback: bool = True
    ) -> None:
        """``content_words``: Indonesian words (default: the shipped word list); ``slang``: Indonesian slang forms
        (default: those of the shipped slang list); ``fallback``: ask lingua about unclear texts (else the markers
        decide alone). Reads the two package files when they are not given."""
        if content_words is None or slang is None:
            shipped_words, shipped_slang = _shipped_words()
            content_words = shipped_words if content_words is None else content_words
            slang = shipped_slang if slang is None else slang
        table = _marker_table(content_words, slang)
        self._table = table
        digest = hashlib.sha256(repr(sorted(table.items())).encode()).hexdigest()[:10]
        self._version = f"{VERSION}.{digest}" + ("" if fallback else "-markers")
        self._detector: Any = None
        self._lingua_codes: dict[Any, int] = {}
        if fallback:
            self._detector, self._lingua_codes = _build_lingua()

    @property
    def version(self) -> str:
        """Rules version plus a digest of the word table (and ``-markers`` without the lingua fallback)."""
        return self._version

    def detect(self, text: str) -> tuple[str, float]:
        """The language code of ``text`` and a confidence score in [0, 1]; no letters -> ``("other", 0.0)``."""
        text = text[:MAX_CHARS]
        if not text.isascii():
            latin = len(LATIN.findall(text))
            letters = latin + len(OTHER_LETTER.findall(text))
            if letters == 0:
                return "other", 0.0
            if latin < letters / 2:
                return "other", round(1.0 - latin / letters, 3)
            text = text.translate(ACCENTS)
        lowered = text.lower()
        if "/" in lowered or "@" in lowered or "#" in lowered or "www" in lowered:
            lowered = URL.sub(" ", lowered)
        words = (ASCII_WORD if lowered.isascii() else WORD).findall(lowered)
        if not words:
            return "other", 0.0
        scores, hits = self._score(words)
        coverage = hits / len(words)
        # Indonesian and Malay share most words, so their margin is judged apart from the margin over the rest.
        family = max(scores[ID], scores[MS])
        rest = max(scores[EN], scores[JV], scores[SU])
        top = max(family, rest)
        if top >= MIN_EVIDENCE and abs(family - rest) >= 1.0 and coverage >= 0.3:
            second = min(family, rest)
            certainty = 0.5 + 0.5 * (1.0 - math.exp(-top / 2.0)) * (top - second) / top
            if rest > family:
                best = max((EN, JV, SU), key=scores.__getitem__)
                others = sorted(scores[i] for i in range(5) if i != best)
                if scores[best] - others[-1] >= 1.0:
                    return LANGUAGES[best], round(certainty, 3)
            else:
                p_id = _p_indonesian(scores)
                return ("id", round(p_id * certainty, 3)) if p_id >= 0.5 else ("ms", round((1 - p_id) * certainty, 3))
        return self._unclear(text, scores, coverage)

    def _score(self, words: list[str]) -> tuple[list[float], int]:
        """Summed marker weights per language and the number of words that carried any."""
        get = self._table.get
        rows = [get(w) for w in words]
        if None in rows:
            rows = [r if r is not None else self._affixed(w) for r, w in zip(rows, words, strict=True)]
            rows = [r for r in rows if r is not None]
        if not rows:
            return [0.0] * 5, 0
        return [sum(col) for col in zip(*rows, strict=True)], len(rows)

    def _affixed(self, word: str) -> tuple[float, ...] | None:
        """Weights for an unknown word: its de-elongated form, or Javanese ``-e/-ne`` or Sundanese ``-na`` on a stem."""
        table = self._table
        if len(word) < 5:
            return None
        if RUNS.search(word):
            return table.get(RUNS.sub(r"\1", word))
        if word.endswith("na") and word[:-2] in table:
            return SUNDANESE_SUFFIX
        if word[-1] == "e":
            stem = table.get(word[:-2] if word.endswith("ne") else word[:-1])
            if stem is not None and (stem[JV] > 0 or stem[ID] > 0):
                return JAVANESE_SUFFIX
        return None

    def detect_batch(self, texts: Iterable[str]) -> list[tuple[str, float]]:
        """``detect`` for each text, in order (single-threaded; the pipeline decides about parallelism)."""
        detect = self.detect
        return [detect(t) for t in texts]

    def _unclear(self, text: str, scores: list[float], coverage: float) -> tuple[str, float]:
        total = sum(scores)
        lexical = [s / total for s in scores] + [0.0] if total > 0 else [0.0] * 6
        if self._detector is None:
            if total == 0:
                return "other", 0.0
            best = max(range(5), key=lexical.__getitem__)
            return LANGUAGES[best], round(lexical[best] * min(1.0, coverage * 2), 3)
        lingua = [0.0] * 6
        for conf in self._detector.compute_language_confidence_values(text):
            lingua[self._lingua_codes.get(conf.language, OTHER)] += conf.value
        # Lingua tells Indonesian from Malay poorly on short texts and knows no Javanese or Sundanese: share its
        # Indonesian + Malay mass among the four regional languages by the markers, with a prior for Indonesian.
        family = lingua[ID] + lingua[MS]
        regional = (ID, JV, SU, MS)
        peak = max(scores[r] for r in regional) + REGIONAL_PRIOR
        odds = [math.exp(2.0 * (scores[r] + (REGIONAL_PRIOR if r == ID else 0.0) - peak)) for r in regional]
        for r, o in zip(regional, odds, strict=True):
            lingua[r] = family * o / sum(odds)
        # Trust the markers in proportion to how many words they recognised.
        w = min(0.7, coverage) if total > 0 else 0.0
        combined = [w * lex + (1.0 - w) * lin for lex, lin in zip(lexical, lingua, strict=True)]
        best = max(range(6), key=combined.__getitem__)
        return LANGUAGES[best], round(min(1.0, combined[best]), 3)


def _p_indonesian(scores: list[float]) -> float:
    """Probability of Indonesian rather than Malay from the marker scores, with citra's Indonesian prior."""
    return 1.0 / (1.0 + math.exp(-2.0 * (scores[ID] + REGIONAL_PRIOR - scores[MS])))


def _build_lingua() -> tuple[Any, dict[Any, int]]:
    """A lingua detector over Indonesian, English, Malay and a few others (low-accuracy mode, ~10x faster)."""
    from lingua import Language, LanguageDetectorBuilder

    codes = {Language.INDONESIAN: ID, Language.ENGLISH: EN, Language.MALAY: MS}
    others = (
        Language.TAGALOG,
        Language.SPANISH,
        Language.PORTUGUESE,
        Language.FRENCH,
        Language.GERMAN,
        Language.DUTCH,
        Language.ITALIAN,
        Language.VIETNAMESE,
        Language.TURKISH,
        Language.SWAHILI,
    )
    builder = LanguageDetectorBuilder.from_languages(*codes, *others).with_low_accuracy_mode()
    return builder.build(), codes
