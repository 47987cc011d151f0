"""Steps: memoised stand-ins for the analysis's costly steps, with the same contracts.

The analysis stages take their costly steps as arguments (anchoring.analyse's locate and mark,
discrepancies.Steps); here each is wrapped so that a result already in the store, under a key
naming everything it was computed from, is not computed again. Only what is missing goes to the
real step, all at once (the steps run on every core).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import jinja2

from ..analyse import anchoring, discrepancies, figures, variants
from ..analyse.anchoring import Finding, Marks, Search
from ..model import Anchor, QuoteRef, Source
from ..output.write import Previous
from ..render import search
from ..render.search import Bundle, Record
from .store import Store, Table


def locate(store: Store) -> anchoring.Locate:
    """anchoring.find_all, remembering each anchor by its source (id and digest of its text),
    the language it is normalised in and its quotation as written, wherever it is written."""
    table = store.table("anchors")

    def memoised(searches: list[Search]) -> list[list[Finding]]:
        keys = [[_anchor_key(search, ref) for ref in search[1]] for search in searches]
        known = table.get_many(key for group in keys for key in group)
        todo = [
            (source, [ref for ref, key in zip(refs, group, strict=True) if key not in known], lang)
            for (source, refs, lang), group in zip(searches, keys, strict=True)
        ]
        todo = [search for search in todo if search[1]]
        found = {
            _anchor_key(search, ref): finding
            for search, findings in zip(todo, anchoring.find_all(todo), strict=True)
            for ref, finding in zip(search[1], findings, strict=True)
        }
        for key, finding in found.items():
            if finding.anchor is not None:
                table.put(key, finding.anchor)
        return [
            [Finding(known[key]) if key in known else found[key] for key in group] for group in keys
        ]

    return memoised


def _anchor_key(search: Search, ref: QuoteRef) -> tuple[object, ...]:
    source, _, language = search
    return (source.id, source.sha256, language.code, ref.text, ref.occurrence, ref.prefix)


def mark(store: Store) -> anchoring.Mark | None:
    """anchoring.marks_of, remembered by the source and its quotations' anchors, in memory
    only (the preview's: a source none of whose quotations changed is not marked again)."""
    table = store.memory("marks")
    if table is None:
        return None

    def memoised(source: Source, anchors: dict[QuoteRef, Anchor]) -> Marks:
        key = (source.id, source.sha256, tuple(anchors.items()))
        found = table.get(key)
        if found is None:
            found = anchoring.marks_of(source, anchors)
            table.put(key, found)
        return found

    return memoised


def figure_steps(store: Store, sources: dict[str, Source]) -> discrepancies.Steps:
    """discrepancies.Steps, remembered: a passage's variants by every archived text and the
    passage; a bound reading by where the quotation is and the value; a measure's pair kinds
    by what figures.classify compares of its figures, in their order."""
    archive = hashlib.blake2b(
        "\n".join(f"{sid} {s.sha256}" for sid, s in sorted(sources.items())).encode()
    ).hexdigest()
    return discrepancies.Steps(
        variants=_variants(store.table("variants"), archive),
        bounds=_bounds(store.table("bounds")),
        pairs=_one(store.table("pairs"), discrepancies.classify_pairs, _pairs_key),
    )


def _variants(
    table: Table, archive: str
) -> Callable[[dict[str, Source], list[variants.Passage]], dict]:
    def memoised(
        sources: dict[str, Source], passages: list[variants.Passage]
    ) -> dict[variants.Passage, list[variants.Variant]]:
        known = table.get_many((archive, *p) for p in passages)
        found = {p: known[(archive, *p)] for p in passages if (archive, *p) in known}
        missing = [p for p in passages if p not in found]
        if missing:
            new = discrepancies.find_variants(sources, missing)
            for passage in missing:
                table.put((archive, *passage), new[passage])
            found.update(new)
        return found

    return memoised


def _bounds(table: Table) -> Callable[[list[discrepancies.BoundQuery]], list]:
    def memoised(queries: list[discrepancies.BoundQuery]) -> list[figures.BoundReading]:
        # Where the quotation is rather than its words: the key then holds no copy of them.
        # The language reads them: a source's or the site's can change while its text does not.
        keys = [
            (s.id, s.sha256, lang.code, anchor.spans, value) for s, anchor, value, lang in queries
        ]
        known = table.get_many(keys)
        missing = [i for i, key in enumerate(keys) if key not in known]
        read = discrepancies.read_bounds([queries[i] for i in missing])
        for i, reading in zip(missing, read, strict=True):
            table.put(keys[i], reading)
            known[keys[i]] = reading
        return [known[key] for key in keys]

    return memoised


def _pairs_key(facts: tuple[figures.FigureFacts, ...]) -> tuple[object, ...]:
    return tuple((f.value, f.bound, f.counted, f.scope) for f in facts)


def _one(table: Table, step: Callable, key: Callable) -> Callable:
    """`step`, each result remembered under key(*arguments)."""

    def memoised(*args: object) -> object:
        name = key(*args)
        found = table.get(name)
        if found is None:
            found = step(*args)
            table.put(name, found)
        return found

    return memoised


class CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept in the store: compiling them takes a tenth of a second, more
    than rendering the few pages an edit changes. Jinja checks each against its source."""

    def __init__(self, store: Store) -> None:
        self.table = store.table("templates")

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.table.get((bucket.key, bucket.checksum))
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.table.put((bucket.key, bucket.checksum), bucket.bytecode_to_string())


def search_index(store: Store, out: Path, previous: Previous | None) -> search.Index:
    """search.bundle, remembered by a digest of its records: the names and digests of the
    bundle's files. A build whose records are the same, and whose output still holds that
    bundle as the last build wrote it, runs no Pagefind. Otherwise Pagefind makes the whole
    bundle again: its filter and metadata files differ from one run to the next (Pagefind
    issue 638), so files of two runs must never be mixed."""
    table = store.table("search")

    def memoised(records: list[Record], language: str) -> Bundle:
        key = search.records_key(records, language)
        digests = table.get(key)
        if digests is not None and _in_output(digests, out, previous):
            return Bundle(digests, lambda path: (out / path).read_bytes())
        made = search.bundle(records, language)
        table.put(key, made.digests)
        return made

    return memoised


def _in_output(digests: dict[str, str], out: Path, previous: Previous | None) -> bool:
    """Whether the last build wrote each of these files and each is still there, its size
    as written (the write stage checks their bytes before it keeps them)."""
    if previous is None:
        return False
    for path, digest in digests.items():
        written = previous.outputs.get(path)
        if written is None or written.digest != digest:
            return False
        try:
            if (out / path).stat().st_size != written.size:
                return False
        except OSError:
            return False
    return True
