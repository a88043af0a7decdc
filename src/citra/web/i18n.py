"""Translations: gettext catalogs in ``web/locale/{id,en}/LC_MESSAGES/citra.po`` (English message ids),
Indonesian by default. A compiled ``.mo`` is used when it is at least as new as its ``.po``; otherwise the
``.po`` is compiled in memory with Babel, so a fresh clone works without a build step.

    .venv/bin/python -m citra.web.i18n     # rewrite the .mo files from the .po files

New messages: wrap them in ``_()`` (templates), ``t.gettext()`` (pages) or ``N_()`` (here, for data), add them
to both ``.po`` files (``message_ids()`` lists what the code uses; a test checks that Indonesian has them all),
then recompile.
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


def _paths(lang: str, root: Path) -> tuple[Path, Path]:
    folder = root / lang / "LC_MESSAGES"
    return folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"


def _compiled(po: Path, lang: str) -> bytes:
    with po.open("rb") as f:
        catalog = read_po(f, locale=lang, domain=DOMAIN)
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def load(root: Path = LOCALE_DIR) -> dict[str, gettext.NullTranslations]:
    """The translations of every language (a missing catalog falls back to the message ids)."""
    found: dict[str, gettext.NullTranslations] = {}
    for lang in LANGUAGES:
        po, mo = _paths(lang, root)
        if mo.is_file() and (not po.is_file() or mo.stat().st_mtime >= po.stat().st_mtime):
            data = mo.read_bytes()
        elif po.is_file():
            data = _compiled(po, lang)
        else:
            found[lang] = gettext.NullTranslations()
            continue
        found[lang] = gettext.GNUTranslations(io.BytesIO(data))
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
        po, mo = _paths(lang, root)
        if po.is_file():
            mo.write_bytes(_compiled(po, lang))
            written.append(mo)
    return written


if __name__ == "__main__":
    for path in compile_catalogs():
        print(path)
