"""Fingerprints: one digest per output file of everything it shows, from what it reads.

Each file the render stage makes names what it reads (render.pages.Reads): fact-checks,
sources, measures, quotations by id, named lists, input files, plain values. Here each name
becomes a digest: a model object by its identity (reuse.Identities: the digest of the files it
was made from), what the analysis derived from it (a source's highlights, a measure's report,
a quotation's wordings) by what it is made of. Equal fingerprints, equal files: a file whose
fingerprint is the last build's is not made again.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..analyse.anchoring import Analysis
from ..analyse.discrepancies import Discrepancies, MeasureReport, Quotation
from ..model import Claim
from ..render.pages import Output, Reads
from .inputs import Inputs, combine
from .reuse import Identities


class Fingerprints:
    """The fingerprint of each file of one build's output."""

    def __init__(
        self,
        inputs: Inputs,
        ids: Identities,
        analysis: Analysis,
        found: Discrepancies,
        output: Output,
    ) -> None:
        self.inputs = inputs
        self.ids = ids
        self.analysis = analysis
        # What every page shows: the templates and the interface's texts (the translation
        # tables), the site's settings, the pages its menus list.
        templates, tables = inputs.folder_key("theme/templates/"), inputs.folder_key("i18n/")
        self.base = combine(templates, tables, ids.site)
        self.reports: dict[str, MeasureReport] = {r.measure.id: r for r in found.measures}
        self.quotations: dict[str, Quotation] = {q.id: q for q in found.quotations}
        self.named_lists = output.lists
        # Digests worked out once per build, by name.
        self._marks: dict[str, str] = {}
        self._reports: dict[str, str] = {}
        self._lists: dict[str, str] = {}

    def of(self, path: str, reads: Reads) -> str | None:
        """The file's fingerprint; None when one of the input files it copies is unknown (it
        is then always made)."""
        files = [self.inputs.files.get(name) for name in reads.files]
        if None in files:
            return None
        return combine(
            self.base if reads.page else "",
            path,
            self.claims(reads.claims),
            [self.source(sid) for sid in reads.sources],
            [self.ids.measures[mid] for mid in reads.measures],
            [self.report(mid) for mid in reads.reports],
            [self.quotation(qid) for qid in reads.quotations],
            [self.named_list(name) for name in reads.lists],
            files,
            reads.values,
        )

    def claims(self, ids: Iterable[str]) -> list[str]:
        return [self.ids.claims[cid] for cid in ids]

    def source(self, sid: str) -> tuple[str, str]:
        """A source as a quotation links to it: itself, and where its highlights are (a link
        names the highlight holding the quotation)."""
        if sid not in self._marks:
            marks = self.analysis.highlights.get(sid, [])
            self._marks[sid] = combine([(h.id, h.start, h.end) for h in marks])
        return self.ids.sources[sid], self._marks[sid]

    def report(self, mid: str) -> str:
        """A measure's figures: the measure and the claims giving them (their order, pairs and
        intervals follow from those), with the bound words each quotation uses."""
        if mid not in self._reports:
            rows = [(self.ids.claims[r.claim.id], r.bound_words) for r in self.reports[mid].rows]
            self._reports[mid] = combine(self.ids.measures[mid], rows)
        return self._reports[mid]

    def quotation(self, qid: str) -> object:
        """A quotation: its claim and the passages its wordings come from."""
        q = self.quotations[qid]
        return (
            q.id,
            self.ids.claims[q.claim.id],
            [(self.ids.sources[w.source.id], w.start, w.end, w.annotated) for w in q.wordings],
        )

    def named_list(self, name: str) -> str:
        if name not in self._lists:
            self._lists[name] = combine(self.claims(self.named_lists[name]))
        return self._lists[name]

    def line(self, claim: Claim) -> str:
        """What a fact-check's line of claims.json shows: the claim, its sources and their
        highlights (in the passage links), its measure, the site (see splice.py)."""
        measure = self.ids.measures[claim.figure.measure] if claim.figure else ""
        sources = [self.source(ref.source) for ref in claim.quotes()]
        return combine(self.ids.site, self.ids.claims[claim.id], sources, measure)
