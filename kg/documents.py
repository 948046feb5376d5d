"""Read statements: files and folders of .txt/.md, front matter, datelines.

A statement may open with front matter between two ``---`` lines (``key: value`` lines,
read as plain text, never as YAML, so tags and anchors cannot expand). Without front matter
the text's own dateline ("MACAU, September 30 -") gives the place and date.
"""
from __future__ import annotations

import codecs
import hashlib
import os
import re
import stat
import unicodedata
from datetime import date
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, NamedTuple

from .errors import InputError, UsageError, shown

SUFFIXES = (".txt", ".md")
MAX_BYTES = 64 * 1024 * 1024   # a statement file larger than this is refused unread (statements are kilobytes)
CHUNK = 1024 * 1024            # files are read this much at a time; the first piece is sniffed for binary data
SNIFF = 8192                   # bytes of the first piece checked for NUL bytes
NAME_PART = 120                # characters kept of each part of a statement name
FRONT_KEYS = ("title", "date", "place", "publisher", "source", "language")
MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august",
     "september", "october", "november", "december"], start=1)}
# "MACAU, September 30 -", "HONG KONG, March 21 (Xinhua) --"; an all-caps place opens the text.
# "BANGKOK, 2 July 2026 —" (day first) too.
DATELINE = re.compile(
    r"^\s*(?P<place>[A-Z][A-Z .'-]{1,40})(?:,\s+|\s*\(\s*)(?:(?P<month>[A-Z][a-z]+)\.?\s+(?P<day>\d{1,2})"
    r"|(?P<day2>\d{1,2})\s+(?P<month2>[A-Z][a-z]+))"
    r"(?:,?\s*(?P<year>\d{4}))?[^\n]{0,20}?\s*[-–—]+\s")     # "BANGKOK (31 October 2022) –" too
# A place alone: "MANILA — ", "GENEVA (Reuters) - ".
PLACE_LINE = re.compile(r"^\s*(?P<place>[A-Z][A-Z.'-]+(?: [A-Z][A-Z.'-]+){0,3})(?:\s+\([A-Z][A-Za-z]{1,11}\))?\s+[-–—]+\s")
# A source tag opening the text: "VGP - ", "(Xinhua) -- ".
SOURCE_TAG = re.compile(r"^\s*\(?[A-Z][A-Za-z]{1,11}\)?\s+[-–—]+\s")
ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
YEAR = re.compile(r"\b(1[89]\d\d|2\d\d\d)\b")


@dataclass
class Document:
    """One statement: its text (front matter removed), where the body starts, its metadata."""

    path: str
    text: str
    doc_id: str
    meta: dict[str, str] = field(default_factory=dict)
    date: str | None = None          # ISO date (YYYY-MM-DD, YYYY-MM or YYYY) when one is known
    place: str | None = None
    sha256: str = ""
    offset: int = 0                  # where ``text`` starts in the file (after front matter)
    dateline_end: int = 0            # where an opening dateline ends in ``text`` (0: none)
    date_evidence: tuple[int, int, str] | None = None   # (start, end, text) the date was read from

    @property
    def title(self) -> str | None:
        return self.meta.get("title")

    @property
    def publisher(self) -> str | None:
        return self.meta.get("publisher")


class Source(NamedTuple):
    """A statement file and its statement name (its path below the input folder, suffix dropped)."""

    path: Path
    name: str


def name_part(text: str) -> str:
    """One part of a statement name: NFC, letters, marks and digits of any script kept with
    ``._-``, every other run of characters one ``-`` ("Reply (final)" → "Reply-final")."""
    text = unicodedata.normalize("NFC", text)
    kept = "".join(c if c in "._-" or unicodedata.category(c)[0] in "LMN" else "\0" for c in text)
    return re.sub("\0+", "-", kept).strip("-.")[:NAME_PART].strip("-.") or "doc"


def doc_id_for(path: Path, root: Path | None = None) -> str:
    """A stable statement name: the file's stem for a file given by itself, its path below
    ``root`` for a file found in a folder (``sub/dir/报告``); same path, same named graph."""
    rel = path.relative_to(root) if root is not None else Path(path.name)
    return "/".join(name_part(p) for p in (*rel.parent.parts, rel.stem))


def split_front_matter(raw: str) -> tuple[dict[str, str], str, int]:
    """Return (metadata, body, offset of body in raw). Unclosed front matter is body text."""
    if not raw.startswith("---"):
        return {}, raw, 0
    first_nl = raw.find("\n")
    if first_nl < 0 or raw[:first_nl].strip() != "---":
        return {}, raw, 0
    end = re.search(r"^---[ \t]*$", raw[first_nl + 1:], flags=re.M)
    if not end:
        return {}, raw, 0
    block = raw[first_nl + 1:first_nl + 1 + end.start()]
    body_start = first_nl + 1 + end.end()
    if raw[body_start:body_start + 1] == "\n":
        body_start += 1
    meta: dict[str, str] = {}
    for line in block.splitlines():
        key, sep, value = line.partition(":")
        key = key.strip().lower()
        if sep and re.fullmatch(r"[a-z_][a-z0-9_-]*", key):
            value = value.strip()
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
                value = value[1:-1]
            meta[key] = value
    return meta, raw[body_start:], body_start


def valid_date(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def parse_date(value: str) -> str | None:
    """The first ISO date, or year, in a messy value ("2017 (day not shown…)" → "2017")."""
    value = value.strip()
    lead = re.match(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?\b", value)
    if lead:      # the value's own date comes first; later dates are remarks ("2017 (… released 2017-06-27)")
        year, month, day = lead.groups()
        if day and valid_date(int(year), int(month), int(day)):
            return lead.group(0)
        if month and 1 <= int(month) <= 12 and not day:
            return lead.group(0)
        return year
    m = ISO_DATE.search(value)
    if m and valid_date(*map(int, m.groups())):
        return m.group(0)
    m = re.search(r"\b(\d{4})-(\d{2})\b", value)
    if m and 1 <= int(m.group(2)) <= 12:
        return m.group(0)
    m = YEAR.search(value)
    return m.group(1) if m else None


def read_dateline(body: str, year: str | None) -> tuple[str | None, str | None, tuple[int, int] | None, int]:
    """(place, date, where in body the date is written, where the opening line ends — 0 when there
    is none) from an opening dateline, a place alone or a source tag; the year comes from the
    dateline or the caller."""
    m = DATELINE.match(body)
    if not m:
        alone = PLACE_LINE.match(body) or SOURCE_TAG.match(body)
        place = alone.group("place").title() if alone and "place" in alone.groupdict() else None
        return place, None, None, alone.end() if alone else 0
    month = MONTHS.get((m.group("month") or m.group("month2")).lower())
    if month is None:
        return None, None, None, m.end()        # "MACAU, Septembre 30 -": a dateline, nothing read
    place = m.group("place").strip().title()
    day = int(m.group("day") or m.group("day2"))
    written = (m.start("place"), m.end("day") if m.group("day") else m.end("month2"))
    year = m.group("year") or year
    if not year or not valid_date(int(year), month, day):
        return place, None, None, m.end()
    return place, f"{year}-{month:02d}-{day:02d}", written, m.end()


def decode(path: Path, data: bytes) -> str:
    """UTF-8 text or an InputError saying why not."""
    if not data.strip():
        raise InputError(str(path), "empty file")
    if b"\x00" in data[:8192]:
        raise InputError(str(path), "binary file (contains NUL bytes)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(str(path), f"not UTF-8 text (bad byte at offset {exc.start})") from None
    if not text.strip():
        raise InputError(str(path), "empty file")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_bytes(path: Path) -> bytes:
    """A file's bytes, read CHUNK at a time: refused unread over MAX_BYTES, and refused after
    its first piece when that holds NUL bytes or is not UTF-8 (a large binary file is never
    read whole)."""
    try:
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            if size > MAX_BYTES:
                raise InputError(str(path), too_large(size))
            data = bytearray(fh.read(CHUNK))
            sniff(path, bytes(data))
            while piece := fh.read(CHUNK):
                data += piece
                if len(data) > MAX_BYTES:       # the file grew since it was measured
                    raise InputError(str(path), too_large(len(data)))
    except OSError as exc:
        raise InputError(str(path), f"cannot read ({exc.strerror or exc})") from None
    return bytes(data)


def too_large(size: int) -> str:
    return f"too large ({size / 2**20:,.0f} MiB; a statement may have at most {MAX_BYTES // 2**20} MiB)"


def sniff(path: Path, head: bytes) -> None:
    """Refuse a file from its first piece: NUL bytes, or bytes that are not UTF-8."""
    if b"\x00" in head[:SNIFF]:
        raise InputError(str(path), "binary file (contains NUL bytes)")
    try:
        codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=False)
    except UnicodeDecodeError as exc:
        raise InputError(str(path), f"not UTF-8 text (bad byte at offset {exc.start})") from None


def read_document(path: Path, name: str | None = None) -> Document:
    """Read one statement file (named ``name``, else by its stem); raise InputError naming the
    file and the reason."""
    data = read_bytes(path)
    raw = decode(path, data)
    meta, body, offset = split_front_matter(raw)
    if not body.strip():
        raise InputError(str(path), "no text after the front matter")
    date = parse_date(meta["date"]) if meta.get("date") else None
    year = date[:4] if date else None
    place, dl_date, written, dateline_end = read_dateline(body, year)
    evidence = None
    if date:
        line = re.search(r"^date[ \t]*:.*$", raw[:offset], flags=re.M | re.I)
        evidence = (line.start(), line.end(), line.group(0)) if line else None
    if dl_date and written and (not date or len(date) <= len(dl_date)):
        date = dl_date
        evidence = (offset + written[0], offset + written[1], body[written[0]:written[1]])
    return Document(path=str(path), text=body, doc_id=name or doc_id_for(path), meta=meta, date=date,
                    place=meta.get("place") or place, sha256=hashlib.sha256(data).hexdigest(),
                    offset=offset, date_evidence=evidence, dateline_end=dateline_end)


def collect_paths(inputs: Iterable[str | Path], follow_links: bool = False) -> tuple[list[Path], list[InputError]]:
    """Expand files and folders into statement files, sorted; report what cannot be used."""
    sources, problems = collect_sources(inputs, follow_links)
    return [s.path for s in sources], problems


def collect_sources(inputs: Iterable[str | Path], follow_links: bool = False) -> tuple[list[Source], list[InputError]]:
    """Statement files with their names, in input order (a folder's sorted); what cannot be
    used is reported. A link in a folder to a file outside it is skipped unless ``follow_links``."""
    files: list[Source] = []
    problems: list[InputError] = []
    for item in inputs:
        path = Path(item)
        try:
            is_dir, is_file = path.is_dir(), path.is_file()
        except OSError as exc:
            problems.append(InputError(str(path), f"cannot read ({exc.strerror or exc})"))
            continue
        if is_dir:
            unreadable: list[InputError] = []
            found = sorted(p for p in walk(path, unreadable, follow_links) if p.suffix.lower() in SUFFIXES)
            problems.extend(unreadable)
            if not found and not unreadable:
                problems.append(InputError(str(path), "folder holds no .txt or .md statements"))
            files.extend(Source(p, doc_id_for(p, path)) for p in found)
        elif is_file:
            files.append(Source(path, doc_id_for(path)))
        elif path.exists() or path.is_symlink():
            problems.append(InputError(str(path), not_regular(path)))
        else:
            raise UsageError(f"{shown(str(path))}: no such file or folder")
    seen: set[Path] = set()
    unique = [s for s in files if not (s.path in seen or seen.add(s.path))]
    return unique, problems


def walk(root: Path, problems: list[InputError], follow_links: bool = False) -> list[Path]:
    """Files below a folder, walked with a stack (any depth, no recursion), not following
    symlinked folders (no loops); unreadable folders, .txt/.md entries that are not regular files
    (broken links, link loops, pipes, sockets, devices: never opened) and links to files outside
    the folder (unless ``follow_links``) are reported in ``problems``."""
    inside = root.resolve()
    files: list[Path] = []
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            entries = sorted(folder.iterdir())
        except OSError as exc:
            problems.append(InputError(str(folder), f"cannot read ({exc.strerror or exc})"))
            continue
        for entry in entries:
            try:
                if entry.is_dir() and not entry.is_symlink():
                    stack.append(entry)
                elif entry.is_file():
                    if follow_links or not entry.is_symlink() or entry.resolve().is_relative_to(inside):
                        files.append(entry)
                    elif entry.suffix.lower() in SUFFIXES:
                        problems.append(InputError(str(entry), f"symbolic link to {shown(str(entry.resolve()))}, outside "
                                                               f"{shown(str(root))} (not followed; --follow-links follows it)"))
                elif entry.suffix.lower() in SUFFIXES and not entry.is_dir():
                    problems.append(InputError(str(entry), not_regular(entry)))
            except OSError as exc:
                problems.append(InputError(str(entry), f"cannot read ({exc.strerror or exc})"))
    return files


def not_regular(path: Path) -> str:
    """Why a path that is neither a file nor a folder cannot be read."""
    if path.is_symlink():
        try:
            path.resolve(strict=True)
        except RuntimeError:
            return "symbolic link loop"
        except OSError as exc:
            return "symbolic link loop" if "loop" in str(exc).lower() else "broken symbolic link"
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        return f"cannot read ({exc.strerror or exc})"
    kind = ("named pipe" if stat.S_ISFIFO(mode) else "socket" if stat.S_ISSOCK(mode) else
            "device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "special file")
    return f"not a regular file (a {kind}; never opened)"


def read_documents(paths: Iterable[Path]) -> tuple[list[Document], list[InputError]]:
    """Read every path; bad files become errors, the rest are still read."""
    docs, problems = [], []
    for path in paths:
        try:
            docs.append(read_document(path))
        except InputError as exc:
            problems.append(exc)
    return docs, problems
