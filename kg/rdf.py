"""Fact records → an rdflib Dataset: one named graph per document. The only place IRIs are minted.

Each fact is a ``kg:Fact`` (an ``rdf:Statement``) with its evidence (Web Annotation selectors on
the document), negation, modality and speaker. Plain asserted facts are also stated directly
(``s kg:implements o``) so simple queries stay simple; negated, possible and alleged content is
only ever reified, never asserted. Rankings become n-ary ``kg:Ranking`` nodes, claims
``kg:Claim`` nodes (``schema:Claim``). No blank nodes: output is byte-stable across runs.
"""
from __future__ import annotations

import hashlib
import re
from datetime import date
from functools import lru_cache
from typing import Iterable
from urllib.parse import quote

import pyoxigraph as ox
from rdflib import RDF, RDFS, XSD, BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node
from rdflib.namespace import DCTERMS, SKOS

from . import __version__, resources
from .documents import Document
from .records import ORG_CLASSES, Entity, Fact, Value
from .vocab import DOC, FACT, GRAPH, ID, KG, OA, ORG, PROV, SCHEMA, term

class _Terms:
    """An rdflib namespace's terms as Oxigraph NamedNodes, each made once (a closed rdflib
    vocabulary still rejects an unknown name). Triples are made of Oxigraph terms: they are
    built, hashed and written far faster than rdflib's, and ``build_dataset`` converts them."""

    def __init__(self, ns: object) -> None:
        self.__dict__["_ns"] = ns

    def __getattr__(self, name: str) -> ox.NamedNode:
        node = ox.NamedNode(str(getattr(self._ns, name)))
        self.__dict__[name] = node
        return node


_RDF, _RDFS, _SKOS, _DCT, _XSD, _KG, _ORG, _PROV, _OA, _SCHEMA = map(
    _Terms, (RDF, RDFS, SKOS, DCTERMS, XSD, KG, ORG, PROV, OA, SCHEMA))
# How a fact was said; only "asserted" facts are also stated as direct triples.
MODALITIES = {"asserted": _KG.Asserted, "possible": _KG.Possible, "intended": _KG.Intended, "desired": _KG.Desired,
              "obligation": _KG.Obligation, "attempted": _KG.Attempted}


def _quote(key: str) -> str:
    return "/".join(quote(part, safe="-._~") for part in key.split("/"))


@lru_cache(maxsize=65_536)
def _entity(key: str) -> ox.NamedNode:
    return ox.NamedNode(str(ID) + _quote(key))


@lru_cache(maxsize=256)
def _prop(name: str) -> ox.NamedNode:
    return ox.NamedNode(str(term(name)))


# IRI characters outside ASCII (RFC 3987 ucschar): a statement name's letters stay as they are
_UCSCHAR = re.compile("[\u00a0-\ud7ff\uf900-\ufdcf\ufdf0-\uffef\U00010000-\U000efffd]")


def iri_name(doc_id: str) -> str:
    """A statement name as IRI path segments: ``/`` between the parts, letters of any script
    kept (an IRI, not a URI), everything else an IRI may not hold percent-encoded."""
    return "".join(c if c in "/-._~" or c.isascii() and c.isalnum() or _UCSCHAR.match(c) and (ord(c) & 0xFFFE) != 0xFFFE
                   else quote(c, safe="") for c in doc_id)


def _doc(doc_id: str) -> ox.NamedNode:
    return ox.NamedNode(str(DOC) + iri_name(doc_id))


def entity_iri(key: str) -> URIRef:
    """Stable IRI from an entity key; every path segment is percent-encoded."""
    return URIRef(_entity(key).value)


def doc_iri(doc_id: str) -> URIRef:
    return URIRef(_doc(doc_id).value)


def graph_iri(doc_id: str) -> URIRef:
    return GRAPH[iri_name(doc_id)]


def _fact(fact: Fact) -> ox.NamedNode:
    obj = fact.obj.key if isinstance(fact.obj, Entity) else fact.obj.text
    digest = hashlib.sha1("\x1f".join([fact.subject.key, fact.prop, fact.label, obj, str(fact.evidence.start),
                                       str(fact.negated), fact.modality]).encode()).hexdigest()[:16]
    return ox.NamedNode(f"{FACT}{iri_name(fact.evidence.doc_id)}/{digest}")


def fact_iri(fact: Fact) -> URIRef:
    return URIRef(_fact(fact).value)


def _literal(value: Value) -> ox.Literal:
    if value.kind == "date":
        text = value.text
        try:
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) and date.fromisoformat(text):
                return ox.Literal(text, datatype=_XSD.date)
            if re.fullmatch(r"\d{4}-\d{2}", text) and 1 <= int(text[5:]) <= 12:
                return ox.Literal(text, datatype=_XSD.gYearMonth)
        except ValueError:
            return ox.Literal(text)
        if re.fullmatch(r"\d{4}", text):
            return ox.Literal(text, datatype=_XSD.gYear)
    return ox.Literal(value.text)


def literal(value: Value) -> Literal:
    """Dates typed as xsd:date, xsd:gYearMonth or xsd:gYear when they are real dates; else text."""
    return to_rdflib(_literal(value))  # type: ignore[return-value]


def _en(text: str) -> ox.Literal:
    return ox.Literal(text, language="en")


XSD_STRING = str(XSD.string)


def to_rdflib(t: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
    """An Oxigraph term as the rdflib term with the same meaning (plain strings stay plain)."""
    if isinstance(t, ox.NamedNode):
        return URIRef(t.value)
    if isinstance(t, ox.BlankNode):
        return BNode(t.value)
    if t.language:
        return Literal(t.value, lang=t.language)
    datatype = t.datatype.value
    return Literal(t.value) if datatype == XSD_STRING else Literal(t.value, datatype=URIRef(datatype))


def add_entity(g: TripleSink, ent: Entity) -> ox.NamedNode:
    """An entity's IRI, with its class, labels and parent written once per graph."""
    iri = _entity(ent.key)
    if iri in g.described:
        return iri
    g.described.add(iri)
    g.add((iri, _RDF.type, _prop(ent.cls)))
    g.add((iri, _SKOS.prefLabel, _en(ent.label)))
    g.add((iri, _RDFS.label, _en(ent.label)))
    for alias in ent.aliases:
        if alias != ent.label:
            g.add((iri, _SKOS.altLabel, _en(alias)))
    if ent.cls == "Tier":
        g.add((iri, _SKOS.inScheme, _KG.TierScheme))
    if ent.part_of:
        parent = resources.gazetteer_by_id().get(ent.part_of)
        if parent is not None:
            p_iri = add_entity(g, Entity(parent.id, parent.cls, parent.label, parent.aliases, parent.part_of, True))
            if ent.cls in ORG_CLASSES and parent.cls in ORG_CLASSES:
                g.add((iri, _ORG.subOrganizationOf, p_iri))
            else:
                g.add((iri, _KG.partOf, p_iri))
    return iri


def valid_iri(text: str) -> bool:
    """Whether text is an IRI Oxigraph accepts (a front matter's ``source`` may be any text)."""
    try:
        ox.NamedNode(text)
    except ValueError:
        return False
    return True


def add_document(g: TripleSink, document: Document, publisher: Entity | None) -> ox.NamedNode:
    d = _doc(document.doc_id)
    g.add((d, _RDF.type, _KG.Document))
    g.add((d, _DCT.identifier, ox.Literal(document.doc_id)))
    g.add((d, _KG.sha256, ox.Literal(document.sha256)))
    if document.title:
        g.add((d, _DCT.title, ox.Literal(document.title)))
    if document.date:
        g.add((d, _DCT.date, _literal(Value(document.date, "date"))))
    if document.place:
        g.add((d, _KG.place, ox.Literal(document.place)))
    if document.meta.get("language"):
        g.add((d, _DCT.language, ox.Literal(document.meta["language"])))
    source = document.meta.get("source")
    if source:
        url = re.match(r"https?://[^\s<>\"{}|\\^`]+", source)
        g.add((d, _DCT.source, ox.NamedNode(url.group(0)) if url and valid_iri(url.group(0)) else ox.Literal(source)))
    if publisher is not None:
        p = add_entity(g, publisher)
        g.add((d, _DCT.publisher, p))
        g.add((d, _PROV.wasAttributedTo, p))
    return d


def add_fact(g: TripleSink, fact: Fact, d: ox.NamedNode) -> ox.NamedNode:
    s = add_entity(g, fact.subject)
    o = add_entity(g, fact.obj) if isinstance(fact.obj, Entity) else _literal(fact.obj)
    p = _prop(fact.prop)
    f = _fact(fact)
    g.add((f, _RDF.type, _KG.Fact))
    g.add((f, _RDF.subject, s))
    g.add((f, _RDF.predicate, p))
    g.add((f, _RDF.object, o))
    g.add((f, _KG.predicateLabel, _en(fact.label)))
    g.add((f, _KG.negated, ox.Literal(fact.negated)))
    g.add((f, _KG.modality, MODALITIES[fact.modality]))
    g.add((f, _PROV.wasDerivedFrom, d))
    for name, value in fact.qualifiers:
        g.add((f, _KG.qualifier, ox.Literal(f"{name}={value}")))
    if fact.attributed_to is not None:
        g.add((f, _PROV.wasAttributedTo, add_entity(g, fact.attributed_to)))
    ev, pos, quote_ = (ox.NamedNode(f"{f.value}/{part}") for part in ("evidence", "position", "quote"))
    g.add((f, _KG.evidence, ev))
    g.add((ev, _RDF.type, _KG.Evidence))
    g.add((ev, _OA.hasSource, d))
    g.add((ev, _OA.hasSelector, pos))
    g.add((ev, _OA.hasSelector, quote_))
    g.add((pos, _RDF.type, _OA.TextPositionSelector))
    g.add((pos, _OA.start, ox.Literal(fact.evidence.start)))
    g.add((pos, _OA.end, ox.Literal(fact.evidence.end)))
    g.add((quote_, _RDF.type, _OA.TextQuoteSelector))
    g.add((quote_, _OA.exact, ox.Literal(fact.evidence.text)))
    if not fact.negated and fact.modality == "asserted":
        g.add((s, p, o))
    if isinstance(fact.obj, Entity) and fact.obj.cls == "Claim":
        g.add((o, _SCHEMA.text, _en(fact.obj.label)))
        g.add((o, _SCHEMA.appearance, d))
        if fact.prop in ("alleges", "states"):
            g.add((o, _SCHEMA.author, s))
    if fact.prop == "ranksAt" and not fact.negated and fact.modality == "asserted":
        add_ranking(g, fact, s, o, d)  # type: ignore[arg-type]
    return f


def add_ranking(g: TripleSink, fact: Fact, area: ox.NamedNode, tier: ox.NamedNode, d: ox.NamedNode) -> None:
    quals = dict(fact.qualifiers)
    report = quals.get("report", "")
    # one ranking per report (or, without a dated report, per year and tier) and area
    scope = report if report and report != "tip-report" else f"{report or 'unknown'}/{quals.get('year') or fact.obj.key}"
    r = _entity(f"ranking/{scope}/{fact.subject.key}")
    g.add((r, _RDF.type, _KG.Ranking))
    g.add((r, _RDFS.label, _en(f"{fact.subject.label} at {fact.obj.label}"
                               + (f" ({quals['year']})" if quals.get("year") else ""))))
    g.add((r, _KG.rankedArea, area))
    g.add((r, _KG.tier, tier))
    g.add((r, _PROV.wasDerivedFrom, d))
    if report:
        g.add((r, _KG.rankedIn, _entity(report)))
    if quals.get("year"):
        g.add((r, _KG.rankingYear, ox.Literal(quals["year"], datatype=_XSD.gYear)))


def build_dataset(results: Iterable[tuple[Document, Entity | None, list[Fact]]]) -> Dataset:
    """One named graph per document, plus the build's own provenance in the default graph: the
    same triples as the files a build writes, as an rdflib Dataset."""
    ds = Dataset()
    bind(ds)
    for triple in build_triples():
        ds.add(tuple(map(to_rdflib, triple)))  # type: ignore[arg-type]
    for document, publisher, facts in results:
        g = ds.graph(graph_iri(document.doc_id))
        for triple in sorted(document_triples(document, publisher, facts), key=str):
            g.add(tuple(map(to_rdflib, triple)))  # type: ignore[arg-type]
    return ds


PREFIXES = (("kg", KG._NS), ("id", ID), ("doc", DOC), ("fact", FACT), ("graph", GRAPH), ("org", ORG),
            ("prov", PROV), ("oa", OA), ("schema", SCHEMA), ("skos", SKOS), ("dcterms", DCTERMS),
            ("rdf", RDF._NS), ("rdfs", RDFS._NS), ("xsd", XSD._NS))


def bind(g: Graph) -> None:
    for prefix, ns in PREFIXES:
        g.bind(prefix, ns)


def union_graph(ds: Dataset) -> Graph:
    """All named graphs (and the default graph) merged into one graph, for graph.ttl."""
    g = Graph()
    bind(g)
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


# --------------------------------------------------------------------------- quads without rdflib

class TripleSink:
    """A document's triples while they are made: a plain set (``add`` is the set's own method,
    no Python call per triple), and the entities already described in it."""

    def __init__(self) -> None:
        self.triples: set[tuple] = set()
        self.add = self.triples.add
        self.described: set[ox.NamedNode] = set()


BUILD_IRI = ox.NamedNode(f"https://w3id.org/kg/build/kg-{__version__}")


def build_triples() -> list[tuple]:
    """The build's own provenance (the default graph of graph.trig)."""
    return [(BUILD_IRI, _RDF.type, _KG.Build), (BUILD_IRI, _RDFS.label, ox.Literal(f"kg {__version__}"))]


def document_triples(document: Document, publisher: Entity | None, facts: Iterable[Fact]) -> set[tuple]:
    """The triples of one document's named graph, as Oxigraph terms (``build_dataset`` has the same)."""
    g = TripleSink()
    d = add_document(g, document, publisher)
    g.add((d, _PROV.wasGeneratedBy, BUILD_IRI))
    for fact in facts:
        add_fact(g, fact, d)
    return g.triples


DOC_NS, FACT_NS = str(DOC), str(FACT)
# N-Triples lines whose subject belongs to one document only (its doc, facts and their evidence nodes)
LOCAL_NT = (f"<{DOC_NS}", f"<{FACT_NS}")
