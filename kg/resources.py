"""Load the data that steers extraction from ontology/: gazetteer, patterns, lexicon, word lists.

Everything domain-specific lives in those files, so a new kind of statement means new rows,
not new code. Files are read once per process and cached.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .errors import DataError


@dataclass(frozen=True)
class KnownEntity:
    """A gazetteer row: stable id, class, preferred label, aliases, parent id."""

    id: str
    cls: str
    label: str
    aliases: tuple[str, ...]
    part_of: str | None


@dataclass(frozen=True)
class EntityPattern:
    """A regular expression naming a family of entities (every year's report, every law)."""

    cls: str
    id_template: str
    label_template: str
    regex: re.Pattern[str]


@dataclass(frozen=True)
class FrameRow:
    """One row of ontology/frames.tsv: the frame's lemma and preposition, the property, and the
    roles its subject and object come from."""

    lemma: str
    prep: str
    prop: str
    subject: str
    object: str


ROLES = frozenset({"agent", "patient", "recipient", "oblique", "time"})


def ontology_dir() -> Path:
    """Where the ontology data lives: the installed copy (kg/ontology, see pyproject.toml) or,
    in a source checkout, the top-level ontology/ folder."""
    package = Path(__file__).resolve().parent
    for candidate in (package / "ontology", package.parent / "ontology"):
        if (candidate / "gazetteer.tsv").is_file():
            return candidate
    raise DataError(f"ontology data not found in {package / 'ontology'} or {package.parent / 'ontology'}")


def _rows(name: str, width: int) -> list[list[str]]:
    path = ontology_dir() / name
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise DataError(f"{path}: cannot read ontology data ({exc.strerror})") from None
    rows = []
    for n, line in enumerate(lines, start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) < width - 1:
            raise DataError(f"{path}:{n}: expected {width} tab-separated columns, got {len(cells)}")
        rows.append((cells + [""] * width)[:width])
    return rows


GAZETTEERS = ("gazetteer.tsv", "jurisdictions.tsv")    # curated rows first: they win on a shared id


@lru_cache(maxsize=None)
def gazetteer() -> tuple[KnownEntity, ...]:
    """Known entities: the curated gazetteer, then every country and territory and its government."""
    out: dict[str, KnownEntity] = {}
    for name in GAZETTEERS:
        for r in _rows(name, 5):
            ent = KnownEntity(r[0].strip(), r[1].strip(), r[2].strip(),
                              tuple(a.strip() for a in r[3].split("|") if a.strip()), r[4].strip() or None)
            out.setdefault(ent.id, ent)
    return tuple(out.values())


@lru_cache(maxsize=None)
def gazetteer_by_id() -> dict[str, KnownEntity]:
    return {e.id: e for e in gazetteer()}


@lru_cache(maxsize=None)
def patterns() -> tuple[EntityPattern, ...]:
    out = []
    for cls, id_t, label_t, rx in _rows("patterns.tsv", 4):
        try:
            out.append(EntityPattern(cls, id_t, label_t, re.compile(rx)))
        except re.error as exc:
            raise DataError(f"patterns.tsv: bad regular expression {rx!r}: {exc}") from None
    return tuple(out)


@lru_cache(maxsize=None)
def words() -> dict[str, frozenset[str]]:
    """words.tsv by category, lower-cased ("Jurisdiction=china" → "jurisdiction=china"); a category
    listed on several rows has the words of all of them (so rows can be added at the file's end)."""
    out: dict[str, frozenset[str]] = {}
    for r in _rows("words.tsv", 2):
        found = frozenset(w.strip().lower() for w in r[1].split("|") if w.strip())
        out[r[0].strip()] = out.get(r[0].strip(), frozenset()) | found
    return out


def word_set(category: str) -> frozenset[str]:
    """One word list from words.tsv; an unknown category names the valid ones."""
    lists = words()
    if category not in lists:
        raise DataError(f"unknown word list {category!r}; valid: {', '.join(sorted(lists))}")
    return lists[category]


@lru_cache(maxsize=None)
def word_map(category: str) -> dict[str, str]:
    """A words.tsv list of ``key=value`` pairs ("accusation=accuse") as a dict (read once; entries
    without "=" are left out)."""
    return dict(w.split("=", 1) for w in word_set(category) if "=" in w)


@lru_cache(maxsize=None)
def country_domains() -> dict[str, str]:
    """ontology/cctld.tsv: a country-code top-level domain → the jurisdiction's id."""
    rows = _rows("cctld.tsv", 2)
    return {r[0].strip(): r[1].strip() for r in rows[1:] if r[0].strip()}


@lru_cache(maxsize=None)
def frame_rows() -> tuple[FrameRow, ...]:
    """ontology/frames.tsv: frame patterns (lemma, preposition) → property, by semantic role."""
    rows = _rows("frames.tsv", 5)
    if rows and rows[0][0] == "lemma":
        rows = rows[1:]
    out = []
    for r in rows:
        row = FrameRow(r[0].strip(), r[1].strip(), r[2].strip(), r[3].strip(), r[4].strip())
        for role in (row.subject, row.object):
            if role.split(":")[0] not in ROLES:
                raise DataError(f"frames.tsv: {row.lemma!r} has the role {role!r}; valid: {', '.join(sorted(ROLES))}")
        out.append(row)
    return tuple(out)


@lru_cache(maxsize=None)
def frame_index() -> dict[tuple[str, str], FrameRow]:
    """(lemma, preposition) → the first frames.tsv row for it."""
    index: dict[tuple[str, str], FrameRow] = {}
    for row in frame_rows():
        index.setdefault((row.lemma, row.prep), row)
    return index


@lru_cache(maxsize=None)
def lexicon_index() -> dict[tuple[str, str, str], str]:
    """(lemma, prep, voice) → property, as the noun-phrase extractors ask it: an agent-subject row
    answers the active voice, a patient-subject (inverse) row the passive with "by"."""
    index: dict[tuple[str, str, str], str] = {}
    for e in frame_rows():
        if e.subject == "agent":
            index.setdefault((e.lemma, e.prep, "active"), e.prop)
        elif e.subject == "patient" and e.object == "agent":
            index.setdefault((e.lemma, "by", "passive"), e.prop)
    return index
