"""Normalise Indonesian social-media text into single-spaced, lower-case tokens.

Rules, in order: URLs become ``url``; @mentions become ``@user``; hashtags are split into words (camel case first,
then a dictionary segmentation); the text is lower-cased and cut into word, number, ``?``/``!`` and emoji tokens;
emoji become word tokens (``emo_enraged_face``); each word is mapped through the slang lexicon, the word list,
reduplication (``anak2`` -> ``anak anak``), laughter (``wkwkwk`` -> ``wkwk``) and elongation (``bangeeet`` ->
``banget``). Other punctuation is dropped. Negations map to ``tidak`` and always stay as their own token.

A ``Normalizer`` is immutable; it only memoises token and hashtag results in bounded private caches. Build it once
(``Normalizer.default()``) and keep it.
"""

from __future__ import annotations

import csv
import hashlib
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from types import MappingProxyType

import regex

from citra.errors import ConfigError

__all__ = ["Normalizer", "read_lexicon"]

VERSION = "1"
MAX_CHARS = 20_000
MEMO_SIZE = 200_000
HASHTAG_CACHE_SIZE = 50_000
MAX_WORD_LEN = 24

URL = re.compile(r"(?:https?://|www\.)\S+|\b[a-z0-9.-]+\.(?:com|id|net|org|co|ly|me|io)/\S*", re.IGNORECASE)
MENTION = re.compile(r"(?<![\w@])@\w{1,50}")
HASHTAG = regex.compile(r"(?<![\w#&])#(\w{1,100})")
CAMEL = regex.compile(r"\p{Lu}+(?!\p{Ll})|\p{Lu}?\p{Ll}+|\d+|(?:(?!\p{Lu}|\p{Ll}|_)[^\W\d])+")
RUNS = re.compile(r"([^\W\d_])\1+")
REDUP = re.compile(r"([^\W\d_]{2,})2(nya|an|lah|kah|pun|ku|mu)?")
LAUGH = re.compile(r"a?(?:w+k+){2,}w*|k?(?:w+k+)+w*|a?h?(?:a?h[aeiou]){2,}h?|(?:xi){2,}x?")
CLEAN_FORMAL = re.compile(r"[^\w\s]+")
# skin tones and hair components modify the emoji before them; they are not signals of their own
MODIFIERS = frozenset([*(chr(c) for c in range(0x1F3FB, 0x1F400)), *(chr(c) for c in range(0x1F9B0, 0x1F9B4))])
PUNCT = {"?": "?", "!": "!", "？": "?", "！": "!", "‼": "!", "⁉": "? !", "❓": "?", "❔": "?", "❗": "!", "❕": "!"}
SLANG_FILE = "slang-id.csv"
WORDS_FILE = "words-id.txt"


def read_lexicon(path: Path) -> dict[str, str]:
    """Read a ``slang,formal`` CSV (header optional; extra columns ignored, as in the Colloquial Indonesian Lexicon).

    A slang form listed with several formal forms keeps the most frequent one (the first on ties). Raises
    ``ConfigError`` naming the file when it is missing or unreadable.
    """
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read slang lexicon {path}: {exc.strerror or exc}") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    votes: dict[str, Counter[str]] = {}
    try:
        for i, row in enumerate(csv.reader(text.splitlines(keepends=True))):
            if len(row) < 2 or (i == 0 and row[0].strip().lower() == "slang"):
                continue
            slang = row[0].strip().lower()
            formal = " ".join(CLEAN_FORMAL.sub(" ", row[1].lower()).split())
            if slang and formal and not any(c.isspace() for c in slang):
                votes.setdefault(slang, Counter())[formal] += 1
    except csv.Error as exc:
        raise ConfigError(f"cannot parse slang lexicon {path}: {exc}") from exc
    return {slang: counts.most_common(1)[0][0] for slang, counts in votes.items()}


def _emoji_names() -> dict[str, str]:
    """Single emoji characters (and flag pairs) -> ``emo_<cldr name>`` tokens."""
    import emoji

    names: dict[str, str] = {}
    for char, data in emoji.EMOJI_DATA.items():
        key = char.replace("\ufe0f", "")
        is_flag = len(key) == 2 and all(0x1F1E6 <= ord(c) <= 0x1F1FF for c in key)
        if not (len(key) == 1 or is_flag) or key in MODIFIERS or key in names or not key.strip():
            continue
        if key.isalnum() or key in PUNCT:
            continue
        name = unicodedata.normalize("NFKD", data["en"].strip(":")).encode("ascii", "ignore").decode().lower()
        names[key] = "emo_" + "_".join(re.findall(r"[a-z0-9]+", name))
    return names


class Normalizer:
    """Indonesian social-text normaliser. Immutable after construction; build once and reuse."""

    __slots__ = ("_costs", "_emoji", "_hashtags", "_lexicon", "_memo", "_token", "_version", "_words")

    def __init__(self, lexicon: Mapping[str, str], words: Sequence[str]) -> None:
        """``lexicon`` maps slang to formal words; ``words`` is a word list, most frequent first."""
        lex = {}
        for slang, formal in lexicon.items():
            clean = " ".join(CLEAN_FORMAL.sub(" ", formal.lower()).split())
            if clean and slang.strip() and not any(c.isspace() for c in slang.strip()):
                lex[slang.strip().lower()] = clean
        word_set = frozenset(w.lower() for w in words)
        emoji_names = _emoji_names()
        token = re.compile(
            r"@user\b|\w+(?:['’]\w+|(?<=\d)[.,:]\d+)*|[?？❓❔]+|[!！❗❕]+|[\U0001F1E6-\U0001F1FF]{2}|[^\w\s?!.,]"
        )
        set_ = object.__setattr__
        set_(self, "_lexicon", MappingProxyType(lex))
        set_(self, "_words", word_set)
        set_(self, "_emoji", MappingProxyType(emoji_names))
        set_(self, "_token", token)
        set_(self, "_costs", MappingProxyType(self._segment_costs(words, lex)))
        set_(self, "_memo", {})
        set_(self, "_hashtags", {})
        names = sorted(emoji_names.items())  # emoji names come from the installed emoji package and may change with it
        digest = hashlib.sha256(repr((sorted(lex.items()), list(words), names)).encode()).hexdigest()[:10]
        set_(self, "_version", f"{VERSION}.{digest}")

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Normalizer is immutable")

    @classmethod
    def default(cls) -> Normalizer:
        """The normaliser with citra's shipped slang list and word list (reads two package files)."""
        return cls(_shipped_lexicon(), _shipped_words())

    @classmethod
    def with_lexicons(cls, paths: Sequence[Path]) -> Normalizer:
        """The default normaliser plus extra ``slang,formal`` files; later files win over earlier and shipped ones."""
        lexicon = _shipped_lexicon()
        for path in paths:
            lexicon.update(read_lexicon(path))
        return cls(lexicon, _shipped_words())

    @property
    def version(self) -> str:
        """Rules version plus a digest of the lexicon and word list, for annotation provenance."""
        return self._version

    @property
    def lexicon(self) -> Mapping[str, str]:
        """The slang -> formal mapping in use (read-only)."""
        return self._lexicon

    def is_word(self, word: str) -> bool:
        """Whether ``word`` is in the word list or the lexicon."""
        return word in self._words or word in self._lexicon

    def normalize(self, text: str) -> str:
        """Normalised text: lower case, single-spaced tokens (see the module docstring for the rules)."""
        s = text[:MAX_CHARS]
        if "/" in s or "www" in s or "WWW" in s:
            s = URL.sub(" url ", s)
        if "@" in s:
            s = MENTION.sub(" @user ", s)
        if "#" in s:
            s = HASHTAG.sub(self._hashtag_words, s)
        memo = self._memo
        out: list[str] = []
        append = out.append
        for tok in self._token.findall(s.lower()):
            r = memo.get(tok)
            if r is None:
                r = self._resolve(tok)
                if len(memo) >= MEMO_SIZE:
                    memo.clear()
                memo[tok] = r
            if r:
                append(r)
        return " ".join(out)

    def tokens(self, text: str) -> list[str]:
        """The tokens of the normalised text."""
        return self.normalize(text).split()

    # -- tokens -------------------------------------------------------------------------------------------------

    def _resolve(self, tok: str) -> str:
        lex = self._lexicon
        if tok in lex:
            return lex[tok]
        if tok[0] in PUNCT:
            return PUNCT[tok[0]]
        if LAUGH.fullmatch(tok):
            return _laugh(tok)
        if tok in self._words or tok == "@user":
            return tok
        if tok in self._emoji:
            return self._emoji[tok]
        if len(tok) <= 2 and not tok[0].isalnum():
            return ""
        if "_" in tok or len(tok) > MAX_WORD_LEN:
            return tok
        m = REDUP.fullmatch(tok)
        if m:
            base = self._resolve(m[1])
            return f"{base} {base}{m[2]}" if m[2] else f"{base} {base}"
        if RUNS.search(tok):
            return self._unelongate(tok)
        return tok

    def _unelongate(self, tok: str) -> str:
        """Reduce repeated letters to a form the lexicon or word list knows; else squeeze runs of 3+ to one letter."""
        pieces = RUNS.split(tok)  # [text, letter, text, letter, ..., text]
        runs = [m.group(0) for m in RUNS.finditer(tok)]
        if len(runs) <= 4:
            choices = [(1, 2) if len(run) >= 2 else (1,) for run in runs]
            combos: list[tuple[int, ...]] = [()]
            for options in choices:
                combos = [(*c, o) for c in combos for o in options]
            combos.sort(key=sum)
        else:
            combos = [tuple(1 for _ in runs), tuple(2 for _ in runs)]
        for combo in combos:
            cand = "".join(piece if i % 2 == 0 else piece * combo[i // 2] for i, piece in enumerate(pieces))
            if cand in self._lexicon:
                return self._lexicon[cand]
            if cand in self._words:
                return cand
        return RUNS.sub(lambda m: m[1] if len(m[0]) >= 3 else m[0], tok)

    # -- hashtags -----------------------------------------------------------------------------------------------

    def _hashtag_words(self, match: re.Match[str]) -> str:
        tag = match[1]
        cache = self._hashtags
        words = cache.get(tag)
        if words is None:
            words = " ".join(self._split_hashtag(tag))
            if len(cache) >= HASHTAG_CACHE_SIZE:
                cache.clear()
            cache[tag] = words
        return f" {words} "

    def _split_hashtag(self, tag: str) -> list[str]:
        has_upper = any(c.isupper() for c in tag)
        has_lower = any(c.islower() for c in tag)
        parts = CAMEL.findall(tag) if has_upper and has_lower else re.split(r"(\d+)|_", tag)
        words: list[str] = []
        for part in parts:
            if not part:
                continue
            low = part.lower()
            if low.isalpha() and len(low) > 5 and not self.is_word(low):
                words.extend(self.segment(low))
            else:
                words.append(low)
        return words

    def segment(self, word: str) -> list[str]:
        """Split an all-lower-case run of letters into known words (``banjirbekasi`` -> ``banjir bekasi``).

        Returns ``[word]`` when no split into known words looks plausible.
        """
        costs = self._costs
        n = len(word)
        if n > 60:
            return [word]
        best = [0.0] + [math.inf] * n
        back = [0] * (n + 1)
        for i in range(1, n + 1):
            for j in range(max(0, i - MAX_WORD_LEN), i):
                c = costs.get(word[j:i])
                if c is not None and best[j] + c < best[i]:
                    best[i] = best[j] + c
                    back[i] = j
        if best[n] == math.inf:
            return [word]
        parts: list[str] = []
        i = n
        while i > 0:
            parts.append(word[back[i] : i])
            i = back[i]
        parts.reverse()
        if len(parts) > 1 and (sum(len(p) <= 2 for p in parts) > 1 or n / len(parts) < 3):
            return [word]
        return parts

    @staticmethod
    def _segment_costs(words: Sequence[str], lexicon: Mapping[str, str]) -> dict[str, float]:
        """Zipf costs (-log probability) of the words hashtags may be split into; short words only if frequent."""
        n = max(len(words), 1)
        log_n = math.log(n)
        costs: dict[str, float] = {}
        for rank, w in enumerate(words):
            if w.isalpha() and (len(w) >= 3 or (len(w) == 2 and rank < 300)) and w not in costs:
                costs[w] = math.log((rank + 1) * log_n)
        slang_cost = math.log(n / 4 * log_n)
        for w in lexicon:
            if w.isalpha() and len(w) >= 3 and w not in costs:
                costs[w] = slang_cost
        return costs


def _laugh(tok: str) -> str:
    if "w" in tok and "k" in tok:
        return "wkwk"
    if tok.startswith("xi"):
        return "xixi"
    vowel = next(c for c in tok[tok.index("h") :] if c in "aeiou")
    return f"h{vowel}h{vowel}"


def _shipped_lexicon() -> dict[str, str]:
    with resources.as_file(resources.files("citra.nlp") / "data" / SLANG_FILE) as path:
        return read_lexicon(path)


def _shipped_words() -> list[str]:
    text = (resources.files("citra.nlp") / "data" / WORDS_FILE).read_text(encoding="utf-8")
    return [w for w in text.split("\n") if w]
