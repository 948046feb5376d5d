"""Namespaces: the kg ontology as a closed vocabulary, and where minted IRIs live."""
from __future__ import annotations

import re
from functools import lru_cache

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

from .resources import ontology_dir

BASE = "https://w3id.org/kg/"
ID = Namespace(BASE + "id/")
DOC = Namespace(BASE + "doc/")
GRAPH = Namespace(BASE + "graph/")
FACT = Namespace(BASE + "fact/")
ORG = Namespace("http://www.w3.org/ns/org#")
PROV = Namespace("http://www.w3.org/ns/prov#")
OA = Namespace("http://www.w3.org/ns/oa#")
SCHEMA = Namespace("https://schema.org/")
CITO = Namespace("http://purl.org/spar/cito/")


@lru_cache(maxsize=None)
def terms() -> frozenset[str]:
    """Local names defined in ontology/kg.ttl (read as text: cheap, and the file is the truth)."""
    text = (ontology_dir() / "kg.ttl").read_text(encoding="utf-8")
    return frozenset(re.findall(r"^kg:(\w+) a ", text, flags=re.M))


@lru_cache(maxsize=None)
def labels() -> dict[str, str]:
    """rdfs:label of each kg: term, as written in ontology/kg.ttl."""
    text = (ontology_dir() / "kg.ttl").read_text(encoding="utf-8")
    return dict(re.findall(r'^kg:(\w+) a [^;]+;\s*rdfs:label "([^"]+)"', text, flags=re.M))


class KG(DefinedNamespace):
    """The kg ontology; unknown terms raise (``_fail``), so a typo cannot mint a new property."""

    _NS = Namespace("https://w3id.org/kg/ontology#")
    _fail = True
    _extras = sorted(terms())


def term(name: str) -> URIRef:
    """A kg: term by local name; an unknown one names the valid choices."""
    if name not in terms():
        raise KeyError(f"{name!r} is not in ontology/kg.ttl; valid terms: {', '.join(sorted(terms()))}")
    return KG[name]
