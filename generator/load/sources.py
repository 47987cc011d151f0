"""Sources: read archived articles and snapshots from seeds/, verify their SHA-256, split their
paragraphs."""

from __future__ import annotations

import difflib
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import Diagnostics, Location
from ..model import Paragraph, Snapshot
from .loader import YMap


@dataclass(frozen=True)
class Archive:
    """The verified text of one archived article."""

    # Decoded text, line endings normalised to "\n".
    text: str
    # SHA-256 of the file's bytes.
    sha256: str
    # Its paragraphs.
    paragraphs: tuple[Paragraph, ...]


def read_archive(root: Path, data: YMap, diags: Diagnostics) -> Archive | None:
    """Read the file a source YAML points to; check it is inside seeds/ and unchanged."""
    path = _resolve(root, data, diags)
    if path is None:
        return None
    read = _read_seed(path, data["file"], data.where("file"), diags)
    if read is None:
        return None
    raw, digest = read
    if not _sha_matches(data, digest, diags):
        return None
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff").replace("\r\n", "\n")
    except UnicodeDecodeError as exc:
        diags.error(
            data.where("file"),
            f"archived file is not UTF-8 (byte {exc.start})",
            "convert the archive to UTF-8, then update its sha256",
        )
        return None
    return Archive(text, digest, split_paragraphs(text))


def _read_seed(
    path: Path, name: str, where: Location, diags: Diagnostics
) -> tuple[bytes, str] | None:
    """A file of seeds/ and its SHA-256; None (reported at `where`) when it cannot be read."""
    try:
        raw = path.read_bytes()  # read only: a build never writes to seeds/
    except OSError as exc:
        diags.error(where, f"cannot read seeds/{name}: {exc.strerror}")
        return None
    return raw, hashlib.sha256(raw).hexdigest()


def read_snapshot(root: Path, data: YMap, diags: Diagnostics) -> Snapshot | None:
    """The source's snapshot (a WARC file in seeds/), checked unchanged; None when it has none
    or when it has errors (reported)."""
    if "snapshot" not in data:
        if "snapshot_sha256" in data:
            diags.error(
                data.where("snapshot_sha256"),
                "snapshot_sha256 without a snapshot",
                "add the line: snapshot: <the WARC file under seeds/>, or remove this one",
            )
        return None
    name = data["snapshot"]
    path = _inside_seeds(root, name)
    if path is None or not path.is_file():
        where = "must be inside seeds/" if path is None else "not found"
        diags.error(
            data.where("snapshot"),
            f"snapshot {where}: {name!r}",
            "give the path of the WARC file relative to seeds/, as `new source` wrote it",
        )
        return None
    read = _read_seed(path, name, data.where("snapshot"), diags)
    if read is None:
        return None
    raw, digest = read
    if "snapshot_sha256" not in data:
        diags.error(
            data.where("snapshot"),
            "missing key 'snapshot_sha256' (the snapshot's checksum)",
            f"add the line: snapshot_sha256: {digest}",
        )
        return None
    if data["snapshot_sha256"] != digest:
        diags.error(
            data.where("snapshot_sha256"),
            f"snapshot seeds/{name} has changed: its sha256 is not the one recorded",
            f"if the change is intended, set snapshot_sha256: {digest}",
        )
        return None
    page = snapshot_page(raw)
    if page is None:
        diags.error(
            data.where("snapshot"),
            f"seeds/{name} is not a WARC file holding a page",
            "give the WARC file `python build.py new source` wrote",
        )
        return None
    url, status, fetched, html = page
    return Snapshot(name, digest, url, status, fetched, hashlib.sha256(html).hexdigest(), len(html))


def snapshot_page(raw: bytes) -> tuple[str, int | None, str, bytes] | None:
    """The page a WARC file holds, its last response (or saved resource): (address, HTTP status
    or None, WARC date, the HTML as served, less any compression the server applied); None
    when the file holds none or is not a WARC."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    page = None
    try:
        for record in ArchiveIterator(io.BytesIO(raw)):
            if record.rec_type not in ("response", "resource"):
                continue
            headers = record.rec_headers
            status = record.http_headers.get_statuscode() if record.http_headers else None
            page = (
                headers.get_header("WARC-Target-URI") or "",
                int(status) if status and status.isdigit() else None,
                headers.get_header("WARC-Date") or "",
                record.content_stream().read(),
            )
    except (ArchiveLoadFailed, OSError, EOFError, ValueError):
        return None
    return page


def snapshot_html(path: Path) -> bytes:
    """The HTML a snapshot file holds, as served (for the built site's copy)."""
    page = snapshot_page(path.read_bytes())
    return page[3] if page else b""


def checksum(root: Path, data: YMap) -> str | None:
    """The SHA-256 of the file a source names, or None when it is not a readable file in seeds/.

    For hints: validation gives it when a source's sha256 is missing or malformed.
    """
    name = data.get("file")
    try:
        path = _inside_seeds(root, name) if isinstance(name, str) else None
        return hashlib.sha256(path.read_bytes()).hexdigest() if path and path.is_file() else None
    except (OSError, ValueError):  # unreadable, or a name no file system takes (NUL)
        return None


def _inside_seeds(root: Path, name: str) -> Path | None:
    """seeds/<name>, resolved; None when it would lead out of seeds/."""
    seeds = (root / "seeds").resolve()
    # resolve() follows symbolic links, so a link pointing out of seeds/ is refused too.
    candidate = (seeds / name).resolve()
    if Path(name).is_absolute() or not candidate.is_relative_to(seeds):
        return None
    return candidate


def _resolve(root: Path, data: YMap, diags: Diagnostics) -> Path | None:
    """The archived file's path, refusing anything that escapes seeds/."""
    seeds = (root / "seeds").resolve()
    name = data["file"]
    candidate = _inside_seeds(root, name)
    if candidate is None:
        diags.error(
            data.where("file"),
            f"archived file must be inside seeds/: {name!r}",
            "give the path relative to seeds/, e.g. 'article.txt'",
        )
        return None
    if not candidate.is_file():
        diags.error(
            data.where("file"), f"archived file not found: seeds/{name}", _missing_hint(seeds, name)
        )
        return None
    return candidate


def _missing_hint(seeds: Path, name: str) -> str:
    if not seeds.is_dir():
        return "create a seeds/ folder beside content/ and put the article's text file in it"
    names = [p.relative_to(seeds).as_posix() for p in seeds.rglob("*") if p.is_file()]
    close = difflib.get_close_matches(name, names, n=1)
    if close:
        return f"did you mean '{close[0]}'?"
    return "copy the article's text file into seeds/ and give its path relative to seeds/"


def _sha_matches(data: YMap, digest: str, diags: Diagnostics) -> bool:
    # Validation has made sure it is there (source.schema.json requires it).
    if data["sha256"] != digest:
        # The hint gives the new checksum, to record once the change has been reviewed.
        diags.error(
            data.where("sha256"),
            f"archived file seeds/{data['file']} has changed: its sha256 is not the one recorded",
            f"if the change is intended, set sha256: {digest}",
        )
        return False
    return True


def split_paragraphs(text: str) -> tuple[Paragraph, ...]:
    """Each non-blank line is a paragraph, as in text saved from a web page."""
    paragraphs = []
    offset = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            start = offset + (len(line) - len(line.lstrip()))
            paragraphs.append(Paragraph(len(paragraphs) + 1, start, start + len(stripped)))
        offset += len(line) + 1
    return tuple(paragraphs)


def line_of(text: str, offset: int) -> int:
    """1-based line number of a character offset."""
    return text.count("\n", 0, offset) + 1
