"""Translations: gettext catalogs in ``web/locale/{id,en}/LC_MESSAGES/citra.po`` (English message ids),
Indonesian by default. A compiled ``.mo`` is used when it is at least as new as its ``.po``; otherwise the
``.po`` is compiled in memory with Babel, so a fresh clone works without a build step.

    .venv/bin/python -m citra.web.i18n     # rewrite the .mo files from the .po files

New messages: wrap them in ``_()`` (templates), ``t.gettext()`` (pages) or ``N_()`` (here, for data), add them
to both languages' ``citra.po`` or to an area's own ``<area>.po`` beside it (``message_ids()`` lists what the
code uses; a test checks that Indonesian has them all), then recompile.
"""

from __future__ import annotations

import gettext
import io
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LANGUAGES = ("id", "en")
DEFAULT = "id"
LOCALE_DIR = Path(__file__).with_name("locale")
DOMAIN = "citra"


def N_(message: str) -> str:
    """Marks a message id for extraction; translated where it is shown."""
    return message


# Message ids shown from data (roles, statuses, labels ...), listed so that extraction finds them.
DYNAMIC = (
    N_("admin"),
    N_("analyst"),
    N_("opd"),
    N_("viewer"),
    N_("new"),
    N_("assigned"),
    N_("in_progress"),
    N_("done"),
    N_("low"),
    N_("medium"),
    N_("high"),
    N_("critical"),
    N_("open"),
    N_("closed"),
    N_("complaint"),
    N_("question"),
    N_("praise"),
    N_("information"),
    N_("request"),
    N_("other"),
    N_("declaration"),
    N_("campaign"),
    N_("social-activity"),
    N_("statement"),
    N_("publication"),
    N_("net sentiment"),
    N_("negative share"),
    N_("volume"),
    N_("citra index"),
    N_("service information"),
    N_("leader activity"),
    N_("appeal"),
    N_("achievement"),
    N_("anti-corruption"),
    N_("social activity"),
    N_("Overview"),
    N_("Issues & OPDs"),
    N_("Conversations"),
    N_("Alerts"),
    N_("Strategy"),
    N_("Publications"),
    N_("Network"),
    N_("Engagement"),
    N_("Reports"),
    N_("Settings"),
)


def choose(asked: str | None, remembered: str | None) -> str:
    """The language of a request: the ``?lang=`` choice, else the cookie, else Indonesian."""
    for value in (asked, remembered):
        if value in LANGUAGES:
            return value
    return DEFAULT


def _catalogs(lang: str, root: Path) -> list[Path]:
    """The ``.po`` files of a language: ``citra.po`` first, then one per area (``alerts.po``, ``inbox.po`` ...),
    so parallel work on different pages does not edit one file."""
    folder = root / lang / "LC_MESSAGES"
    main = folder / f"{DOMAIN}.po"
    rest = sorted(p for p in folder.glob("*.po") if p != main)
    return [main, *rest]


def _compiled(po: Path, lang: str) -> bytes:
    with po.open("rb") as f:
        catalog = read_po(f, locale=lang, domain=DOMAIN)
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def _one(po: Path, lang: str) -> gettext.NullTranslations | None:
    mo = po.with_suffix(".mo")
    if mo.is_file() and (not po.is_file() or mo.stat().st_mtime >= po.stat().st_mtime):
        data = mo.read_bytes()
    elif po.is_file():
        data = _compiled(po, lang)
    else:
        return None
    return gettext.GNUTranslations(io.BytesIO(data))


def load(root: Path = LOCALE_DIR) -> dict[str, gettext.NullTranslations]:
    """The translations of every language, each area's catalog chained behind the main one (a missing catalog
    falls back to the message ids)."""
    found: dict[str, gettext.NullTranslations] = {}
    for lang in LANGUAGES:
        chain = [t for t in (_one(po, lang) for po in _catalogs(lang, root)) if t is not None]
        if not chain:
            found[lang] = gettext.NullTranslations()
            continue
        for extra in chain[1:]:
            chain[0].add_fallback(extra)
        found[lang] = chain[0]
    return found


def message_ids(root: Path = Path(__file__).parent) -> set[str]:
    """Every message id used by the web package's code and templates (Babel extraction)."""
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir

    keywords = dict(DEFAULT_KEYWORDS) | {"N_": None}
    method_map = [("**/templates/**.html", "jinja2.ext:babel_extract"), ("**.py", "python")]
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(root, method_map, keywords=keywords):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def compile_catalogs(root: Path = LOCALE_DIR) -> list[Path]:
    """Write each ``.mo`` from its ``.po``; returns the files written."""
    written = []
    for lang in LANGUAGES:
        for po in _catalogs(lang, root):
            if po.is_file():
                mo = po.with_suffix(".mo")
                mo.write_bytes(_compiled(po, lang))
                written.append(mo)
    return written


if __name__ == "__main__":
    for path in compile_catalogs():
        print(path)
