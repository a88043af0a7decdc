"""The text query language of stored posts, the same in ``citra posts --query``, the web's ``?q=`` and the API's ``q``.

Words must all occur (``banjir jalan``), ``word*`` is a prefix, ``"exact phrase"`` a phrase, ``OR`` (upper case)
an alternative that binds tighter than AND, as on X (``banjir OR genangan bekasi``), ``AND`` optional,
``-word`` / ``-"phrase"`` / ``-(...)`` an exclusion, and parentheses group. Matching ignores case and the accents
of Latin letters; a word is a run of letters and digits, so ``e-ktp`` is the phrase "e ktp" and ``#banjir`` the
word banjir.

``parse`` is pure; ``text_filter`` compiles the tree to a WHERE clause on ``posts``: FTS5 (``posts_fts``) on
SQLite, the GIN index ``ix_posts_search`` on PostgreSQL (migration 0006). User text reaches SQL only as a bound
match text built from folded letter-and-digit tokens, each quoted. Both databases index a text as ``tokens``
reads a query, so that they return the same posts.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeAlias

import sqlalchemy as sa

from citra.errors import CitraError
from citra.store.schema import posts

MAX_LENGTH = 500  # characters of one query
MAX_WORDS = 64  # words (tokens) of one query, phrases counted word by word
MAX_DEPTH = 16  # nested parentheses

# The combining marks SQLite's unicode61 tokenizer (remove_diacritics 2) drops, joining the letters around them;
# every other mark separates words, as on PostgreSQL where marks are not alphanumeric.
_DROPPED_MARKS = (
    (0x300, 0x304), (0x306, 0x30C), (0x30F, 0x30F), (0x311, 0x311), (0x31B, 0x31B), (0x323, 0x328),
    (0x32D, 0x32E), (0x330, 0x331),
)  # fmt: skip
# Latin letters whose accents are removed: Latin-1, Extended-A and -B, Extended Additional (Vietnamese).
_LATIN = ((0xC0, 0x24F), (0x1E00, 0x1EFF))
_KEPT = {0x1E0, 0x1E1}  # Ǡ ǡ: two accents on a letter that SQLite keeps whole
# letter variants SQLite folds as well: long s, angstrom, micro, Greek final sigma and symbol forms
_VARIANTS = dict(zip("ſẛ\u212bµςϐϑϕϖϰϱϵ\u1fbe", "ssaμσβθφπκρει", strict=True))

INDONESIAN = {
    "unclosed_quote": "tanda kutip belum ditutup",
    "unbalanced_paren": "tanda kurung tidak berpasangan",
    "empty_operand": "tanda kurung atau tanda minus tanpa kata",
    "misplaced_operator": "OR atau AND harus berada di antara dua kata",
    "no_words": "tidak ada huruf atau angka untuk dicari",
    "too_long": f"kueri lebih dari {MAX_LENGTH} karakter",
    "too_many_terms": f"kueri lebih dari {MAX_WORDS} kata",
    "too_deep": f"tanda kurung bersarang lebih dari {MAX_DEPTH} tingkat",
}
_ENGLISH = {
    "unclosed_quote": "unclosed quote",
    "unbalanced_paren": "unbalanced parenthesis",
    "empty_operand": "parenthesis or minus sign without words",
    "misplaced_operator": "OR or AND must stand between two terms",
    "no_words": "no letters or digits to search for",
    "too_long": f"longer than {MAX_LENGTH} characters",
    "too_many_terms": f"more than {MAX_WORDS} words",
    "too_deep": f"parentheses nested deeper than {MAX_DEPTH}",
}


class QuerySyntaxError(CitraError):
    """A text query that cannot be read; ``position`` is the 0-based offset of the trouble, ``reason`` a stable
    code (a key of ``INDONESIAN``) the web and the API can show or test."""

    http_status = 400

    def __init__(self, reason: str, position: int) -> None:
        super().__init__(f"query: {_ENGLISH[reason]} at position {position}")
        self.reason = reason
        self.position = position

    @property
    def indonesian(self) -> str:
        """The message for the Indonesian pages, counting positions from 1 as people do."""
        return f"Kueri tidak valid: {INDONESIAN[self.reason]} (posisi {self.position + 1})"


# the tree ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Term:
    """A folded word (one token) or phrase (tokens in a row); ``prefix``: the last token may continue."""

    words: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True, slots=True)
class And:
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Not:
    item: Node


Node: TypeAlias = Term | And | Or | Not


# folding ----------------------------------------------------------------------------------------------------


@functools.cache
def _bases() -> dict[str, str]:
    """Accented Latin letter (either case) -> its lower-case base letter, from the canonical decomposition;
    and the few letter variants SQLite folds besides (ſ, µ, ς ...)."""
    out = {}
    for lo, hi in _LATIN:
        for code in range(lo, hi + 1):
            parts = unicodedata.normalize("NFD", chr(code))
            base, marks = parts[0], parts[1:]
            accents = marks and all(0x300 <= ord(m) <= 0x36F for m in marks)
            if accents and code not in _KEPT and base.isascii() and base.isalpha():
                out[chr(code)] = base.lower()
    out.update(_VARIANTS)
    return out


def _dropped_marks() -> str:
    return "".join(chr(c) for lo, hi in _DROPPED_MARKS for c in range(lo, hi + 1))


def search_translation() -> tuple[str, str, str]:
    """(from, to, deleted) for PostgreSQL's ``translate``: each accented Latin letter to its base letter, the
    combining marks SQLite drops deleted. ``fold`` uses the same table."""
    bases = _bases()
    return "".join(bases), "".join(bases.values()), _dropped_marks()


@functools.cache
def _fold_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {ord(k): v for k, v in _bases().items()}
    table.update(dict.fromkeys(map(ord, _dropped_marks())))
    return table


def fold(text: str) -> str:
    """Lower case, Latin accents removed (precomposed, or the combining accents SQLite drops): what both
    databases index. No Unicode normalisation, as neither index has one: a word is found as it is written."""
    return text.lower().translate(_fold_table())


def is_word_char(ch: str) -> bool:
    """Letters and digits; not the other numbers (², ½, ①), which neither database keeps in a word."""
    return ch.isalnum() and unicodedata.category(ch) != "No"


def tokens(text: str) -> tuple[str, ...]:
    """The folded runs of letters and digits of ``text``."""
    out: list[str] = []
    run: list[str] = []
    for ch in fold(text):
        if is_word_char(ch):
            run.append(ch)
        elif run:
            out.append("".join(run))
            run = []
    if run:
        out.append("".join(run))
    return tuple(out)


# parsing ----------------------------------------------------------------------------------------------------

_STOP = frozenset('()"')


@dataclass(frozen=True, slots=True)
class _Tok:
    kind: str  # word, phrase, neg, or, and, open, close
    pos: int
    text: str = ""
    prefix: bool = False


def _lex(q: str) -> list[_Tok]:
    out: list[_Tok] = []
    i, n = 0, len(q)
    term_start = True  # a hyphen negates only at the start of a term
    while i < n:
        ch = q[i]
        if ch.isspace():
            i += 1
            term_start = True
            continue
        if ch in "()":
            out.append(_Tok("open" if ch == "(" else "close", i))
            i += 1
            term_start = True
            continue
        if ch == "-" and term_start:
            if i + 1 >= n or q[i + 1].isspace() or q[i + 1] == ")":
                raise QuerySyntaxError("empty_operand", i)
            out.append(_Tok("neg", i))
            i += 1
            continue
        if ch == '"':
            end = q.find('"', i + 1)
            if end < 0:
                raise QuerySyntaxError("unclosed_quote", i)
            stars = end + 1
            while stars < n and q[stars] == "*":
                stars += 1
            out.append(_Tok("phrase", i, q[i + 1 : end], stars > end + 1))
            i, term_start = stars, False
            continue
        start = i
        while i < n and not q[i].isspace() and q[i] not in _STOP:
            i += 1
        raw = q[start:i]
        word = raw.rstrip("*")
        negated = bool(out) and out[-1].kind == "neg" and out[-1].pos == start - 1
        if raw in ("OR", "AND") and not negated:
            out.append(_Tok(raw.lower(), start))
        else:
            out.append(_Tok("word", start, word, len(word) < len(raw)))
        term_start = False
    return out


class _Parser:
    """Recursive descent over the tokens. OR binds tighter than AND, as on X and in web search engines
    (``banjir OR genangan bekasi`` is (banjir OR genangan) AND bekasi): ``all := any ([AND] any)*``,
    ``any := unary (OR unary)*``, ``unary := -primary | primary``, ``primary := ( all ) | word | phrase``."""

    def __init__(self, toks: list[_Tok]) -> None:
        self.toks = toks
        self.i = 0
        self.words = 0

    def peek(self) -> _Tok | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self) -> _Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def query(self) -> Node | None:
        node = self.conjunction(0)
        tok = self.peek()
        if tok is not None:  # only a ")" stops the top level early
            raise QuerySyntaxError("unbalanced_paren", tok.pos)
        return node

    def _ends_operand(self) -> bool:
        tok = self.peek()
        return tok is None or tok.kind in ("or", "and", "close")

    def conjunction(self, depth: int) -> Node | None:
        items: list[Node | None] = []
        while (tok := self.peek()) is not None and tok.kind != "close":
            if tok.kind in ("and", "or"):  # an operator with no term before it
                self.take()
                if tok.kind == "or" or not items or self._ends_operand():
                    raise QuerySyntaxError("misplaced_operator", tok.pos)
                continue
            items.append(self.disjunction(depth))
        return _combine(And, items)

    def disjunction(self, depth: int) -> Node | None:
        items = [self.unary(depth)]
        while (tok := self.peek()) is not None and tok.kind == "or":
            self.take()
            if self._ends_operand():
                raise QuerySyntaxError("misplaced_operator", tok.pos)
            items.append(self.unary(depth))
        return _combine(Or, items)

    def unary(self, depth: int) -> Node | None:
        tok = self.peek()
        if tok is not None and tok.kind == "neg":
            self.take()
            inner = self.primary(depth)
            return None if inner is None else _negate(inner)
        return self.primary(depth)

    def primary(self, depth: int) -> Node | None:
        tok = self.peek()
        if tok is None:  # the lexer lets no hyphen end a query; be safe all the same
            raise QuerySyntaxError("empty_operand", self.toks[-1].pos)
        self.take()
        if tok.kind == "open":
            if depth + 1 > MAX_DEPTH:
                raise QuerySyntaxError("too_deep", tok.pos)
            nxt = self.peek()
            if nxt is not None and nxt.kind == "close":
                raise QuerySyntaxError("empty_operand", tok.pos)
            inner = self.conjunction(depth + 1)
            close = self.peek()
            if close is None or close.kind != "close":
                raise QuerySyntaxError("unbalanced_paren", tok.pos)
            self.take()
            return inner
        if tok.kind in ("word", "phrase"):
            words = tokens(tok.text)
            self.words += len(words)
            if self.words > MAX_WORDS:
                raise QuerySyntaxError("too_many_terms", tok.pos)
            return Term(words, tok.prefix) if words else None
        raise QuerySyntaxError("empty_operand", tok.pos)  # a hyphen after a hyphen: "--banjir"


def _combine(kind: type[And] | type[Or], items: Sequence[Node | None]) -> Node | None:
    """Items without words left out, nested groups of the same kind flattened, a single item unwrapped."""
    flat: list[Node] = []
    for item in items:
        if isinstance(item, kind):
            flat.extend(item.items)
        elif item is not None:
            flat.append(item)
    if not flat:
        return None
    return flat[0] if len(flat) == 1 else kind(tuple(flat))


def _negate(node: Node) -> Node:
    return node.item if isinstance(node, Not) else Not(node)


def parse(q: str) -> Node | None:
    """The tree of a text query; None for a blank one. Raises QuerySyntaxError."""
    if len(q) > MAX_LENGTH:
        raise QuerySyntaxError("too_long", MAX_LENGTH)
    if not q.strip():
        return None
    node = _Parser(_lex(q)).query()
    if node is None:
        raise QuerySyntaxError("no_words", 0)
    return node


# compiling --------------------------------------------------------------------------------------------------
#
# Both indexes answer a tree "anchored" on wanted words: a Term, an OR of anchored trees, an AND with at least one
# anchored item beside its exclusions. A pure negation, or an OR with a negated branch, would make them look at
# every post (FTS5 cannot even say it: its NOT is binary); such trees become NOT IN / NOT EXISTS of anchored
# matches, joined by AND / OR in SQL.

_FTS = sa.table("posts_fts", sa.column("rowid"))
_SIMPLE = sa.literal_column("'simple'::regconfig")
_OTHER = posts.alias("text_match")


@dataclass(frozen=True, slots=True)
class _Index:
    say: Callable[[Node], str]  # the match text of an anchored tree
    hit: Callable[[str], sa.ColumnElement[bool]]  # posts matching it
    miss: Callable[[str], sa.ColumnElement[bool]]  # posts not matching it


def _fts5_hit(expr: str) -> sa.ColumnElement[bool]:
    match = sa.literal_column("posts_fts").bool_op("MATCH")(sa.literal(expr, sa.Text))
    return posts.c.id.in_(sa.select(_FTS.c.rowid).where(match))


def _pg_match(table: sa.NamedFromClause, expr: str) -> sa.ColumnElement[bool]:
    """The stored words of the post (``search_vector``, migration 0007, GIN-indexed) against a tsquery."""
    vector = sa.literal_column(f"{table.name}.search_vector")
    return vector.bool_op("@@")(sa.func.to_tsquery(_SIMPLE, sa.literal(expr, sa.Text)))


def _pg_miss(expr: str) -> sa.ColumnElement[bool]:
    """NOT EXISTS, which the planner runs as an anti-join on the index's hits (or a probe per row under a
    LIMIT); a negated @@ would compute the expression for every post."""
    return ~sa.exists().where(_OTHER.c.id == posts.c.id, _pg_match(_OTHER, expr))


def text_filter(dialect: str, node: Node) -> sa.ColumnElement[bool]:
    """A WHERE clause on ``posts`` keeping the posts that match ``node`` (``dialect``: sqlite or postgresql)."""
    index = _INDEXES.get(dialect)
    if index is None:
        raise ValueError(f"no text search for database {dialect!r}")
    return _compile(node, index)


def _anchored(node: Node) -> bool:
    if isinstance(node, Term):
        return True
    if isinstance(node, Not):
        return False
    if isinstance(node, Or):
        return all(map(_anchored, node.items))
    wanted = [item for item in node.items if not isinstance(item, Not)]
    unwanted = [item.item for item in node.items if isinstance(item, Not)]
    return bool(wanted) and all(map(_anchored, wanted)) and all(map(_anchored, unwanted))


def _compile(node: Node, index: _Index) -> sa.ColumnElement[bool]:
    """One match for what the index answers; the rest as AND/OR/NOT of such matches in SQL."""
    if _anchored(node):
        return index.hit(index.say(node))
    if isinstance(node, Not):
        inner = node.item
        return index.miss(index.say(inner)) if _anchored(inner) else sa.not_(_compile(inner, index))
    assert isinstance(node, And | Or)
    sayable = [item for item in node.items if _anchored(item)]
    negated = [item.item for item in node.items if isinstance(item, Not) and _anchored(item.item)]
    clauses = [
        _compile(item, index)
        for item in node.items
        if not _anchored(item) and not (isinstance(item, Not) and _anchored(item.item))
    ]
    if isinstance(node, And):
        if sayable:  # the wanted and the exclusions beside them: one match
            clauses.insert(0, index.hit(index.say(_joined(And, [*sayable, *map(Not, negated)]))))
        elif negated:  # nothing wanted: one miss of all the unwanted
            clauses.insert(0, index.miss(index.say(_joined(Or, negated))))
        return sa.and_(*clauses)
    if negated:  # a OR NOT x OR NOT y: NOT (x AND y AND NOT a), one miss
        clauses.insert(0, index.miss(index.say(_joined(And, [*negated, *map(Not, sayable)]))))
    elif sayable:
        clauses.insert(0, index.hit(index.say(_joined(Or, sayable))))
    return sa.or_(*clauses)


def _joined(kind: type[And] | type[Or], items: Sequence[Node]) -> Node:
    node = _combine(kind, items)
    assert node is not None
    return node


def _checked(words: tuple[str, ...]) -> tuple[str, ...]:
    """The tokens of a Term, refused unless letters and digits: only those ever reach a match string."""
    if not words or not all(w and all(map(is_word_char, w)) for w in words):
        raise ValueError("a search term must be tokens of letters and digits")
    return words


def tsquery(node: Node) -> str:
    """The PostgreSQL tsquery text of ``node``: 'phrase' <-> 'words', 'prefix':*, &, |, ! and parentheses."""
    if isinstance(node, Term):
        parts = [f"'{w}'" for w in _checked(node.words)]
        if node.prefix:
            parts[-1] += ":*"
        return parts[0] if len(parts) == 1 else "(" + " <-> ".join(parts) + ")"
    if isinstance(node, Not):
        return "!" + tsquery(node.item)
    glue = " & " if isinstance(node, And) else " | "
    return "(" + glue.join(tsquery(item) for item in node.items) + ")"


def fts5_query(node: Node) -> str | None:
    """The FTS5 MATCH text of ``node``, or None where it is not anchored on wanted words (FTS5's NOT is binary,
    so a negation needs a wanted term beside it in the same AND, and no branch of an OR may be negative)."""
    return _fts5(node) if _anchored(node) else None


def _fts5(node: Node) -> str:
    if isinstance(node, Term):
        phrase = '"' + " ".join(_checked(node.words)) + '"'
        return phrase + "*" if node.prefix else phrase
    if isinstance(node, Or):
        return "(" + " OR ".join(map(_fts5, node.items)) + ")"
    assert isinstance(node, And)
    wanted = [_fts5(item) for item in node.items if not isinstance(item, Not)]
    unwanted = [_fts5(item.item) for item in node.items if isinstance(item, Not)]
    return "((" + " AND ".join(wanted) + ")" + "".join(f" NOT {u}" for u in unwanted) + ")"


_INDEXES = {
    "sqlite": _Index(_fts5, _fts5_hit, lambda expr: sa.not_(_fts5_hit(expr))),
    "postgresql": _Index(tsquery, lambda expr: _pg_match(posts, expr), _pg_miss),
}
