"""``scripts/check_site.py``, which CI runs over the built docs: it finds what a reader opening
the site from disk would trip over."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "check_site.py"


def check_site() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_site", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def site(tmp_path: Path, index: str, **pages: str) -> Path:
    (tmp_path / "search").mkdir()
    (tmp_path / "search" / "search_index.js").write_text("var __index = {}", encoding="utf-8")
    (tmp_path / "index.html").write_text(index, encoding="utf-8")
    for name, text in pages.items():
        (tmp_path / name).mkdir()
        (tmp_path / name / "index.html").write_text(text, encoding="utf-8")
    (tmp_path / "rules.html").write_text("<p>The rules</p>", encoding="utf-8")
    return tmp_path


def test_a_site_of_files_passes(tmp_path: Path) -> None:
    root = site(tmp_path, '<a href="rules.html#sla-3">SLA-3</a> <a href="https://x.org/">x</a>')
    assert [] == check_site().problems(root)
    assert 0 == check_site().main([str(root)])


def test_a_link_to_a_folder_a_root_link_and_a_dead_link_are_named(tmp_path: Path) -> None:
    root = site(
        tmp_path,
        '<a href="tutorial/">Tutorial</a> <a href="/rules.html">Rules</a> <img src="gone.png">',
        tutorial="<p>A tutorial</p>",
    )
    assert [
        "index.html: 'tutorial/' opens a folder, not a page",
        "index.html: '/rules.html' starts at the root: from disk, the disk's root",
        "index.html: 'gone.png' leads nowhere",
    ] == check_site().problems(root)
    assert 1 == check_site().main([str(root)])


def test_what_is_for_developers_and_a_fetched_search_index_are_named(tmp_path: Path) -> None:
    root = site(tmp_path, "<pre>&gt;&gt;&gt; f()  # doctest: +SKIP</pre> see POLICY.md")
    (root / "search" / "search_index.js").unlink()
    assert [
        f"{root}: search/search_index.js is missing: search cannot work from disk",
        "index.html: shows 'POLICY.md', which is for developers, not readers",
        "index.html: shows 'doctest:', which is for developers, not readers",
    ] == check_site().problems(root)
