"""full-text search of post texts: FTS5 on SQLite, a GIN expression index on PostgreSQL

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-08

Both index a text as ``citra.store.textquery.tokens`` reads a query: lower case, Latin accents removed, words are
runs of letters and digits (tests/store/test_textquery.py checks this character by character on both).

SQLite: an external-content FTS5 table ``posts_fts`` over ``posts.text``, kept in step by triggers. A plain
DELETE (``Store.prune``) removes the words; the bulk upsert's ON CONFLICT never sets ``text``, so it leaves them.
A later batch migration that rebuilds ``posts`` drops the triggers with the old table: it must create them again
(``_sqlite_triggers``) and rebuild ``posts_fts``.

PostgreSQL: ``citra_search_text`` (IMMUTABLE, no extension) and the GIN index ``ix_posts_search`` on
``to_tsvector('simple', citra_search_text(text))``; ``textquery.text_filter`` repeats that expression so that the
planner uses the index. Letters beyond ASCII need a UTF-8 ctype locale (C.UTF-8, en_US.UTF-8, id_ID.UTF-8 ...),
not C or POSIX.
"""

import functools
import unicodedata
from collections.abc import Iterable

from alembic import op

from citra.store.textquery import search_translation

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# Symbols and emoji that SQLite's Unicode 6.1 tables take for letters (they were unassigned then): without
# these as separators "banjir🤣" would be one word on SQLite and two on PostgreSQL.
_EMOJI = (
    (0x2065, 0x2069), (0x2072, 0x2073), (0x208F, 0x208F), (0x209D, 0x209F), (0x20BA, 0x20CF), (0x20F1, 0x20FF),
    (0x218A, 0x218F), (0x23F4, 0x23FF), (0x2427, 0x243F), (0x244B, 0x245F), (0x2700, 0x2700), (0x2B4D, 0x2B4F),
    (0x2B5A, 0x2BFF), (0x2E3C, 0x2E7F), (0x1F02C, 0x1F02F), (0x1F094, 0x1F09F), (0x1F0AF, 0x1F0B0),
    (0x1F0BF, 0x1F0C0), (0x1F0D0, 0x1F0D0), (0x1F0E0, 0x1F0FF), (0x1F10D, 0x1F10F), (0x1F12F, 0x1F12F),
    (0x1F16C, 0x1F16F), (0x1F19B, 0x1F1E5), (0x1F203, 0x1F20F), (0x1F23B, 0x1F23F), (0x1F249, 0x1F24F),
    (0x1F252, 0x1F2FF), (0x1F321, 0x1F32F), (0x1F336, 0x1F336), (0x1F37D, 0x1F37F), (0x1F394, 0x1F39F),
    (0x1F3C5, 0x1F3C5), (0x1F3CB, 0x1F3DF), (0x1F3F1, 0x1F3FF), (0x1F43F, 0x1F43F), (0x1F441, 0x1F441),
    (0x1F4F8, 0x1F4F8), (0x1F4FD, 0x1F4FF), (0x1F53E, 0x1F53F), (0x1F544, 0x1F54F), (0x1F568, 0x1F5FA),
    (0x1F641, 0x1F644), (0x1F650, 0x1F67F), (0x1F6C6, 0x1F6FF), (0x1F774, 0x1FBEF), (0x1FBFA, 0x1FBFF),
)  # fmt: skip
# Arabic blocks (Quranic annotation marks, honorific ligatures): every character but letters and digits separates.
_ARABIC = ((0x600, 0x6FF), (0x750, 0x77F), (0x870, 0x8FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))
# Circled and squared letters, which glibc's [:alnum:] takes for letters and SQLite and Python do not: Ⓐ 🄰 🅐 🅰
_CIRCLED = ((0x24B6, 0x24E9), (0x1F130, 0x1F149), (0x1F150, 0x1F169), (0x1F170, 0x1F189))
# translate() looks each character up in its "from" text one by one: plain characters come first (mapped to
# themselves, the most frequent first) so that they are found at once, not after 500 accented letters.
_PLAIN = " anieutrskmlgdpbohyjcwfvzxq" + "anieutrskmlgdpbohyjcwfvzxq".upper() + '0123456789.,!?@#-_/()"\n'


@functools.cache
def _by_category() -> dict[str, list[int]]:
    """Code points by general category, in the planes where text lives."""
    out: dict[str, list[int]] = {}
    for code in (*range(0x20000), *range(0xE0000, 0xE0200)):
        out.setdefault(unicodedata.category(chr(code)), []).append(code)
    return out


def _category(prefix: str) -> list[int]:
    """The code points of the general categories starting with ``prefix`` ("M": every mark)."""
    return sorted(c for name, codes in _by_category().items() if name.startswith(prefix) for c in codes)


def _tokenizer() -> str:
    """unicode61 without accents, told of the separators its old tables miss: emoji, Arabic marks and signs,
    other numbers (², ½, ①), which PostgreSQL's parser never keeps in a word, and format characters (bidi marks,
    soft hyphen ...)."""
    emoji = [c for lo, hi in _EMOJI for c in range(lo, hi + 1)]
    arabic = [c for lo, hi in _ARABIC for c in range(lo, hi + 1) if unicodedata.category(chr(c))[0] in "MPSZ"]
    separators = "".join(map(chr, sorted({*emoji, *arabic, *_category("No"), *_category("Cf")})))
    return f"unicode61 remove_diacritics 2 separators '{separators}'"


def _sqlite_triggers() -> list[str]:
    delete = "INSERT INTO posts_fts(posts_fts, rowid, text) VALUES ('delete', old.id, old.text);"
    insert = "INSERT INTO posts_fts(rowid, text) VALUES (new.id, new.text);"
    return [
        f"CREATE TRIGGER posts_fts_insert AFTER INSERT ON posts BEGIN {insert} END",
        f"CREATE TRIGGER posts_fts_delete AFTER DELETE ON posts BEGIN {delete} END",
        f"CREATE TRIGGER posts_fts_update AFTER UPDATE OF text ON posts BEGIN {delete} {insert} END",
    ]


def _regex_class(codes: Iterable[int]) -> str:
    """A PostgreSQL regular-expression bracket of these code points, in ranges written with escapes."""
    runs: list[list[int]] = []
    for code in sorted(codes):
        if runs and runs[-1][1] >= code - 1:
            runs[-1][1] = code
        else:
            runs.append([code, code])

    def esc(code: int) -> str:
        return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"

    return "[" + "".join(esc(lo) if lo == hi else f"{esc(lo)}-{esc(hi)}" for lo, hi in runs) + "]"


def _pg_function() -> str:
    """lower(), Latin accents removed as SQLite does, and every run of what is not a word character a space:
    besides what [:alnum:] refuses, the marks (Arabic vowels, Javanese and Indic vowel signs), which SQLite
    and Python do not keep in a word either, and the circled letters."""
    source, target, deleted = search_translation()
    accented = _regex_class(map(ord, source + deleted))  # translate() only where there is something to do
    separators = _regex_class(_category("M") + [c for lo, hi in _CIRCLED for c in range(lo, hi + 1)])
    return (
        "CREATE FUNCTION citra_search_text(t text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ "
        "SELECT regexp_replace(lower(CASE WHEN t ~ '" + accented + "' "
        "THEN translate(t, '" + _PLAIN + source + deleted + "', '" + _PLAIN + target + "') ELSE t END), "
        "'([^[:alnum:]]|" + separators + ")+', ' ', 'g') $$"
    )


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE posts_fts USING fts5(text, content='posts', content_rowid='id', "
            f'tokenize="{_tokenizer()}")'
        )
        for trigger in _sqlite_triggers():
            op.execute(trigger)
        op.execute("INSERT INTO posts_fts(posts_fts) VALUES ('rebuild')")
    else:
        op.execute(_pg_function())
        vector = "to_tsvector('simple'::regconfig, citra_search_text(text))"
        op.execute(f"CREATE INDEX ix_posts_search ON posts USING gin ({vector})")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("posts_fts_update", "posts_fts_delete", "posts_fts_insert"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS posts_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_posts_search")
        op.execute("DROP FUNCTION IF EXISTS citra_search_text(text)")
