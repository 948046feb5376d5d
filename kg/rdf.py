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
from typing import Iterable
from urllib.parse import quote

import pyoxigraph as ox
from rdflib import RDF, RDFS, XSD, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from . import __version__, resources
from .documents import Document
from .records import ORG_CLASSES, Entity, Fact, Value
from .vocab import DOC, FACT, GRAPH, ID, KG, OA, ORG, PROV, SCHEMA, term

# How a fact was said; only "asserted" facts are also stated as direct triples.
MODALITIES = {"asserted": KG.Asserted, "possible": KG.Possible, "intended": KG.Intended, "desired": KG.Desired}


def entity_iri(key: str) -> URIRef:
    """Stable IRI from an entity key; every path segment is percent-encoded."""
    return ID["/".join(quote(part, safe="-._~") for part in key.split("/"))]


def doc_iri(doc_id: str) -> URIRef:
    return DOC[quote(doc_id, safe="-._~")]


def graph_iri(doc_id: str) -> URIRef:
    return GRAPH[quote(doc_id, safe="-._~")]


def fact_iri(fact: Fact) -> URIRef:
    obj = fact.obj.key if isinstance(fact.obj, Entity) else fact.obj.text
    digest = hashlib.sha1("\x1f".join([fact.subject.key, fact.prop, fact.label, obj, str(fact.evidence.start),
                                       str(fact.negated), fact.modality]).encode()).hexdigest()[:16]
    return FACT[f"{quote(fact.evidence.doc_id, safe='-._~')}/{digest}"]


def literal(value: Value) -> Literal:
    """Dates typed as xsd:date, xsd:gYearMonth or xsd:gYear when they are real dates; else text."""
    if value.kind == "date":
        text = value.text
        try:
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) and date.fromisoformat(text):
                return Literal(text, datatype=XSD.date)
            if re.fullmatch(r"\d{4}-\d{2}", text) and 1 <= int(text[5:]) <= 12:
                return Literal(text, datatype=XSD.gYearMonth)
        except ValueError:
            return Literal(text)
        if re.fullmatch(r"\d{4}", text):
            return Literal(text, datatype=XSD.gYear)
    return Literal(value.text)


def add_entity(g: Graph, ent: Entity) -> URIRef:
    """An entity's IRI, with its class, labels and parent written once per graph."""
    iri = entity_iri(ent.key)
    if (iri, SKOS.prefLabel, None) in g:
        return iri
    g.add((iri, RDF.type, term(ent.cls)))
    g.add((iri, SKOS.prefLabel, Literal(ent.label, lang="en")))
    g.add((iri, RDFS.label, Literal(ent.label, lang="en")))
    for alias in ent.aliases:
        if alias != ent.label:
            g.add((iri, SKOS.altLabel, Literal(alias, lang="en")))
    if ent.cls == "Tier":
        g.add((iri, SKOS.inScheme, KG.TierScheme))
    if ent.part_of:
        parent = resources.gazetteer_by_id().get(ent.part_of)
        if parent is not None:
            p_iri = add_entity(g, Entity(parent.id, parent.cls, parent.label, parent.aliases, parent.part_of, True))
            if ent.cls in ORG_CLASSES and parent.cls in ORG_CLASSES:
                g.add((iri, ORG.subOrganizationOf, p_iri))
            else:
                g.add((iri, KG.partOf, p_iri))
    return iri


def valid_iri(text: str) -> bool:
    """Whether text is an IRI Oxigraph accepts (a front matter's ``source`` may be any text)."""
    try:
        ox.NamedNode(text)
    except ValueError:
        return False
    return True


def add_document(g: Graph, document: Document, publisher: Entity | None) -> URIRef:
    d = doc_iri(document.doc_id)
    g.add((d, RDF.type, KG.Document))
    g.add((d, DCTERMS.identifier, Literal(document.doc_id)))
    g.add((d, KG.sha256, Literal(document.sha256)))
    if document.title:
        g.add((d, DCTERMS.title, Literal(document.title)))
    if document.date:
        g.add((d, DCTERMS.date, literal(Value(document.date, "date"))))
    if document.place:
        g.add((d, KG.place, Literal(document.place)))
    if document.meta.get("language"):
        g.add((d, DCTERMS.language, Literal(document.meta["language"])))
    source = document.meta.get("source")
    if source:
        url = re.match(r"https?://[^\s<>\"{}|\\^`]+", source)
        g.add((d, DCTERMS.source, URIRef(url.group(0)) if url and valid_iri(url.group(0)) else Literal(source)))
    if publisher is not None:
        p = add_entity(g, publisher)
        g.add((d, DCTERMS.publisher, p))
        g.add((d, PROV.wasAttributedTo, p))
    return d


def add_fact(g: Graph, fact: Fact, d: URIRef) -> URIRef:
    s = add_entity(g, fact.subject)
    o = add_entity(g, fact.obj) if isinstance(fact.obj, Entity) else literal(fact.obj)
    p = term(fact.prop)
    f = fact_iri(fact)
    g.add((f, RDF.type, KG.Fact))
    g.add((f, RDF.subject, s))
    g.add((f, RDF.predicate, p))
    g.add((f, RDF.object, o))
    g.add((f, KG.predicateLabel, Literal(fact.label, lang="en")))
    g.add((f, KG.negated, Literal(fact.negated)))
    g.add((f, KG.modality, MODALITIES[fact.modality]))
    g.add((f, PROV.wasDerivedFrom, d))
    for name, value in fact.qualifiers:
        g.add((f, KG.qualifier, Literal(f"{name}={value}")))
    if fact.attributed_to is not None:
        g.add((f, PROV.wasAttributedTo, add_entity(g, fact.attributed_to)))
    ev, pos, quote_ = URIRef(f"{f}/evidence"), URIRef(f"{f}/position"), URIRef(f"{f}/quote")
    g.add((f, KG.evidence, ev))
    g.add((ev, RDF.type, KG.Evidence))
    g.add((ev, OA.hasSource, d))
    g.add((ev, OA.hasSelector, pos))
    g.add((ev, OA.hasSelector, quote_))
    g.add((pos, RDF.type, OA.TextPositionSelector))
    g.add((pos, OA.start, Literal(fact.evidence.start)))
    g.add((pos, OA.end, Literal(fact.evidence.end)))
    g.add((quote_, RDF.type, OA.TextQuoteSelector))
    g.add((quote_, OA.exact, Literal(fact.evidence.text)))
    if not fact.negated and fact.modality == "asserted":
        g.add((s, p, o))
    if isinstance(fact.obj, Entity) and fact.obj.cls == "Claim":
        g.add((o, SCHEMA.text, Literal(fact.obj.label, lang="en")))
        g.add((o, SCHEMA.appearance, d))
        if fact.prop in ("alleges", "states"):
            g.add((o, SCHEMA.author, s))
    if fact.prop == "ranksAt" and not fact.negated and fact.modality == "asserted":
        add_ranking(g, fact, s, o, d)
    return f


def add_ranking(g: Graph, fact: Fact, area: URIRef, tier: URIRef, d: URIRef) -> None:
    quals = dict(fact.qualifiers)
    report = quals.get("report", "")
    # one ranking per report (or, without a dated report, per year and tier) and area
    scope = report if report and report != "tip-report" else f"{report or 'unknown'}/{quals.get('year') or fact.obj.key}"
    r = entity_iri(f"ranking/{scope}/{fact.subject.key}")
    g.add((r, RDF.type, KG.Ranking))
    g.add((r, RDFS.label, Literal(f"{fact.subject.label} at {fact.obj.label}"
                                  + (f" ({quals['year']})" if quals.get("year") else ""), lang="en")))
    g.add((r, KG.rankedArea, area))
    g.add((r, KG.tier, tier))
    g.add((r, PROV.wasDerivedFrom, d))
    if report:
        g.add((r, KG.rankedIn, entity_iri(report)))
    if quals.get("year"):
        g.add((r, KG.rankingYear, Literal(quals["year"], datatype=XSD.gYear)))


def build_dataset(results: Iterable[tuple[Document, Entity | None, list[Fact]]]) -> Dataset:
    """One named graph per document, plus the build's own provenance in the default graph."""
    ds = Dataset()
    bind(ds)
    run = URIRef(f"https://w3id.org/kg/build/kg-{__version__}")
    ds.add((run, RDF.type, KG.Build))
    ds.add((run, RDFS.label, Literal(f"kg {__version__}")))
    for document, publisher, facts in results:
        g = ds.graph(graph_iri(document.doc_id))
        d = add_document(g, document, publisher)
        g.add((d, PROV.wasGeneratedBy, run))
        for fact in facts:
            add_fact(g, fact, d)
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
    """Stands in for an rdflib Graph while a document's triples are made: a plain set (rdflib's
    Memory store is most of the cost of a large build), with the one lookup ``add_entity`` needs."""

    def __init__(self) -> None:
        self.triples: set[tuple] = set()
        self._pairs: set[tuple] = set()

    def add(self, triple: tuple) -> None:
        self.triples.add(triple)
        self._pairs.add(triple[:2])

    def __contains__(self, pattern: tuple) -> bool:
        s, p, o = pattern
        return (s, p) in self._pairs if o is None else (s, p, o) in self.triples


BUILD_IRI = URIRef(f"https://w3id.org/kg/build/kg-{__version__}")


def build_triples() -> list[tuple]:
    """The build's own provenance (the default graph of graph.trig)."""
    return [(BUILD_IRI, RDF.type, KG.Build), (BUILD_IRI, RDFS.label, Literal(f"kg {__version__}"))]


def document_triples(document: Document, publisher: Entity | None, facts: Iterable[Fact]) -> set[tuple]:
    """The triples of one document's named graph, as rdflib terms (the same as ``build_dataset``)."""
    g = TripleSink()
    d = add_document(g, document, publisher)  # type: ignore[arg-type]
    g.add((d, PROV.wasGeneratedBy, BUILD_IRI))
    for fact in facts:
        add_fact(g, fact, d)  # type: ignore[arg-type]
    return g.triples


def is_local(subject: object) -> bool:
    """Whether a subject belongs to one document only (its doc, facts and their evidence nodes)."""
    return isinstance(subject, str) and subject.startswith((DOC_NS, FACT_NS))


DOC_NS, FACT_NS = str(DOC), str(FACT)
