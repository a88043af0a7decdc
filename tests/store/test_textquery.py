"""The text query language: the parser on its own, then one table of queries run on real SQLite (FTS5) and real
PostgreSQL (GIN over citra_search_text), which must return the same posts; the full-text index kept in step with
deletes and upserts; the PostgreSQL plan using ix_posts_search."""

from __future__ import annotations

import dataclasses
import random
import unicodedata
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy.dialects import postgresql, sqlite

from citra.errors import CitraError
from citra.records import Engagement, Platform, Post
from citra.store import Store
from citra.store.schema import posts
from citra.store.textquery import (
    INDONESIAN,
    MAX_DEPTH,
    MAX_LENGTH,
    MAX_WORDS,
    And,
    Node,
    Not,
    Or,
    QuerySyntaxError,
    Term,
    fold,
    fts5_query,
    parse,
    text_filter,
    tokens,
    tsquery,
)

T0 = datetime(2024, 3, 1, 1, 0, tzinfo=UTC)


def w(*words: str, prefix: bool = False) -> Term:
    return Term(words, prefix)


# folding and tokens ---------------------------------------------------------------------------------------


def test_fold_ignores_case_and_latin_accents() -> None:
    assert fold("Café CRÈME Brûlée Zürich İstanbul Đà Nẵng") == "cafe creme brulee zurich istanbul đa nang"
    assert fold("cafe\u0301") == "cafe"  # a combining accent, as some keyboards write it
    assert tokens("Café") == tokens("cafe") == ("cafe",)


def test_tokens_are_runs_of_letters_and_digits() -> None:
    assert tokens("e-KTP") == ("e", "ktp")
    assert tokens("1.234 meter, 2023") == ("1", "234", "meter", "2023")
    assert tokens("#banjir @humas_kota") == ("banjir", "humas", "kota")
    assert tokens("lagi🤣🤣 m² ½") == ("lagi", "m")
    assert tokens("بِسْمِ") == ("ب", "س", "م")  # marks separate, on both databases


# parsing --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("q", "tree"),
    [
        ("banjir", w("banjir")),
        ("Banjir JALAN", And((w("banjir"), w("jalan")))),
        ("banjir AND jalan", And((w("banjir"), w("jalan")))),
        ("banj*", w("banj", prefix=True)),
        ('"banjir rob"', w("banjir", "rob")),
        ('"banjir r"*', w("banjir", "r", prefix=True)),
        ("e-ktp", w("e", "ktp")),
        ("banjir OR genangan", Or((w("banjir"), w("genangan")))),
        ("banjir or genangan", And((w("banjir"), w("or"), w("genangan")))),
        ("banjir OR genangan bekasi", And((Or((w("banjir"), w("genangan"))), w("bekasi")))),
        ("-banjir", Not(w("banjir"))),
        ('-"banjir rob"', Not(w("banjir", "rob"))),
        ("-(a OR b) c", And((Not(Or((w("a"), w("b")))), w("c")))),
        ("-OR", Not(w("or"))),
        ("a -(-b)", And((w("a"), w("b")))),
        ("((a (b c)))", And((w("a"), w("b"), w("c")))),
        ("(a OR (b OR c))", Or((w("a"), w("b"), w("c")))),
        ("banjir 🔥", w("banjir")),
        ("banjir OR 🔥", w("banjir")),
        ("#banjir @humas", And((w("banjir"), w("humas")))),
        ("   ", None),
        ("", None),
    ],
)
def test_parse(q: str, tree: Node | None) -> None:
    assert parse(q) == tree


@pytest.mark.parametrize(
    ("q", "reason", "position"),
    [
        ('banjir "rob lagi', "unclosed_quote", 7),
        ("(banjir OR rob", "unbalanced_paren", 0),
        ("banjir) rob", "unbalanced_paren", 6),
        ("banjir ()", "empty_operand", 7),
        ("banjir -", "empty_operand", 7),
        ("banjir - rob", "empty_operand", 7),
        ("-)", "empty_operand", 0),
        ("OR banjir", "misplaced_operator", 0),
        ("banjir OR", "misplaced_operator", 7),
        ("banjir OR OR rob", "misplaced_operator", 7),
        ("banjir AND OR rob", "misplaced_operator", 7),
        ("(AND banjir)", "misplaced_operator", 1),
        ("🔥🔥 !!", "no_words", 0),
        ('""', "no_words", 0),
        ("a" * (MAX_LENGTH + 1), "too_long", MAX_LENGTH),
        (" ".join(["kata"] * (MAX_WORDS + 1)), "too_many_terms", 5 * MAX_WORDS),
        ("(" * (MAX_DEPTH + 1) + "a" + ")" * (MAX_DEPTH + 1), "too_deep", MAX_DEPTH),
    ],
)
def test_syntax_errors(q: str, reason: str, position: int) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        parse(q)
    assert (caught.value.reason, caught.value.position) == (reason, position)
    assert str(caught.value).startswith("query: ") and str(caught.value).endswith(f"at position {position}")


def test_error_messages() -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        parse('banjir "rob')
    exc = caught.value
    assert isinstance(exc, CitraError) and exc.http_status == 400
    assert str(exc) == "query: unclosed quote at position 7"
    assert exc.indonesian == "Kueri tidak valid: tanda kutip belum ditutup (posisi 8)"
    assert set(INDONESIAN) >= {"unclosed_quote", "unbalanced_paren", "empty_operand", "misplaced_operator"}


def test_limits_are_inclusive() -> None:
    assert parse("a" * MAX_LENGTH) == w("a" * MAX_LENGTH)
    assert isinstance(parse(" ".join(["kata"] * MAX_WORDS)), And)
    assert parse("(" * MAX_DEPTH + "a" + ")" * MAX_DEPTH) == w("a")


_PIECES = st.sampled_from(["banjir", "Café", "OR", "AND", "or", "-", "(", ")", '"', "*", " ", "e-ktp", "#", "🔥", "é"])


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(max_size=80), st.lists(_PIECES, max_size=30).map("".join)))
def test_parse_raises_only_query_errors(q: str) -> None:
    try:
        node = parse(q)
    except QuerySyntaxError as exc:
        assert exc.reason in INDONESIAN
        assert 0 <= exc.position <= len(q)
        return
    if node is not None:  # and what parses compiles, with nothing but letters and digits in the match texts
        assert tsquery(node)
        fts5_query(node)
        for dialect in (sqlite.dialect(), postgresql.dialect()):
            str(sa.select(posts.c.id).where(text_filter(dialect.name, node)).compile(dialect=dialect))


def test_match_texts() -> None:
    node = parse('(banjir OR "genangan air") -rob jalan*')
    assert tsquery(node) == "(('banjir' | ('genangan' <-> 'air')) & !'rob' & 'jalan':*)"
    assert fts5_query(node) == '((("banjir" OR "genangan air") AND "jalan"*) NOT "rob")'
    assert fts5_query(parse("-rob")) is None
    assert fts5_query(parse("banjir OR -rob")) is None


# the same results on SQLite and PostgreSQL ----------------------------------------------------------------

TEXTS = {
    "p01": "Banjir setinggi lutut di Jalan Merdeka, warga minta pompa air segera dikirim.",
    "p02": "Genangan air di depan pasar sejak pagi, drainase tersumbat sampah.",
    "p03": "Pelayanan e-KTP di Disdukcapil lambat sekali, antre dari subuh.",
    "p04": "Café baru di alun-alun ramai, parkir liar bikin macet.",
    "p05": "Lomba crème brûlée di festival kuliner kota🤣🤣",
    "p06": "Terima kasih @humas_kota atas info jadwal vaksin gratis 👍",
    "p07": "#banjir lagi di perumahan, kapan ditangani? #PUPR",
    "p08": "Jalan berlubang sepanjang 1.234 meter belum diperbaiki sejak 2023",
    "p09": "Bantuan sosial untuk 500 keluarga disalurkan hari ini oleh Dinas Sosial",
    "p10": "Air PDAM mati tiga hari, warga terpaksa beli air galon",
    "p11": "Dinas Perhubungan memasang lampu lalu lintas baru di simpang lima",
    "p12": "Banjir rob merendam permukiman pesisir, genangan belum surut",
    "p13": "Lampu jalan padam di gang sempit, rawan kejahatan malam hari",
    "p14": "Pameran foto bertema ZÜRICH dan Bandung di galeri kota",
    "p15": "Warga mengeluh bau sampah dari TPS, minta diangkut tiap hari",
    "p16": "banjirnya sudah surut, terima kasih petugas",
    "p17": "SAMPAH MENUMPUK DI SUNGAI, BANJIR MENGANCAM",
    "p18": "Rob datang lagi, banjir makin parah",
}
ALL = set(TEXTS)
BANJIR = {"p01", "p07", "p12", "p17", "p18"}

CASES: list[tuple[str, set[str]]] = [
    ("banjir", BANJIR),  # plain word; "banjirnya" is another word
    ("BANJIR", BANJIR),  # case
    ("#banjir", BANJIR),  # a hashtag is its word
    ("banjir genangan", {"p12"}),  # all words
    ("banjir AND genangan", {"p12"}),
    ("banjir*", BANJIR | {"p16"}),  # prefix
    ("banj*", BANJIR | {"p16"}),
    ('"banjir rob"', {"p12"}),  # phrase ...
    ("banjir rob", {"p12", "p18"}),  # ... and the same words apart
    ('"rob banjir"', set()),
    ('"banjir r"*', {"p12"}),
    ("banjir OR genangan", BANJIR | {"p02"}),
    ("banjir OR genangan surut", {"p12"}),  # OR binds tighter than AND
    ("air or galon", set()),  # lower-case "or" is a word
    ("air AND galon", {"p10"}),
    ("banjir -rob", {"p01", "p07", "p17"}),  # exclusion
    ('banjir -"rob merendam"', BANJIR - {"p12"}),
    ("-banjir", ALL - BANJIR),  # pure negation
    ("-banjir -air", ALL - BANJIR - {"p02", "p10"}),
    ("air OR -banjir", (ALL - BANJIR) | {"p01"}),  # OR with a negated branch
    ("-(banjir OR sampah) air", {"p10"}),
    ("((banjir OR genangan) -(rob OR lutut)) OR (lampu -padam)", {"p02", "p07", "p11", "p17"}),  # nested
    ("cafe", {"p04"}),  # accents
    ("CAFÉ", {"p04"}),
    ('"creme brulee"', {"p05"}),
    ("crème brûlée", {"p05"}),
    ("zurich", {"p14"}),
    ("zürich", {"p14"}),
    ("e-ktp", {"p03"}),  # a hyphenated word
    ("ktp", {"p03"}),
    ("ektp", set()),
    ("@humas", {"p06"}),  # a mention
    ("@humas_kota", {"p06"}),
    ("kota", {"p05", "p06", "p14"}),  # an emoji glued to a word leaves it a word
    ("1.234", {"p08"}),  # numbers
    ("2023", {"p08"}),
    ("500 keluarga", {"p09"}),
    ("1234", set()),
    ("dinas (sosial OR perhubungan) -lampu", {"p09"}),
    ("hari -(air OR sampah)", {"p09", "p13"}),
]


def _post(native_id: str, text: str, likes: int = 1) -> Post:
    day = int(native_id[1:])
    return Post(Platform.X, native_id, text, T0 + timedelta(days=day), engagement=Engagement(likes=likes))


def _found(store: Store, q: str) -> set[str]:
    node = parse(q)
    assert node is not None
    stmt = (
        sa.select(posts.c.native_id)
        .where(text_filter(store.dialect, node), posts.c.platform == "x")
        .order_by(posts.c.created_at.desc())
        .limit(100)
    )
    with store.engine.connect() as conn:
        return set(conn.execute(stmt).scalars())


def _fts_in_step(store: Store) -> None:
    """On SQLite: FTS5 checks its index against the posts (and counts one entry per post)."""
    if store.dialect != "sqlite":
        return
    with store.engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO posts_fts(posts_fts, rank) VALUES ('integrity-check', 1)")
        indexed = conn.exec_driver_sql("SELECT count(*) FROM posts_fts_docsize").scalar_one()
        assert indexed == conn.exec_driver_sql("SELECT count(*) FROM posts").scalar_one()


@pytest.fixture
def filled(store: Store) -> Store:
    assert store.add_posts([_post(k, v) for k, v in TEXTS.items()]).inserted == len(TEXTS)
    return store


def test_cases(filled: Store) -> None:
    got = {q: _found(filled, q) for q, _ in CASES}
    assert got == dict(CASES)


def test_index_follows_deletes_and_upserts(filled: Store) -> None:
    deleted, _ = filled.prune(posts_before=T0 + timedelta(days=10))  # p01 ... p09
    assert deleted == 9
    _fts_in_step(filled)
    assert _found(filled, "banjir") == {"p12", "p17", "p18"}
    assert _found(filled, "-banjir") == ALL - BANJIR - {f"p0{i}" for i in range(1, 10)}

    again = filled.add_posts([_post(k, v) for k, v in TEXTS.items()])  # the pruned come back, the rest conflict
    assert (again.inserted, again.updated) == (9, 0)
    _fts_in_step(filled)
    more = filled.add_posts([_post(k, v, likes=5) for k, v in TEXTS.items()])  # ON CONFLICT DO UPDATE runs
    assert (more.inserted, more.updated) == (0, len(TEXTS))
    _fts_in_step(filled)
    assert {q: _found(filled, q) for q, _ in CASES} == dict(CASES)

    with filled.engine.begin() as conn:  # no part of citra rewrites a text, but the index would follow
        conn.execute(posts.update().where(posts.c.native_id == "p10").values(text="Air bersih sudah mengalir"))
    _fts_in_step(filled)
    assert _found(filled, "galon") == set() and _found(filled, "mengalir") == {"p10"}


def _reference(node: Node, words: tuple[str, ...]) -> bool:
    """What a query means, in Python, over a post's tokens."""
    if isinstance(node, Term):
        n = len(node.words)
        for i in range(len(words) - n + 1):
            head, last = words[i : i + n - 1], words[i + n - 1]
            if head == node.words[:-1] and (last.startswith(node.words[-1]) if node.prefix else last == node.words[-1]):
                return True
        return False
    if isinstance(node, Not):
        return not _reference(node.item, words)
    found = (_reference(item, words) for item in node.items)
    return all(found) if isinstance(node, And) else any(found)


def _random_query(rng: random.Random, depth: int = 0) -> str:
    vocab = ["banjir", "air", "sampah", "jalan", "rob", "genangan", "hari", "warga", "ban*", "sa*", '"banjir rob"']
    vocab += ['"air di"', "lampu", "kota", "e-ktp", "dinas", "surut"]
    parts = []
    for _ in range(rng.randint(1, 3)):
        term = f"({_random_query(rng, depth + 1)})" if depth < 2 and rng.random() < 0.3 else rng.choice(vocab)
        parts.append(("-" if rng.random() < 0.3 else "") + term)
        if rng.random() < 0.3:
            parts.append("OR")
    return " ".join(parts).removesuffix(" OR")


def test_random_queries_mean_what_they_say(filled: Store) -> None:
    rng = random.Random(8)
    words = {k: tokens(v) for k, v in TEXTS.items()}
    for _ in range(150):
        q = _random_query(rng)
        node = parse(q)
        assert node is not None
        assert _found(filled, q) == {k for k in TEXTS if _reference(node, words[k])}, q


def test_index_reads_text_as_tokens_does(store: Store) -> None:
    """Every character of the scripts and symbols that occur in Indonesian posts is indexed as ``tokens``
    reads it: letters with and without accents, marks, digits and other numbers, punctuation, emoji."""
    if store.dialect == "postgresql":
        with store.engine.connect() as conn:
            ctype = conn.exec_driver_sql("SELECT datctype FROM pg_database WHERE datname = current_database()")
            if ctype.scalar_one() in ("C", "POSIX"):
                pytest.skip("non-ASCII letters need a UTF-8 ctype locale on PostgreSQL")
    blocks = [(0x20, 0x24F), (0x300, 0x36F), (0x370, 0x52F), (0x600, 0x6FF), (0x1E00, 0x1EFF), (0x2000, 0x2BFF)]
    blocks += [(0xA980, 0xA9DF), (0x1F300, 0x1F64F), (0x1F910, 0x1F93E)]
    newer = {0x37F, 0x3F3, *range(0x528, 0x530), 0x61D}  # case pairs and a mark newer than SQLite's Unicode 6.1
    kinds = ("Cn", "Co", "Cs")
    codes = [c for lo, hi in blocks for c in range(lo, hi + 1) if unicodedata.category(chr(c)) not in kinds]
    codes = [c for c in codes if c not in newer]
    texts = {f"c{c:x}": f"q{chr(c)}z {chr(c)}A{chr(c).upper()}" for c in codes}
    store.add_posts([Post(Platform.X, k, v, T0) for k, v in texts.items()])
    with store.engine.begin() as conn:
        if store.dialect == "sqlite":
            conn.exec_driver_sql("CREATE VIRTUAL TABLE temp.fts_words USING fts5vocab(main, posts_fts, instance)")
            rows = conn.exec_driver_sql(
                "SELECT p.native_id, v.term FROM temp.fts_words v JOIN posts p ON p.id = v.doc ORDER BY v.doc, v.offset"
            )
        else:
            rows = conn.exec_driver_sql(
                "SELECT p.native_id, u.lexeme FROM posts p, unnest(to_tsvector('simple', citra_search_text(p.text))) u,"
                " unnest(u.positions) AS at ORDER BY p.id, at"
            )
        indexed: dict[str, tuple[str, ...]] = {}
        for native_id, term in rows:
            indexed[native_id] = (*indexed.get(native_id, ()), term)
    wrong = {k: (indexed.get(k, ()), tokens(v)) for k, v in texts.items() if indexed.get(k, ()) != tokens(v)}
    assert not wrong, " ".join(sorted(wrong))


def test_postgres_plan_uses_the_index(store: Store) -> None:
    """A word is an index scan; no query, an exclusion alone or an OR with an exclusion included, computes the
    search text of a post again: they read the stored words."""
    if store.dialect != "postgresql":
        pytest.skip("PostgreSQL only")
    filler = [_post("p1", f"jalan rusak nomor {i} di kelurahan {i % 50}") for i in range(3000)]
    store.add_posts([dataclasses.replace(p, native_id=f"f{i}") for i, p in enumerate(filler)])
    store.add_posts([_post("p12", TEXTS["p12"])])
    with store.engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE posts")
        for q, count in (("banjir", 1), ("-banjir", 3000), ("jalan OR -banjir", 3000)):
            node = parse(q)
            assert node is not None
            stmt = sa.select(sa.func.count()).select_from(posts).where(text_filter("postgresql", node))
            sql = str(stmt.compile(store.engine, compile_kwargs={"literal_binds": True}))
            plan = "\n".join(conn.exec_driver_sql(f"EXPLAIN {sql}").scalars())
            if q == "banjir" and "ix_posts_search" not in plan:  # a planner may prefer a scan of a small table
                conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
                plan = "\n".join(conn.exec_driver_sql(f"EXPLAIN {sql}").scalars())
            assert "citra_search_text" not in plan, plan  # the stored words (0007), never recomputed per post
            assert q != "banjir" or "ix_posts_search" in plan, plan
            assert conn.execute(stmt).scalar_one() == count
