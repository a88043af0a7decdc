"""Screenshots of the dashboard's main pages at desktop (1280x800) and phone (390x844) sizes, for the README.

    .venv/bin/citra serve -w WORKSPACE --port 8106 &
    .venv/bin/python bench/screenshots.py --url http://127.0.0.1:8106 --user shot --password ...

Logs in through the form with headless Debian Chromium (Playwright, never a downloaded browser), opens each page,
and writes ``docs/screenshots/<page>.png`` (desktop, the README's images) and ``<page>-ponsel.png`` (phone), the
first screen only so the files stay small (``--jpeg``: JPEG at quality 70, smaller still). It also prints, per page
and size, whether the page scrolls sideways (it must not), and exits 1 when one does."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SIZES = {"": (1280, 800), "-ponsel": (390, 844)}  # file name suffix: the README's names are the desktop shots
PAGES = {
    "ringkasan": "/",
    "isu-opd": "/isu",
    "percakapan": "/percakapan",
    "keterlibatan": "/keterlibatan",
    "peringatan": "/peringatan",
    "strategi": "/strategi",
    "publikasi": "/publikasi",
    "laporan": "/laporan",
    "pengaturan": "/pengaturan",
    "glosarium": "/glosarium",
    "jaringan": "/jaringan",
}
OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"


def overflow(page: Page) -> int:
    """How many pixels the page is wider than the window (0: no sideways scrolling)."""
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


def login(page: Page, url: str, user: str, password: str) -> None:
    page.goto(url + "/login")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda target: "/login" not in target)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--only", nargs="*", help="page names to take (default: all)")
    parser.add_argument("--lang", default="id", choices=("id", "en"))
    parser.add_argument("--jpeg", action="store_true", help="JPEG (quality 70) instead of PNG")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    wide = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for size, (width, height) in SIZES.items():
            context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1)
            page = context.new_page()
            login(page, args.url, args.user, args.password)
            for name, path in PAGES.items():
                if args.only and name not in args.only:
                    continue
                page.goto(f"{args.url}{path}?lang={args.lang}", wait_until="networkidle", timeout=120_000)
                extra = overflow(page)
                if args.jpeg:
                    target = args.out / f"{name}{size}.jpg"
                    page.screenshot(path=str(target), type="jpeg", quality=70)
                else:
                    target = args.out / f"{name}{size}.png"
                    page.screenshot(path=str(target), type="png")
                print(
                    f"{target.relative_to(args.out.parent)}  {'+' + str(extra) + ' px wide' if extra > 1 else 'fits'}"
                )
                if extra > 1:
                    wide.append(f"{name}{size}: {extra} px")
            context.close()
        browser.close()
    if wide:
        print("pages wider than the window: " + "; ".join(wide), file=sys.stderr)
    return 1 if wide else 0


if __name__ == "__main__":
    sys.exit(main())
