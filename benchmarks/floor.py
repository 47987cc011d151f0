"""The floor: the least our stack can do to turn a site's claims into pages, in one process.

    python benchmarks/floor.py SITE_ROOT OUT_DIR

Reads every claim file, parses it with libyaml, renders its Markdown analysis, fills one
Jinja2 template and writes one file per claim. No validation, no quotes, no other pages: a
lower bound to compare full builds against (the issue's "floor").
"""

from __future__ import annotations

import sys
from pathlib import Path

import jinja2
import yaml
from markdown_it import MarkdownIt

TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ c.claim }}</title></head>
<body><main><h1>{{ c.claim }}</h1><p>{{ c.claimant }}</p><p>{{ c.summary }}</p>
{{ analysis | safe }}</main></body></html>
"""


def main(root: Path, out: Path) -> None:
    template = jinja2.Environment(autoescape=True).from_string(TEMPLATE)
    markdown = MarkdownIt("commonmark", {"html": False})
    for path in sorted((root / "content" / "claims").glob("*.yaml")):
        claim = yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
        html = template.render(c=claim, analysis=markdown.render(claim["analysis"]))
        target = out / "claims" / path.stem / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
