"""Check a built docs site the way a reader opening it from disk would meet it.

    python scripts/check_site.py SITE_DIR

Every link from a page to another part of the site must name a file: opened from disk
(``file://``), a link to a folder shows the folder's listing, not its page. The search index
must be carried in a script (``search/search_index.js``), since a page opened from disk cannot
fetch the JSON one. And no page may show what is for the project's developers, not its readers:
a ``# doctest:`` directive, or ``POLICY.md`` (which users do not have; the rules page is their
catalogue). Prints each problem and exits 1 if there is one, else says what it checked.
"""

from __future__ import annotations

import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

DEVELOPERS_ONLY = ("POLICY.md", "doctest:")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = {"a": "href", "link": "href", "script": "src", "img": "src", "iframe": "src"}
        name = wanted.get(tag)
        for key, value in attrs:
            if key == name and value:
                self.links.append(value)


def _local_target(page: Path, link: str) -> Path | None:
    """The file or folder *link* on *page* points to, or ``None`` for another host, an
    anchor on the same page, or a scheme such as ``mailto:``."""
    parts = urlsplit(link)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    return (page.parent / unquote(parts.path)).resolve()


def problems(site: Path) -> list[str]:
    """What a reader opening *site* from disk would trip over, one line each."""
    site = site.resolve()
    found: list[str] = []
    # The server's page for a missing path links from the site's root, as it must: it is shown
    # at any depth, and never opened from disk.
    pages = sorted(page for page in site.rglob("*.html") if page != site / "404.html")
    if not pages:
        return [f"{site}: no pages"]
    if not (site / "search" / "search_index.js").is_file():
        found.append(f"{site}: search/search_index.js is missing: search cannot work from disk")
    for page in pages:
        where = page.relative_to(site)
        text = page.read_text(encoding="utf-8")
        for phrase in DEVELOPERS_ONLY:
            if phrase in text:
                found.append(f"{where}: shows {phrase!r}, which is for developers, not readers")
        parser = _Links()
        parser.feed(text)
        for link in parser.links:
            target = _local_target(page, link)
            if target is None:
                continue
            if link.startswith("/"):
                found.append(f"{where}: {link!r} starts at the root: from disk, the disk's root")
            elif target.is_dir():
                found.append(f"{where}: {link!r} opens a folder, not a page")
            elif not target.exists():
                found.append(f"{where}: {link!r} leads nowhere")
    return found


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        print("usage: python scripts/check_site.py SITE_DIR", file=sys.stderr)
        return 2
    site = Path(argv[0])
    found = problems(site)
    for problem in found:
        print(problem)
    if found:
        return 1
    pages = len([page for page in site.rglob("*.html") if page != site / "404.html"])
    print(f"{pages} pages: every link names a file, search reads from disk, nothing for developers")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
