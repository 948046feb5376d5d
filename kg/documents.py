"""Read statements: files and folders of .txt/.md, front matter, datelines.

A statement may open with front matter between two ``---`` lines (``key: value`` lines,
read as plain text, never as YAML, so tags and anchors cannot expand). Without front matter
the text's own dateline ("MACAU, September 30 -") gives the place and date.
"""
from __future__ import annotations

import hashlib
import re
import stat
from datetime import date
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from .errors import InputError, UsageError, shown

SUFFIXES = (".txt", ".md")
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


def doc_id_for(path: Path) -> str:
    """A stable identifier from the file name: same file name, same named graph."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", path.stem).strip("-.") or "doc"
    return stem[:120]


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


def read_document(path: Path) -> Document:
    """Read one statement file; raise InputError naming the file and the reason."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), f"cannot read ({exc.strerror or exc})") from None
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
    return Document(path=str(path), text=body, doc_id=doc_id_for(path), meta=meta, date=date,
                    place=meta.get("place") or place, sha256=hashlib.sha256(data).hexdigest(),
                    offset=offset, date_evidence=evidence, dateline_end=dateline_end)


def collect_paths(inputs: Iterable[str | Path]) -> tuple[list[Path], list[InputError]]:
    """Expand files and folders into statement files, sorted; report what cannot be used."""
    files: list[Path] = []
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
            found = sorted(p for p in _walk(path, unreadable) if p.suffix.lower() in SUFFIXES)
            problems.extend(unreadable)
            if not found and not unreadable:
                problems.append(InputError(str(path), "folder holds no .txt or .md statements"))
            files.extend(found)
        elif is_file:
            files.append(path)
        elif path.exists() or path.is_symlink():
            problems.append(InputError(str(path), not_regular(path)))
        else:
            raise UsageError(f"{shown(str(path))}: no such file or folder")
    seen: set[Path] = set()
    unique = [p for p in files if not (p in seen or seen.add(p))]
    return unique, problems


def _walk(folder: Path, problems: list[InputError]) -> Iterator[Path]:
    """Files below a folder, not following symlinked folders (no loops); unreadable folders, and
    .txt/.md entries that are not regular files (broken links, link loops, pipes, sockets,
    devices: never opened), are reported in ``problems``."""
    try:
        entries = sorted(folder.iterdir())
    except OSError as exc:
        problems.append(InputError(str(folder), f"cannot read ({exc.strerror or exc})"))
        return
    for entry in entries:
        try:
            if entry.is_dir() and not entry.is_symlink():
                yield from _walk(entry, problems)
            elif entry.is_file():
                yield entry
            elif entry.suffix.lower() in SUFFIXES and not entry.is_dir():
                problems.append(InputError(str(entry), not_regular(entry)))
        except OSError as exc:
            problems.append(InputError(str(entry), f"cannot read ({exc.strerror or exc})"))


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
