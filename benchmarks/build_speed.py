"""Build-time cost of 50-row tables on a 300-page site with 2,000 links, four ways.

Prints each variant's build time, its cost over the same site without tables, and that cost
as a ratio against the plugin's. Run: `make bench` (or `python benchmarks/build_speed.py`).
"""

from __future__ import annotations

import argparse
import csv
import io
import logging
import tempfile
import time
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config

from mkdocs_seml_plugin.model import Link
from mkdocs_seml_plugin.render import render_table

PAGES, LINKS, ROWS = 300, 2000, 50
CATEGORIES = LINKS // ROWS
COLUMNS = ("title", "description", "markers")


def links() -> list[Link]:
    return [
        Link(
            title=f"Resource {i}: on *testing* & <monitoring> of models",
            url=f"https://example.org/papers/{i}.pdf",
            category=f"Category {i % CATEGORIES}",
            line=i + 2,
            description=f"What resource {i} says about ML systems in production.",
            must_read=i % 7 == 0,
            scientific=i % 3 == 0,
        )
        for i in range(LINKS)
    ]


def markdown_table(rows: list[Link]) -> str:
    lines = ["| Title | Description | Markers |", "|---|---|---|"]
    for link in rows:
        title = link.title.replace("|", "\\|").replace("<", "&lt;")
        lines.append(f"| [{title}]({link.url}) | {link.description} | {link.value('markers')} |")
    return "\n".join(lines)


def write_site(root: Path, variant: str, data: list[Link]) -> Path:
    (root / "docs").mkdir(parents=True)
    (root / "data").mkdir()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["title", "url", "category", "description", "must_read", "scientific"])
    for link in data:
        writer.writerow(
            [link.title, link.url, link.category, link.description, link.must_read, link.scientific]
        )
    (root / "data" / "links.csv").write_text(out.getvalue(), encoding="utf-8")
    plugins = "[seml]" if variant == "plugin" else "[]"
    (root / "mkdocs.yml").write_text(
        f"site_name: bench\nplugins: {plugins}\nmarkdown_extensions: [tables, toc]\n",
        encoding="utf-8",
    )
    by_category: dict[str, list[Link]] = {}
    for link in data:
        by_category.setdefault(link.category, []).append(link)
    for page in range(PAGES):
        category = f"Category {page % CATEGORIES}"
        table = {
            "none": "",
            "markdown": markdown_table(by_category[category]),
            "html": render_table(by_category[category], COLUMNS),
            "plugin": f'<!-- seml:table category="{category}" -->',
        }[variant]
        text = f"# Page {page}\n\nSome prose about {category}.\n\n{table}\n\nMore prose.\n"
        (root / "docs" / f"page{page:03}.md").write_text(text, encoding="utf-8")
    return root / "mkdocs.yml"


def build_seconds(config_file: Path) -> float:
    config = load_config(str(config_file))
    config.plugins.on_startup(command="build", dirty=False)
    start = time.perf_counter()
    build(config)
    elapsed = time.perf_counter() - start
    config.plugins.on_shutdown()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3, help="builds per variant; best is kept")
    args = parser.parse_args()
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    data = links()
    variants = ("none", "markdown", "html", "plugin")
    best: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        configs = {v: write_site(Path(tmp) / v, v, data) for v in variants}
        for _ in range(args.repeat):
            for variant in variants:  # interleaved, so drift hits every variant alike
                seconds = build_seconds(configs[variant])
                best[variant] = min(best.get(variant, seconds), seconds)
    plugin_cost = best["plugin"] - best["none"]
    print(f"{PAGES} pages, {LINKS} links, a {ROWS}-row table on each page; best of {args.repeat}")
    print(f"{'variant':<26}{'build s':>9}{'cost s':>9}{'cost / plugin':>15}")
    labels = {
        "none": "no tables (baseline)",
        "markdown": "pasted Markdown tables",
        "html": "pasted raw HTML tables",
        "plugin": "seml directives",
    }
    for variant in variants:
        cost = best[variant] - best["none"]
        ratio = f"{cost / plugin_cost:.2f}x" if variant != "none" and plugin_cost > 0 else "-"
        print(f"{labels[variant]:<26}{best[variant]:>9.2f}{cost:>9.2f}{ratio:>15}")


if __name__ == "__main__":
    main()
