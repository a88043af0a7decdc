"""Intent: what a post does (complaint, question, request, praise, information, other) and whether the government
should answer it. Transparent rules over the normalised tokens; no model.

Precedence, first rule that holds wins:

1. An official account's post, or a news article, is **information**.
2. **Praise** when a praise cue (mantap, salut, apresiasi, bangga, peduli, "makin bersih" ...) meets no problem or a
   problem the post says is solved ("sudah diperbaiki", "sudah surut", "tidak banjir lagi"). "Terima kasih" closing a
   question or request is politeness, not praise. Praise next to an unsolved problem is sarcasm or a mixed post and
   falls through ("makasih pemkot, jalannya makin hancur"); praise followed by "tapi/namun" is criticism.
3. **Complaint** when the post voices discontent (kecewa, parah, lambat, tidak becus, tidak manusiawi, negated
   praise ...).
4. **Question** when it asks how/what/when with a procedural word (syarat, cara, biaya, jadwal, bisa ...), even if it
   names a problem: "KTP saya rusak, syaratnya apa?".
5. **Request** asking to build or provide something (tolong bikin, mohon dibangun, adakan ...), even when the
   reason is a problem: "tolong bikin jalur sepeda, bahaya campur motor".
6. **Complaint** when it reports an unsolved service problem (rusak, banjir, macet, menumpuk, belum diangkut, tidak
   kebagian, "sudah 3 bulan" ...), unless it reads like a news report (reporting words or a link, no first or second
   person, no question). A question or plea about a problem is a complaint: "kapan jalan berlubang ini diperbaiki?".
7. **Question**: a "?" or a question word (apakah, kapan, bagaimana, kenapa, berapa, di mana ...), "mohon info".
8. **Request**: mohon/tolong/minta/harap/please/usul/saran (not "mohon maaf", "minta ampun").
9. **Praise** (remaining cases), 10. **Information** (announcement and reporting words, links), 11. **Other**.

``needs_response``: a complaint, question or request, addressed to or about the government (mentions an official
account, is a reply to an official post, or has an institution or leader target), and not written by an official
account. ``service=True`` (the post has a topic with a responsible OPD) widens "about the government" to
complaints and requests about a city service that name no one.
"""

from __future__ import annotations

from collections.abc import Iterable

from citra.records import Intent, PostKind, Target, TargetKind

VERSION = "intent-rules-2"


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


NEGATIONS = _words("tidak bukan kurang belum tanpa jangan")
DISCONTENT = _words(
    """kecewa mengecewakan parah payah kesal sebal geram muak marah emosi capek lelah menyebalkan menyusahkan
    merepotkan percuma gagal bohong pencitraan lambat lalai telantar terbengkalai mangkrak kacau semrawut
    berantakan amburadul ngawur jutek judes ketus galak kasar dipersulit mempersulit berbelit ditolak sulit susah
    rumit ribet keluh mengeluh mengeluhkan keluhan komplain protes aduan mengadu buruk jelek miris prihatin kasihan
    sayangnya sialan bangsat goblok bodoh tolol anjir becus lelet zonk"""
)
PROBLEMS = _words(
    """rusak kerusakan berlubang lubang hancur ambles amblas retak becek licin macet kemacetan banjir kebanjiran
    genangan tergenang terendam mampet tersumbat meluap meluber bocor mati padam gelap bau busuk menyengat kotor
    kumuh menumpuk numpuk berserakan liar bahaya berbahaya membahayakan celaka kecelakaan antre antrean ngetem
    polusi tercemar bising berisik longsor roboh ambruk tumbang kebakaran pemadaman telat error eror down gangguan
    pungli korupsi suap calo mahal lama terlambat asap sesak ketutup reyot karatan jorok mengebut ngebut ugal sepi"""
)
UNDONE = _words("belum tidak tak kunjung")  # "belum diangkut", "tidak kunjung diperbaiki", "tidak kebagian"
UNDONE_WORDS = _words(
    """respon respons merespon merespons menanggapi membalas menjawab melayani datang cair jadi selesai beres keluar
    turun"""
)
NOT_UNDONE = _words("dipungut diperbolehkan diizinkan dikenakan disarankan dijual")
AFTER_NO = _words("tindakan respon respons tanggapan kejelasan solusi perbaikan petugas")
PRAISE = _words(
    """mantap keren bagus salut apresiasi mengapresiasi bangga hebat sukses top terbaik luar puas jempol respek
    gerak sigap peduli emo_thumbs_up emo_clapping_hands emo_red_heart emo_hundred_points
    emo_smiling_face_with_heart_eyes emo_flexed_biceps emo_star_struck emo_sparkling_heart"""
)
GOOD = _words("mulus lancar bersih rapi nyaman indah cantik berhasil senang tanggap")  # praise after MORE
MORE = _words("makin semakin sudah sekarang jadi tambah lebih cepat sangat kini")
NEGATED_GOOD = _words("manusiawi layak adil jelas profesional transparan tepat ramah responsif sesuai kompeten serius")
RESOLVED = _words("sudah telah akhirnya sekarang kini")
DONE = _words("surut normal aman beres selesai padam kering cair jadi")
CONTRAST = _words("tetapi namun sayangnya")
DURATION = _words("jam hari minggu bulan tahun")
NUMBERS = _words("satu dua tiga empat lima enam tujuh delapan sembilan sepuluh beberapa")
QUESTION_WORDS = _words("apakah kapan bagaimana kenapa mengapa berapa siapa bertanya")
REQUEST_WORDS = _words("mohon tolong minta harap please usul usulkan saran sarankan")
NOT_REQUEST = _words("maaf maklum bersabar menolong dimaklumi perhatian doa doanya ampun")
INFO_ASK = _words("info informasi infonya tanya bertanya pencerahan")
INFO_SEEKING = _words("syarat persyaratan cara prosedur biaya jadwal bisa lewat daftar mendaftar berapa")
BUILD = _words(
    "buat bikin adakan adain bangun dibangun pasang dipasang tambah ditambah sediakan disediakan perbanyak perlebar"
)
ADDRESS = _words("saya aku kami kita ku admin bapak ibu pak bu kamu anda")
REPORTING = _words(
    """url dilaporkan terpantau mengatakan menyampaikan menjelaskan ujar katanya kata menurut sebanyak wib pukul persen
    diresmikan meresmikan digelar menggelar jadwal pengumuman informasi info diumumkan berita breaking update resmi
    dibuka pendaftaran pemberitahuan sosialisasi menyalurkan disalurkan dijadwalkan rekayasa hadir menghadiri"""
)


def _cues(tokens: list[str]) -> dict[str, bool]:
    """Which cue families a token list holds, with negation, resolution and contrast handled per token."""
    problem = discontent = praise = thanks = resolved = question = request = build = seeking = False
    n = len(tokens)
    prev = ""
    for i, word in enumerate(tokens):
        nxt = tokens[i + 1] if i + 1 < n else ""
        tok = word[:-3] if word.endswith("nya") and len(word) > 6 else word  # "ribetnya", "antrenya"
        if tok in INFO_SEEKING:
            seeking = True
        if tok in DISCONTENT:
            discontent = discontent or prev not in NEGATIONS or tok == "becus"
        elif tok in PROBLEMS:
            if prev in NEGATIONS or prev in RESOLVED:
                resolved = True  # "tidak macet lagi", "sudah tidak banjir"
            else:
                problem = True
        elif tok in PRAISE or (tok in GOOD and prev in MORE):
            if prev in NEGATIONS:
                discontent = True  # "kurang bagus", "tidak peduli"
            else:
                praise = True
        elif tok in NEGATED_GOOD and prev in NEGATIONS:
            discontent = True
        elif tok == "terima" and nxt == "kasih":
            thanks = True
        elif tok in CONTRAST and (praise or thanks):
            discontent = True  # "keren sih, tapi ..."
        elif tok in UNDONE and _undone(tokens, i + 1):
            problem = True
        elif tok in RESOLVED and (nxt.startswith("di") or nxt in GOOD or nxt in DONE or nxt == "tidak"):
            resolved = True  # "sudah diperbaiki", "sudah surut", "sekarang tidak macet"
        elif tok == "sudah" and (nxt.isdigit() or nxt in NUMBERS) and i + 2 < n and tokens[i + 2] in DURATION:
            problem = True  # "sudah 3 bulan", "udah dua minggu": still waiting
        elif _asks(tok, prev, i):
            question = True
        elif tok in REQUEST_WORDS or (tok == "semoga" and (nxt.startswith("di") or nxt in ("segera", "cepat"))):
            if nxt in INFO_ASK:
                question = True
            elif nxt not in NOT_REQUEST:
                request = True
                build = build or any(t in BUILD for t in tokens[i + 1 : i + 4])
        prev = tok
    return {
        "problem": problem,
        "discontent": discontent,
        "praise": praise or (thanks and not question and not request),
        "resolved": resolved,
        "question": question,
        "request": request,
        "build": build,
        "seeking": seeking,
    }


def _asks(tok: str, prev: str, i: int) -> bool:
    """A question word: apakah, kapan ..., "?", -kah words, "apa" opening a clause, "di/ke/dari mana"."""
    if tok in QUESTION_WORDS or tok == "?" or (tok.endswith("kah") and len(tok) > 5):
        return True
    if tok == "apa":
        return i == 0 or prev in ("ini", "itu", "yang", "dan")
    return tok in ("mana", "manakah") and prev in ("di", "ke", "dari")


def _undone(tokens: list[str], i: int) -> bool:
    """Whether ``tokens[i:]`` names an action not done: "(kunjung|juga) diperbaiki", "ada tindakan", "cair"."""
    while i < len(tokens) and tokens[i] in ("kunjung", "juga", "pernah", "segera"):
        i += 1
    if i >= len(tokens):
        return False
    word = tokens[i]
    if word == "ada":
        return i + 1 < len(tokens) and tokens[i + 1] in AFTER_NO
    if word in UNDONE_WORDS:
        return True
    return word.startswith(("di", "ke")) and len(word) > 5 and word not in NOT_UNDONE


def classify(raw_text: str, normalized: str, *, kind: PostKind = PostKind.POST, is_official: bool = False) -> Intent:
    """The intent of one post (see the module docstring for the rules and their precedence)."""
    if is_official or kind is PostKind.ARTICLE:
        return Intent.INFORMATION
    tokens = normalized.split()
    if not tokens:
        return Intent.OTHER
    c = _cues(tokens)
    if "?" in raw_text and "?" not in tokens and "http" not in raw_text:
        c["question"] = True  # text that did not go through the normaliser
    if c["praise"] and not c["discontent"] and (c["resolved"] or not c["problem"]):
        return Intent.PRAISE
    if c["discontent"]:
        return Intent.COMPLAINT
    if c["question"] and c["seeking"]:
        return Intent.QUESTION
    if c["request"] and c["build"]:
        return Intent.REQUEST
    words = set(tokens)
    news = bool(words & REPORTING) and not (words & ADDRESS) and not c["question"]
    if c["problem"] and not news:
        return Intent.COMPLAINT
    for cue, intent in (("question", Intent.QUESTION), ("request", Intent.REQUEST), ("praise", Intent.PRAISE)):
        if c[cue]:
            return intent
    if words & REPORTING or (tokens[0] == "jangan" and "lupa" in words):
        return Intent.INFORMATION
    return Intent.OTHER


def needs_response(
    intent: Intent,
    *,
    is_official: bool,
    targets: Iterable[Target] = (),
    mentions_official: bool = False,
    reply_to_official: bool = False,
    service: bool = False,
) -> bool:
    """A complaint, question or request addressed to or about the government, not written by an official account.

    ``service``: the post is about a service an OPD is responsible for (a topic with an OPD); counts as "about the
    government" for complaints and requests."""
    if is_official or intent not in (Intent.COMPLAINT, Intent.QUESTION, Intent.REQUEST):
        return False
    if mentions_official or reply_to_official:
        return True
    if service and intent is not Intent.QUESTION:
        return True
    return any(t.kind in (TargetKind.INSTITUTION, TargetKind.LEADER) for t in targets)
