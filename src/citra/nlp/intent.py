"""Intent: what a post does (complaint, question, request, praise, information, other) and whether the government
should answer it. Transparent rules over the normalised tokens; no model. Measured on a real complaint portal and
real tweet exports (bench/intent_eval.py, docs/benchmarks.md).

Precedence, first rule that holds wins:

1. An official account's post, or a news article, is **information**.
2. **Praise** when a praise cue (mantap, salut, apresiasi, bangga, peduli, "makin bersih" ...) meets no open problem,
   no question and no request. A problem is open unless the post says it is solved after naming it ("sudah
   diperbaiki", "sudah surut", "tidak banjir lagi"); "sudah/sekarang" before a problem word is the problem now
   ("sudah banjir lagi", "sekarang mati", "sudah 3 hari mati"), and "sudah dilaporkan" is no fix. Politeness is not
   praise: "terima kasih / matur nuwun" closing a report, question or request, and praise words inside a wish
   ("semoga ... pelayanan terbaik", "agar lebih ramah"). Praise next to an open problem is sarcasm or a mixed post
   and falls through ("makasih pemkot, jalannya makin hancur"); praise followed by "tapi/namun" is criticism.
3. **Complaint** when the post voices discontent (kecewa, parah, lambat, tidak becus, memberatkan, mengganggu,
   negated praise ...).
4. **Question** when it asks how/what/when with a procedural word (syarat, cara, biaya, jadwal, bisa ...), even if it
   names a problem: "KTP saya rusak, syaratnya apa?".
5. **Request** asking to build or provide something (tolong bikin, mohon dibangun, adakan, mengusulkan ...), even
   when the reason is a problem: "tolong bikin jalur sepeda, bahaya campur motor".
6. **Complaint** when it reports an unsolved service problem (rusak, banjir, macet, menumpuk, belum diangkut, tidak
   nyala, tidak kebagian, "sudah 3 bulan", "ingin melaporkan" ...), unless it reads like a news report (reporting
   words or a link, no first or second person, no plea, no question). A question or plea about a problem is a
   complaint: "kapan jalan berlubang ini diperbaiki?".
7. **Question**: a "?" or a question word (apakah, kapan, bagaimana, pripun ...), "mau tanya", "mohon info /
   penjelasan / kepastian".
8. **Request**: mohon/tolong/minta/harap/nyuwun/usul/"mohon ditindaklanjuti" (not "mohon maaf", "minta ampun").
9. **Praise** (remaining cases), 10. **Information** (announcement and reporting words, links), 11. **Other**.

On a complaint channel (``COMPLAINT_CHANNELS``: a portal such as LAPOR!, where every text is addressed to the
government) a text that rules 10-11 would call information or other is a **complaint**: it was filed as a report.

``needs_response``: a complaint, question or request, not written by an official account, that is addressed to the
government or about a service it runs: it came through a complaint channel, mentions an official account, replies to an
official post, calls on the government in the text ("min", "admin", "pak wali", "mas bup", "pemkot", "dinas ...", "yth")
or pleads for an authority's action ("mohon segera diperbaiki"), names an institution or leader target, or
(``service=True``: a topic with a responsible OPD) is about a city service: a complaint, a request, or a question on how
to use the service (syarat, cara, jadwal ...) or about an open problem ("posyandu gak jalan lagi, timbang di mana?"),
unless it speaks to other people (a reply to citizens, "ada yang tahu ...?", "gan", "teman-teman"). A reply to an
official post is known from the record when it names the replied-to user (tweet-harvest, X API); a parent known only in
the store (``reply_to_id``) is not looked up by the pipeline. Official posts and news articles never need a response.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from typing import Any

import regex

from citra.records import Intent, Platform, Post, PostKind, Target, TargetKind

VERSION = "intent-rules-3"


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


NEGATIONS = _words("tidak bukan kurang belum tanpa jangan ora mboten dereng durung boten")
DISCONTENT = _words(
    """kecewa mengecewakan parah payah kesal sebal geram muak marah emosi capek lelah menyebalkan menyusahkan
    merepotkan percuma gagal bohong pencitraan lambat lalai telantar terbengkalai mangkrak kacau semrawut
    berantakan amburadul ngawur jutek judes ketus galak kasar dipersulit mempersulit berbelit ditolak sulit susah
    rumit ribet keluh mengeluh mengeluhkan keluhan komplain protes aduan mengadu buruk jelek miris prihatin kasihan
    sayangnya sialan bangsat goblok bodoh tolol anjir becus lelet zonk memprihatinkan kesulitan memberatkan
    keberatan terganggu mengganggu merugikan dirugikan resah meresahkan disayangkan menyayangkan rekasa premanisme
    preman merajalela dipertanyakan ketidaknyamanan terkendala kendala menghalangi menghambat terhambat melanggar
    pelanggaran sepihak memaksa dipaksa diabaikan mengabaikan dibiarkan membiarkan terlantar kasian kesusahan
    ketidakjelasan diskriminasi menyulitkan kewalahan khawatir"""
)
PROBLEMS = _words(
    """rusak kerusakan berlubang lubang hancur ambles amblas retak becek licin macet kemacetan banjir kebanjiran
    genangan tergenang terendam mampet tersumbat meluap meluber bocor mati padam gelap bau busuk menyengat kotor
    kumuh menumpuk numpuk berserakan liar bahaya berbahaya membahayakan celaka kecelakaan antre antrean ngetem
    polusi tercemar bising berisik longsor roboh ambruk tumbang kebakaran pemadaman telat error eror down gangguan
    pungli korupsi suap calo mahal lama terlambat asap sesak ketutup reyot karatan jorok mengebut ngebut ugal sepi
    jebol putus matlis kebisingan tertutup pungutan keterlambatan hilang kehilangan nonaktif dobel ganda terkikis
    gugur kekeringan kering kebocoran menunggak tunggakan kekurangan pengangguran"""
)
UNDONE = NEGATIONS - {"jangan", "kurang", "bukan", "tanpa"} | {"tak", "kunjung", "gak"}
UNDONE_WORDS = _words(
    """respon respons merespon merespons menanggapi membalas menjawab melayani datang cair jadi selesai beres keluar
    turun nyala menyala hidup berfungsi konek aktif dapat dapet kebagian muncul mencukupi cukup sampai
    tersentuh terealisasi realisasi"""
)
NOT_UNDONE = _words("dipungut diperbolehkan diizinkan dikenakan disarankan dijual")
AFTER_NO = _words(
    """tindakan respon respons tanggapan kejelasan solusi perbaikan petugas realisasi progres hasil kabar fasilitas
    penanganan tindak kepastian perubahan pergerakan jawaban wadah sarana anggaran ganti pemeliharaan"""
)
PRAISE = _words(
    """mantap keren bagus salut apresiasi mengapresiasi bangga hebat sukses top terbaik puas jempol respek
    gercep sigap peduli emo_thumbs_up emo_clapping_hands emo_red_heart emo_hundred_points
    emo_smiling_face_with_heart_eyes emo_flexed_biceps emo_star_struck emo_sparkling_heart"""
)
GOOD = _words("mulus lancar bersih rapi nyaman indah cantik berhasil senang tanggap")  # praise after MORE
MORE = _words("makin semakin sudah sekarang jadi tambah lebih cepat sangat kini")
NEGATED_GOOD = _words("manusiawi layak adil jelas profesional transparan tepat ramah responsif sesuai kompeten serius")
RESOLVED = _words("sudah telah akhir akhirnya sekarang kini sampun")  # "akhirnya" loses "-nya"
DONE = _words("surut normal aman beres selesai padam kering cair jadi")
# The fixes "sudah ..." can report; "sudah dilaporkan / diajukan / dijanjikan" are efforts, not fixes.
FIXED = _words(
    """diperbaiki diangkut dibersihkan ditangani dibenahi diaspal dicor ditambal dipasang dinyalakan dikeruk diganti
    ditertibkan dicairkan ditindaklanjuti direspon direspons ditanggapi diselesaikan dilunasi dibayar dibayarkan
    diproses diatasi dibangun diperbarui diperbaharui dibetulkan dibenerin dirapikan dipangkas ditebang dievakuasi
    dibuka diterima dikirim disalurkan dibantu membantu menyala nyala hidup teratasi terselesaikan diperhatikan"""
)
THANKS = _words("matursuwun maturnuwun suwun makasih")
CONTRAST = _words("tetapi namun sayangnya")
DURATION = _words("jam hari minggu bulan tahun malam pekan")
NUMBERS = _words("satu dua tiga empat lima enam tujuh delapan sembilan sepuluh beberapa lama")
LONG = _words("bertahun berbulan berminggu berhari lama")  # "sudah bertahun-tahun", "sudah lama rusak"
STILL = _words("sekarang kini saat ini")  # "sampai sekarang", "hingga saat ini": still open
QUESTION_WORDS = _words(
    "apakah kapan bagaimana kenapa mengapa berapa siapa bertanya menanyakan pripun piye kepriye kepripun gimana"
)
ASK_AFTER = _words("mau ingin izin ijin mohon nyuwun numpang")  # "mau tanya", "izin bertanya"
REQUEST_WORDS = _words(
    """mohon tolong minta harap please usul usulkan saran sarankan memohon dimohon mengusulkan usulan berharap
    harapan nyuwun tulung mengharapkan permohonan"""
)
NOT_REQUEST = _words("maaf maklum bersabar menolong dimaklumi perhatian doa doanya ampun ijin izin diri")
INFO_ASK = _words(
    """info informasi infonya informasinya tanya bertanya pencerahan penjelasan penjelasannya petunjuk petunjuknya
    kepastian konfirmasi konfirmasinya kejelasan dijawab jawaban arahan arahannya"""
)
PROCEDURE = _words(
    """syarat syaratnya persyaratan persyaratannya cara caranya prosedur prosedurnya biaya biayanya jadwal jadwalnya
    daftar mendaftar pendaftaran mengurus pengurusan mengajukan pengajuan pencairan dicairkan cair lokasi"""
)
INFO_SEEKING = _words("syarat persyaratan cara prosedur biaya jadwal bisa lewat daftar mendaftar berapa")
BUILD = _words(
    """buat bikin adakan adain bangun dibangun pasang dipasang tambah ditambah sediakan disediakan perbanyak perlebar
    penambahan pembangunan pengadaan direnovasi renovasi"""
)
WISH = _words("semoga moga agar supaya biar harap berharap harapan mohon")  # praise inside a wish is no praise
NEED = _words("penertiban perbaikan patroli tindakan penanganan pengawasan adanya ditindak ditertibkan")  # "perlu ..."
REPORT = _words("lapor melapor melaporkan laporan pengaduan mengadukan")  # "izin melaporkan": a citizen's report
ADDRESS = _words(
    """saya aku kami kita ku admin bapak ibu pak bu kamu anda terhormat mohon tolong izin ijin kakak mas mbak bup
    bupati masbup wali walikota walkot pemkot pemkab pemda dinas"""
)
REPORTING = _words(
    """url dilaporkan terpantau mengatakan menyampaikan menjelaskan ujar katanya kata menurut sebanyak wib pukul persen
    diresmikan meresmikan digelar menggelar jadwal pengumuman informasi info diumumkan berita breaking update resmi
    dibuka pendaftaran pemberitahuan sosialisasi menyalurkan disalurkan dijadwalkan rekayasa hadir menghadiri"""
)
# Words that call on the government in the text (after normalisation: "min" -> admin, "yth" -> yang terhormat).
CALLS = _words(
    """admin mimin pemkot pemkab pemda pemprov bupati bup masbup walkot walikota wako gubernur dinas camat lurah
    satpol dishub dinkes dinsos disdukcapil dukcapil pupr bpbd dlh terhormat"""
)
CALL_PAIRS = frozenset(
    {
        ("pak", "wali"),
        ("bu", "wali"),
        ("bapak", "wali"),
        ("ibu", "wali"),
        ("mas", "bup"),
        ("bapak", "ibu"),
        ("pak", "bu"),
    }
)
PLEA = _words("mohon tolong harap minta dimohon nyuwun tulung segera")
ACTIONS = _words(
    """diperbaiki ditindaklanjuti ditindak ditertibkan dicek ditinjau dibina dicarikan ditangani diperhatikan
    dipangkas dibersihkan diangkut dinyalakan dihidupkan diperbarui diperbaharui diproses dicairkan diaspal ditambal
    dikeruk ditebang ditegur ditertibkan diusut diselidiki disidak ditutup dievaluasi dibenahi ditinjaklanjuti"""
)
ADMIN_ASK = _words("syarat syaratnya persyaratan persyaratannya prosedur prosedurnya")
ADMIN_ACTS = _words(
    """daftar mendaftar membuat pembuatan mengurus urus mengajukan pengajuan mendapatkan mengaktifkan memperpanjang
    perpanjang mencetak cetak mengganti ganti lapor melapor"""
)
PUBLIC = _words("gan agan guys sob netizen warganet kalian bestie mutual mutuals bund")  # a question to the public


def _cues(tokens: list[str]) -> dict[str, bool]:
    """Which cue families a token list holds, with negation, resolution, wishes and contrast handled per token."""
    problem = discontent = praise = thanks = question = request = build = seeking = report = still = False
    last_problem = last_fix = -1
    wish_at = -99
    n = len(tokens)
    before = prev = ""
    for i, word in enumerate(tokens):
        nxt = tokens[i + 1] if i + 1 < n else ""
        tok = word[:-3] if word.endswith("nya") and len(word) > 6 else word  # "ribetnya", "antrenya"
        if tok in INFO_SEEKING:
            seeking = True
        if tok in WISH:
            wish_at = i
        if tok in DISCONTENT and "maaf" in (prev, before):
            pass  # "mohon maaf mengganggu (waktunya)": politeness
        elif tok in DISCONTENT:
            discontent = discontent or prev not in NEGATIONS or tok == "becus"
        elif tok in PROBLEMS:
            if prev in NEGATIONS or (prev in RESOLVED and tok in DONE) or (prev == "ada" and before in NEGATIONS):
                last_fix = i  # "tidak macet lagi", "sudah tidak banjir", "api sudah padam"
            else:
                problem, last_problem = True, i  # "sudah banjir lagi", "sekarang mati", "mati lagi"
        elif tok in PRAISE or (tok in GOOD and prev in MORE):
            if prev in NEGATIONS:
                discontent = True  # "kurang bagus", "tidak peduli"
            elif i - wish_at > (8 if prev in MORE else 4):  # "semoga ... makin bagus" is a wish
                praise = True
        elif tok in NEGATED_GOOD and prev in NEGATIONS:
            discontent = True
        elif _thanks(tok, nxt):
            thanks = True  # "terima kasih", "matur nuwun"
        elif tok in CONTRAST and (praise or thanks):
            discontent = True  # "keren sih, tapi ..."
        elif tok in UNDONE and _undone(tokens, i + 1):
            problem, last_problem = True, i
        elif tok in RESOLVED and (nxt in FIXED or nxt in GOOD or nxt in DONE or nxt == "tidak"):
            last_fix = i  # "sudah diperbaiki", "sudah surut", "sekarang tidak macet"
        elif tok in RESOLVED and (nxt in LONG or _counted(tokens, i + 1)):
            problem, last_problem = True, i  # "sudah 3 bulan", "udah dua minggu", "sudah lama": still waiting
        elif tok in ("sampai", "hingga", "sampe") and nxt in STILL:
            still = True
        elif tok == "lapor" or (tok in REPORT and (prev in ASK_AFTER or prev in ("saya", "kami", "ingin"))):
            report = True  # "mau lapor", "ijin melaporkan", "saya melaporkan"
        elif _asks(tok, prev, i) or (tok in ("tanya", "nanya") and prev in ASK_AFTER):
            question = True  # "kapan ...?", "mau tanya", "izin tanya"
        elif tok in REQUEST_WORDS or (
            tok in ("semoga", "agar", "supaya") and (nxt.startswith("di") or nxt in ("segera", "cepat"))
        ):
            if nxt in INFO_ASK:
                question = True
            elif nxt not in NOT_REQUEST:
                request = True
                build = build or any(t in BUILD for t in tokens[i + 1 : i + 4])
        elif (
            tok in ("ditindaklanjuti", "ditindak")
            or (tok, nxt) == ("tindak", "lanjut")
            or (tok == "perlu" and nxt in NEED)
        ):
            request = True  # "mohon ditindaklanjuti", "perlu penertiban"
        before, prev = prev, tok
    open_problem = problem and (still or last_problem > last_fix)
    return {
        "problem": problem,
        "open": open_problem or report,
        "discontent": discontent,
        "praise": (praise or thanks) and not question and not request,
        "resolved": last_fix >= 0 and not open_problem,
        "question": question,
        "request": request,
        "build": build,
        "seeking": seeking,
    }


def _thanks(tok: str, nxt: str) -> bool:
    return (tok, nxt) == ("terima", "kasih") or (tok == "matur" and nxt in ("nuwun", "suwun")) or tok in THANKS


def _counted(tokens: list[str], i: int) -> bool:
    """ "3 hari", "dua minggu", "beberapa bulan" at ``tokens[i:]``."""
    return i + 1 < len(tokens) and (tokens[i].isdigit() or tokens[i] in NUMBERS) and tokens[i + 1] in DURATION


def _asks(tok: str, prev: str, i: int) -> bool:
    """A question word: apakah, kapan ..., "?", -kah words, "apa" opening a clause, "di/ke/dari mana"."""
    if tok in QUESTION_WORDS or tok == "?" or (tok.endswith("kah") and len(tok) > 5):
        return True
    if tok == "apa":
        return i == 0 or prev in ("ini", "itu", "yang", "dan")
    return tok in ("mana", "manakah") and prev in ("di", "ke", "dari")


def _undone(tokens: list[str], i: int) -> bool:
    """Whether ``tokens[i:]`` names an action not done: "(kunjung|juga) diperbaiki", "ada tindakan", "nyala"."""
    while i < len(tokens) and tokens[i] in ("kunjung", "juga", "pernah", "segera", "ada", "di"):
        if tokens[i] == "ada":
            return i + 1 < len(tokens) and tokens[i + 1] in AFTER_NO
        i += 1
    if i >= len(tokens):
        return False
    word = tokens[i]
    if word in UNDONE_WORDS or (tokens[i - 1] == "di" and len(word) > 4 and word.endswith(("i", "kan", "in"))):
        return True  # "tidak nyala", "belum di perbaiki"
    return word.startswith(("di", "ke")) and len(word) > 5 and word not in NOT_UNDONE


def classify(
    raw_text: str,
    normalized: str,
    *,
    kind: PostKind = PostKind.POST,
    is_official: bool = False,
    complaint_channel: bool = False,
) -> Intent:
    """The intent of one post (see the module docstring for the rules and their precedence)."""
    if is_official or kind is PostKind.ARTICLE:
        return Intent.INFORMATION
    tokens = normalized.split()
    if not tokens:
        return Intent.COMPLAINT if complaint_channel else Intent.OTHER
    c = _cues(tokens)
    if "?" in raw_text and "?" not in tokens and "http" not in raw_text:
        c["question"] = True  # text that did not go through the normaliser
        c["praise"] = False
    if c["praise"] and not c["discontent"] and not c["open"]:
        return Intent.PRAISE
    if c["discontent"]:
        return Intent.COMPLAINT
    if c["question"] and c["seeking"]:
        return Intent.QUESTION
    if c["request"] and c["build"]:
        return Intent.REQUEST
    words = set(tokens)
    news = bool(words & REPORTING) and not (words & ADDRESS) and not c["question"] and not c["request"]
    if (c["problem"] or c["open"]) and not news:
        return Intent.COMPLAINT
    for cue, intent in (("question", Intent.QUESTION), ("request", Intent.REQUEST), ("praise", Intent.PRAISE)):
        if c[cue]:
            return intent
    if complaint_channel:
        return Intent.COMPLAINT  # filed as a report on a complaint portal
    if words & REPORTING or (tokens[0] == "jangan" and "lupa" in words):
        return Intent.INFORMATION
    return Intent.OTHER


def calls_government(normalized: str) -> bool:
    """Whether the text calls on the government: a vocative ("admin/min", "pemkot", "dinas ...", "pak wali", "mas bup",
    "bapak/ibu", "yth"), a plea for an authority's action ("mohon segera diperbaiki", "tolong ditertibkan", "mohon
    ditindaklanjuti") or an administrative question ("syaratnya apa", "cara mengurus ...")."""
    tokens = normalized.split()
    if any(t in CALLS for t in tokens) or any(pair in CALL_PAIRS for pair in itertools.pairwise(tokens)):
        return True
    for i, tok in enumerate(tokens):
        if tok in PLEA and any(_acts(tokens, j) for j in range(i + 1, min(i + 5, len(tokens)))):
            return True
        if tok in ADMIN_ASK or (tok == "cara" and any(t in ADMIN_ACTS for t in tokens[i + 1 : i + 4])):
            return True
    return False


def _acts(tokens: list[str], j: int) -> bool:
    """An authority's action at ``tokens[j]``: "diperbaiki", "di perbaiki", "ditindaklanjuti", "tindak lanjut"."""
    word = tokens[j]
    if word in ACTIONS:
        return True
    if word == "di" and j + 1 < len(tokens):
        return "di" + tokens[j + 1] in ACTIONS or tokens[j + 1] == "tindak"
    return word == "tindak" and j + 1 < len(tokens) and tokens[j + 1] in ("lanjut", "lanjuti", "tegas")


def procedural(normalized: str) -> bool:
    """Whether a question asks how to use a service (syarat, cara, prosedur, biaya, jadwal, daftar ...): the kind of
    question about a service that an agency answers, unlike "kenapa vaksin bikin ngantuk?"."""
    return any(t in PROCEDURE for t in normalized.split())


def to_public(normalized: str) -> bool:
    """Whether the text puts its question to the public ("ada yang tahu", "gan", "teman-teman", "kalian")."""
    tokens = normalized.split()
    pairs = set(itertools.pairwise(tokens))
    return any(t in PUBLIC for t in tokens) or bool(
        pairs & {("ada", "yang"), ("teman", "teman"), ("temen", "temen"), ("kawan", "kawan")}
    )


def to_others(post: Post, official: frozenset[tuple[str, str]]) -> bool:
    """Whether the post answers other citizens: it opens with @handles (or the record names the replied-to user) and
    none of them is an official account. Such a post speaks to them, not to the government."""
    raw: Mapping[str, Any] = post.raw if isinstance(post.raw, Mapping) else {}
    replied = raw.get("in_reply_to_screen_name")
    opening = _OPENING.match(post.text)
    handles = HANDLE.findall(opening.group(0)) if opening else []
    if isinstance(replied, str) and replied:
        handles.append(replied)
    return bool(handles) and not any((post.platform.value, h.lstrip("@").lower()) in official for h in handles)


def needs_response(
    intent: Intent,
    *,
    is_official: bool,
    targets: Iterable[Target] = (),
    mentions_official: bool = False,
    reply_to_official: bool = False,
    service: bool = False,
    complaint_channel: bool = False,
    calls: bool = False,
    public: bool = False,
) -> bool:
    """A complaint, question or request addressed to the government or about a service it runs, not written by an
    official account.

    ``complaint_channel``: it came through a complaint portal. ``calls``: the text calls on the government
    (:func:`calls_government`). ``service``: the post is about a service an OPD is responsible for (a topic with an
    OPD), which counts unless the post speaks to other people (``public``: a question put to the public,
    :func:`to_public`, or a reply to citizens, :func:`to_others`)."""
    if is_official or intent not in (Intent.COMPLAINT, Intent.QUESTION, Intent.REQUEST):
        return False
    if complaint_channel or mentions_official or reply_to_official or calls:
        return True
    if service and not public:
        return True
    return any(t.kind in (TargetKind.INSTITUTION, TargetKind.LEADER) for t in targets)


HANDLE = regex.compile(r"(?<![\w@])@(\w{1,50})")
_OPENING = regex.compile(r"^(?:\s*@\w{1,50})+")
COMPLAINT_CHANNELS = frozenset({Platform.LAPOR})
_REPLY_KEYS = ("in_reply_to_screen_name", "in_reply_to_user_id_str", "in_reply_to_user_id", "in_reply_to_username")


def mentions_official(post: Post, official: frozenset[tuple[str, str]]) -> bool:
    """Whether the raw text @mentions an official account of the post's platform."""
    return any((post.platform.value, h.lower()) in official for h in HANDLE.findall(post.text))


def reply_to_official(post: Post, official: frozenset[tuple[str, str]]) -> bool:
    """Whether the post answers an official account, as far as the record itself says: the replied-to user's
    handle or id in the raw record (tweet-harvest ``in_reply_to_screen_name``, X API ``in_reply_to_user_id``).
    A parent known only in the store (``reply_to_id``) is not looked up here."""
    raw: Mapping[str, Any] = post.raw if isinstance(post.raw, Mapping) else {}
    tweet = raw.get("tweet")
    records = (raw, tweet) if isinstance(tweet, Mapping) else (raw,)
    for record in records:
        for key in _REPLY_KEYS:
            value = record.get(key)
            if value not in (None, "") and (post.platform.value, str(value).lstrip("@").lower()) in official:
                return True
    return False


def assess(
    post: Post,
    normalized: str,
    *,
    official: frozenset[tuple[str, str]],
    targets: Iterable[Target] = (),
    service: bool = False,
) -> tuple[Intent, bool]:
    """Intent and needs_response of one post, with what its channel and addressing say (the pipeline's call)."""
    channel = post.platform in COMPLAINT_CHANNELS
    kind = PostKind.ARTICLE if post.platform is Platform.NEWS else post.kind  # a news item is an article, whatever kind
    intent = classify(post.text, normalized, kind=kind, is_official=post.is_official, complaint_channel=channel)
    need = needs_response(
        intent,
        is_official=post.is_official or kind is PostKind.ARTICLE,
        targets=targets,
        mentions_official=mentions_official(post, official),
        reply_to_official=reply_to_official(post, official),
        service=service
        and (intent is not Intent.QUESTION or procedural(normalized) or _cues(normalized.split())["open"]),
        complaint_channel=channel,
        calls=calls_government(normalized),
        public=(intent is Intent.QUESTION and to_public(normalized)) or to_others(post, official),
    )
    return intent, need
