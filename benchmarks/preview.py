"""The live preview's rebuild after a one-claim edit, timed as the preview runs it.

    python benchmarks/preview.py SITE_ROOT

Builds the site once with the preview's Rebuilder (its cache held in memory), changes one
claim's summary, rebuilds, and prints the two times as JSON ({"first": s, "edit": s}). The
edit's time runs from the rebuild's start (after the preview's settle time) to the pages
written, in the preview's own folder. The site's claim-1 is edited and restored afterwards.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import edit_one_claim

from generator import pipeline, serve
from generator.config import Options, Paths


class Quiet:
    def built(self, result: pipeline.BuildResult, first: bool) -> None:
        if not result.ok:
            raise SystemExit("\n".join(d.format() for d in result.diagnostics))

    def serving(self, url: str, folder: Path) -> None:
        pass


def main(root: Path) -> None:
    claim = root / "content" / "claims" / "claim-1.yaml"
    original = claim.read_bytes()
    with tempfile.TemporaryDirectory(prefix="factcheck-preview-") as folder:
        paths = Paths.for_site(root, Path(folder) / "site")
        rebuilder = serve.Rebuilder(paths, Options(base_url="http://127.0.0.1:8000/"), Quiet())
        started = time.perf_counter()
        rebuilder.build()
        first = time.perf_counter() - started
        try:
            edit_one_claim(root, 1)
            started = time.perf_counter()
            rebuilder.build()
            edit = time.perf_counter() - started
        finally:
            claim.write_bytes(original)
    print(json.dumps({"first": first, "edit": edit}))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
