"""CSV cells that a spreadsheet will not run as formulas (the OWASP CSV-injection rule).

Post text, handles and names come from the public: a cell such as ``=HYPERLINK(...)`` or ``@SUM(...)`` in an
export would be evaluated when the Humas team opens the file in Excel or LibreOffice. Every CSV citra writes goes
through this module, which prefixes such cells with an apostrophe. Plain numbers (``-0.15``, ``+3``) stay numbers.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def cell(value: Any) -> Any:
    """``value`` with a leading apostrophe when it is a string a spreadsheet would read as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_LEADS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def row(values: Mapping[str, Any]) -> dict[str, Any]:
    """Every cell of a CSV row neutralised."""
    return {key: cell(value) for key, value in values.items()}


class DictWriter(csv.DictWriter):
    """``csv.DictWriter`` whose rows (not its header, which citra names) are neutralised. Lines end in CRLF
    (RFC 4180) whatever the caller asks: the writer quotes only cells holding a line terminator character, so with
    a bare ``\n`` a carriage return in a post would end the row early and start a new, unneutralised cell."""

    def __init__(self, f: Any, fieldnames: Sequence[str], **kwargs: Any) -> None:
        kwargs["lineterminator"] = "\r\n"
        super().__init__(f, fieldnames, **kwargs)

    def writerow(self, rowdict: Mapping[str, Any]) -> Any:
        return super().writerow(row(rowdict))

    def writerows(self, rowdicts: Iterable[Mapping[str, Any]]) -> None:
        for rowdict in rowdicts:
            self.writerow(rowdict)
