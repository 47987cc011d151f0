"""The search bundle's cost: Pagefind indexing every fact-check of a site, timed alone.

    python benchmarks/search_index.py SITE_ROOT

Loads the site, makes its search records (search.records) and the Pagefind bundle from them
(search.run_pagefind), and prints the two times, the bundle's size and the Pagefind
process's peak memory as JSON ({"records": s, "index": s, "files": n, "bytes": n,
"rss": MB}). An edit that changes a fact-check's
words makes the whole bundle again (Pagefind has no update of an index), so "index" is what
such an edit pays for search.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator import load
from generator.config import Options, Paths
from generator.diagnostics import Diagnostics
from generator.render import search


def main(root: Path) -> None:
    diags = Diagnostics()
    content = load.read(Paths.for_site(root), Options(), diags, {}, None)
    if content is None or diags.has_errors():
        raise SystemExit("\n".join(d.format() for d in diags.sorted()))
    started = time.perf_counter()
    records = search.records(content, lambda claim: claim.published.isoformat())
    made = time.perf_counter()
    files = search.run_pagefind(records, search.index_language(content.site.language))
    done = time.perf_counter()
    sizes = sum(len(data) for data in files.values())
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024  # Pagefind's, in MB
    report = {
        "records": made - started,
        "index": done - made,
        "files": len(files),
        "bytes": sizes,
        "rss": rss,
    }
    print(json.dumps(report))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
