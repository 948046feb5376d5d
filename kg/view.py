"""The interactive HTML view of a graph (vis-network, inlined) and its networkx export.

RDF → a networkx MultiDiGraph of entities (nodes) and facts (edges, each with the evidence of
every fact behind it) → one self-contained HTML page: no CDN, no network, statement text only
ever put into the page as JSON and into the DOM with ``textContent``. Above ``PHYSICS_LIMIT``
nodes the layout is computed here (communities, then each community) and physics stays off.
"""
from __future__ import annotations

import base64
import difflib
import hashlib
import html
import json
import math
import os
import re
import sys
import tempfile
from collections import defaultdict
from functools import lru_cache
from importlib import resources as ilr
from io import BytesIO
from pathlib import Path
from typing import Iterable

import networkx as nx
import pyoxigraph as ox
from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from .errors import DataError, UsageError
from .escapes import xml_text
from .guard import SparqlSyntaxError, check
from .resources import ontology_dir
from .vocab import ID, KG, OA, ORG, PROV, SCHEMA

PHYSICS_LIMIT = 300          # above this many nodes: positions from Python, physics off
SPACING = 60.0               # pixels between neighbouring nodes in a computed layout
SIZES = ("degree", "pagerank")
COLOURS = ("type", "community")
FORMATS = ("graphml", "gexf")
VIS_JS = ("templates", "lib", "vis-9.1.2", "vis-network.min.js")
ASSETS = Path(__file__).with_name("view_assets")
KG_NS = str(KG._NS)
SKIP_CLASSES = {"Fact", "Evidence", "Build", "Modality"}
SKIP_PROPS = {str(p) for p in (RDF.type, PROV.wasAttributedTo, PROV.wasGeneratedBy, SKOS.inScheme)}
PROP_LABELS = {str(p): label for p, label in (
    (ORG.subOrganizationOf, "sub-organisation of"), (DCTERMS.publisher, "publisher"),
    (PROV.wasDerivedFrom, "derived from"), (SCHEMA.appearance, "appears in"),
    (SCHEMA.author, "author"), (DCTERMS.source, "source"))}
# class → (colour, vis-network shape); everything else is drawn like a concept
STYLE = {
    "Organization": ("#4e79a7", "dot"), "Government": ("#2f5d8a", "dot"),
    "GovernmentBody": ("#5b8fc7", "dot"), "Committee": ("#86b0dd", "dot"),
    "Jurisdiction": ("#59a14f", "hexagon"), "Place": ("#8cd17d", "hexagon"),
    "Law": ("#f28e2b", "square"), "Decision": ("#ffbe7d", "square"), "Agreement": ("#d37295", "square"),
    "Report": ("#b07aa1", "triangle"), "Plan": ("#d4a6c8", "triangle"),
    "Ranking": ("#edc948", "star"), "Tier": ("#b6992d", "star"), "Claim": ("#e15759", "diamond"),
    "Document": ("#9c755f", "triangleDown"), "Person": ("#499894", "dot"), "Post": ("#86bcb6", "dot"),
    "Event": ("#ff9d9a", "triangleDown"), "Topic": ("#79706e", "dot"), "Concept": ("#bab0ac", "dot"),
}
OTHER = ("#cccccc", "dot")
# the IRIs the view's model reads, as plain strings
FACT_CLS, EVIDENCE, PRED_LABEL, NEGATED, MODALITY, ASSERTED, QUALIFIER = (
    KG_NS + name for name in ("Fact", "evidence", "predicateLabel", "negated", "modality", "Asserted", "qualifier"))
TYPE, SUBJECT, PREDICATE, OBJECT, LABEL, PREF_LABEL, ALT_LABEL, TITLE, IDENTIFIER, DATE = map(str, (
    RDF.type, RDF.subject, RDF.predicate, RDF.object, RDFS.label, SKOS.prefLabel, SKOS.altLabel,
    DCTERMS.title, DCTERMS.identifier, DCTERMS.date))
EXACT, SELECTOR, START, END = map(str, (OA.exact, OA.hasSelector, OA.start, OA.end))
DERIVED_FROM, ATTRIBUTED_TO = str(PROV.wasDerivedFrom), str(PROV.wasAttributedTo)


@lru_cache(maxsize=1)
def labels() -> dict[str, str]:
    """rdfs:label of every kg: term in ontology/kg.ttl, wherever the label sits in its statement."""
    text = (ontology_dir() / "kg.ttl").read_text(encoding="utf-8")
    found = (re.match(r'kg:(\w+) a .*?rdfs:label "([^"]+)"', block, re.S) for block in re.split(r"\n(?=kg:)", text))
    return {m.group(1): m.group(2) for m in found if m}


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _local(iri: str) -> str:
    return re.split(r"[#/]", iri.rstrip("/#"))[-1]


def prop_label(p: str) -> str:
    """A property's label: the ontology's, else a few well-known ones, else its split local name."""
    if str(p).startswith(KG_NS):
        return labels().get(_local(str(p)), _local(str(p)))
    return PROP_LABELS.get(str(p)) or re.sub(r"(?<=[a-z])(?=[A-Z])", " ", _local(str(p))).lower()


class _Literal(str):
    """A literal's lexical form, in the view's model (a plain str there is an IRI)."""


class _Blank(str):
    """A blank node's id, in the view's model."""


KINDS = {_Blank: 0, _Literal: 1, str: 2}   # link order among a subject's objects: blank, literal, IRI


def _plain(t: object) -> str:
    """Any RDF term (rdflib's or Oxigraph's) as a str: IRIs plain, literals and blank nodes marked;
    the view's model compares strings only, which is much faster than rdflib terms."""
    if type(t) in KINDS:
        return t  # type: ignore[return-value]   (already plain)
    if isinstance(t, ox.NamedNode):
        return t.value
    if isinstance(t, (ox.Literal, Literal)):
        return _Literal(t.value if isinstance(t, ox.Literal) else str(t))
    if isinstance(t, (ox.BlankNode, BNode)):
        return _Blank(t.value if isinstance(t, ox.BlankNode) else str(t))
    return str(t)


def plain_triples(triples: Iterable[tuple]) -> list[tuple[str, str, str]]:
    """Triples as the view's model reads them: plain strings, each text one object (so a pickle
    holds it once), cheap to send between processes."""
    seen: dict[tuple, str] = {}

    def one(t: object) -> str:
        if type(t) is ox.NamedNode:
            return sys.intern(t.value)   # type: ignore[attr-defined]
        v = _plain(t)
        return seen.setdefault((type(v), v), v)    # keyed by kind: a literal never stands for an IRI

    return [(one(s), one(p), one(o)) for s, p, o in triples]


def graph_model(g: Graph) -> nx.MultiDiGraph:
    """Entities, rankings, claims and documents as nodes; facts (with evidence) and links as edges.
    g is an rdflib Graph, or anything whose ``triples`` yields rdflib or Oxigraph terms."""
    by_s: dict = {}
    for s, p, o in g.triples((None, None, None)):
        s = _plain(s)
        props = by_s.get(s)
        if props is None:
            props = by_s[s] = defaultdict(list)
        props[_plain(p)].append(_plain(o))
    one = lambda s, p: (by_s[s][p] or [None])[0] if s in by_s else None  # noqa: E731
    G = nx.MultiDiGraph(documents={})
    for s in sorted(x for x in by_s if type(x) is str):
        classes = sorted(_local(t) for t in by_s[s][TYPE] if t.startswith(KG_NS))
        classes = [c for c in classes if c not in SKIP_CLASSES]
        if not classes:
            continue
        label = one(s, PREF_LABEL) or one(s, LABEL) or one(s, TITLE) or one(s, IDENTIFIER)
        aliases = sorted({str(a) for a in by_s[s][ALT_LABEL]} - {str(label)})
        G.add_node(s, label=str(label or _local(s)), cls=classes[0], aliases=aliases, docs=set(), attrs=[])
        if classes[0] == "Document":
            G.nodes[s]["docs"].add(s)
            G.graph["documents"][s] = {"title": str(label or _local(s)), "id": str(one(s, IDENTIFIER) or ""),
                                       "date": str(one(s, DATE) or "")}
    grouped: dict[tuple, list[dict]] = defaultdict(list)
    for f in sorted(s for s in by_s if FACT_CLS in by_s[s][TYPE]):
        s, p, o = one(f, SUBJECT), one(f, PREDICATE), one(f, OBJECT)
        if s is None or str(s) not in G or p is None or o is None:
            continue
        ev = one(f, EVIDENCE)
        selectors = by_s.get(ev, {}).get(SELECTOR, []) if ev else []
        quote = next((one(x, EXACT) for x in selectors if one(x, EXACT) is not None), None)
        pos = next((x for x in selectors if one(x, START) is not None), None)
        doc, speaker = one(f, DERIVED_FROM), one(f, ATTRIBUTED_TO)
        fact = {"iri": str(f), "sentence": str(quote or ""), "doc": str(doc or ""),
                "start": int(one(pos, START)) if pos else -1, "end": int(one(pos, END)) if pos else -1,
                "negated": str(one(f, NEGATED)).lower() == "true", "possible": one(f, MODALITY) not in (None, ASSERTED),
                "speaker": str(speaker) if speaker is not None and str(speaker) in G else "",
                "qualifiers": sorted(str(q) for q in by_s[f][QUALIFIER])}
        label = str(one(f, PRED_LABEL) or prop_label(p))
        if isinstance(o, _Literal) or str(o) not in G:
            G.nodes[str(s)]["attrs"].append({"label": label, "value": str(o), "fact": fact})
            G.nodes[str(s)]["docs"] |= {fact["doc"]} - {""}
        else:
            grouped[(str(s), str(o), str(p), label)].append(fact)
    for (s, o, p, label), facts in sorted(grouped.items()):
        docs = {f["doc"] for f in facts if f["doc"]}
        G.add_edge(s, o, label=label, prop=p, facts=facts, docs=docs)
        G.nodes[s]["docs"] |= docs
        G.nodes[o]["docs"] |= docs
    linked = {frozenset((u, v)) for u, v in G.edges()}
    for s in sorted(x for x in by_s if str(x) in G):
        for p in sorted(by_s[s], key=str):
            for o in sorted(by_s[s][p], key=lambda o: (KINDS[type(o)], str(o))):
                if p in SKIP_PROPS or str(o) not in G or str(o) == str(s) or frozenset((str(s), str(o))) in linked:
                    continue
                G.add_edge(str(s), str(o), label=prop_label(p), prop=str(p), facts=[], docs=set())
                for a, b in ((str(s), str(o)), (str(o), str(s))):
                    if G.nodes[b]["cls"] == "Document":
                        G.nodes[a]["docs"].add(b)
    return G


def induced(G: nx.MultiDiGraph, nodes: Iterable[str]) -> nx.MultiDiGraph:
    """The subgraph on nodes, built in a fixed order (networkx's subgraph views iterate a set)."""
    keep = set(nodes)
    H = nx.MultiDiGraph(**{**G.graph, "documents": {k: v for k, v in G.graph.get("documents", {}).items()
                                                   if any(k in G.nodes[n]["docs"] for n in keep)}})
    H.add_nodes_from((n, G.nodes[n]) for n in G if n in keep)
    H.add_edges_from((u, v, k, d) for u, v, k, d in G.edges(keys=True, data=True) if u in keep and v in keep)
    return H


def find_node(G: nx.MultiDiGraph, name: str) -> str:
    """The node a user means by a label, alias, IRI or IRI tail; a usage error names close matches."""
    want = name.strip().casefold()
    for key in ("label", "aliases", "iri"):
        hits = sorted(n for n, d in G.nodes(data=True)
                      if (key == "label" and d["label"].casefold() == want)
                      or (key == "aliases" and want in (a.casefold() for a in d["aliases"]))
                      or (key == "iri" and want in (n.casefold(), n.removeprefix(str(ID)).casefold())))
        if len(hits) == 1:
            return hits[0]
        if hits:
            raise UsageError(f"{name!r} names {len(hits)} entities: " + "; ".join(f"{G.nodes[h]['label']} <{h}>" for h in hits[:5]))
    close = difflib.get_close_matches(name, sorted({d["label"] for _, d in G.nodes(data=True)}), n=5, cutoff=0.5)
    raise UsageError(f"no entity called {name!r} in the graph" + (f"; did you mean: {', '.join(close)}?" if close else ""))


def neighbourhood(G: nx.MultiDiGraph, focus: str, depth: int = 1) -> nx.MultiDiGraph:
    """The entity called ``focus`` and everything within ``depth`` links of it, either direction."""
    if depth < 0:
        raise UsageError(f"--depth must be 0 or more, not {depth}")
    centre = find_node(G, focus)
    keep = nx.single_source_shortest_path_length(G.to_undirected(as_view=True), centre, cutoff=depth)
    H = induced(G, keep)
    H.graph["focus"] = centre
    return H


def query_nodes(g: Graph, G: nx.MultiDiGraph, text: str) -> nx.MultiDiGraph:
    """The subgraph of the nodes a SPARQL SELECT/CONSTRUCT/DESCRIBE names (a fact names its two ends)."""
    try:
        checked = check(text)      # rdflib too would answer a SERVICE by fetching its URL
    except SparqlSyntaxError as exc:
        raise UsageError(f"cannot run the query ({exc})") from None
    try:
        result = g.query(checked.text)
    except Exception as exc:  # rdflib raises pyparsing and many other error types
        raise UsageError(f"cannot run the query ({type(exc).__name__}: {str(exc).splitlines()[0][:200] if str(exc) else ''})") from None
    if result.type == "ASK":
        raise UsageError("an ASK query has no graph to draw; use SELECT, CONSTRUCT or DESCRIBE")
    terms = [t for row in result for t in row] if result.type == "SELECT" else [t for s, _, o in result for t in (s, o)]
    iris = set()
    for t in terms:
        if isinstance(t, URIRef):
            iris.add(str(t))
            if (t, RDF.type, URIRef(FACT_CLS)) in g:
                iris |= {str(x) for x in (g.value(t, RDF.subject), g.value(t, RDF.object)) if x is not None}
    keep = sorted(iris & set(G))
    if not keep:
        raise DataError("the query names no entity of the graph")
    return induced(G, keep)


def communities(G: nx.MultiDiGraph) -> dict[str, int]:
    """Louvain communities (fixed seed), numbered largest first; integers inside so the hash seed cannot matter."""
    order = sorted(G)
    simple = nx.Graph()
    simple.add_nodes_from(range(len(order)))
    index = {n: i for i, n in enumerate(order)}
    simple.add_edges_from(sorted({tuple(sorted((index[u], index[v]))) for u, v in G.edges() if u != v}))
    parts = sorted((sorted(c) for c in nx.community.louvain_communities(simple, seed=0)), key=lambda c: (-len(c), c[0]))
    return {order[i]: k for k, part in enumerate(parts) for i in part}


MANY_COMMUNITIES = 400


def _spiral(radius):
    """Disc centres on a sunflower spiral, largest first, each ring far enough out for the discs
    already placed: no overlaps to push apart, linear in the number of discs."""
    import numpy as np

    order = np.argsort(-radius, kind="stable")
    centre = np.zeros((len(radius), 2))
    area = 0.0
    for rank, i in enumerate(order):
        area += (2 * radius[i] + SPACING) ** 2
        r = math.sqrt(area / math.pi) * 1.2
        angle = rank * math.pi * (3 - math.sqrt(5))       # the golden angle
        centre[i] = (r * math.cos(angle), r * math.sin(angle))
    return centre


def layout(G: nx.MultiDiGraph, community: dict[str, int]) -> dict[str, tuple[float, float]]:
    """Positions for a large graph, fast: lay out the graph of communities, then each community in its disc."""
    import numpy as np

    members: dict[int, list[str]] = defaultdict(list)
    for n in sorted(G):
        members[community[n]].append(n)
    between = nx.Graph()
    between.add_nodes_from(sorted(members))
    for u, v in G.edges():
        a, b = sorted((community[u], community[v]))
        if a != b:
            between.add_edge(a, b, weight=between.get_edge_data(a, b, {"weight": 0})["weight"] + 1)
    keys = sorted(members)
    radius = np.array([SPACING * (math.sqrt(len(members[k])) * 0.75 + 0.5) for k in keys])
    if len(keys) > MANY_COMMUNITIES:
        centre = _spiral(radius)      # thousands of small communities: O(k) packing, no k×k arrays
    else:
        start = nx.spring_layout(between, seed=0, weight="weight", iterations=60) if len(keys) > 1 else {keys[0]: (0.0, 0.0)}
        centre = np.array([start[k] for k in keys], dtype=float) * math.sqrt(1.5 * float((radius ** 2).sum()))
    for _ in range(0 if len(keys) > MANY_COMMUNITIES else 200):  # push overlapping discs apart, a quarter of each overlap at a time
        d = centre[:, None, :] - centre[None, :, :]
        dist = np.sqrt((d ** 2).sum(-1)) + np.eye(len(keys))
        overlap = np.clip(radius[:, None] + radius[None, :] + SPACING / 2 - dist, 0, None) * (1 - np.eye(len(keys)))
        if overlap.max(initial=0) < SPACING / 2:
            break
        centre += (d / dist[..., None] * overlap[..., None] / 4).sum(1)
    pos: dict[str, tuple[float, float]] = {}
    for k, c, r in zip(keys, centre, radius):
        nodes = members[k]
        idx = {n: i for i, n in enumerate(nodes)}
        sub = nx.Graph()  # built in sorted order: networkx subgraph views iterate sets
        sub.add_nodes_from(range(len(nodes)))
        sub.add_edges_from(sorted({tuple(sorted((idx[u], idx[v]))) for u, v in G.subgraph(nodes).edges() if u != v}))
        inner = nx.spring_layout(sub, seed=0, iterations=40 if len(nodes) < 400 else 15) if len(nodes) > 1 else {0: (0.0, 0.0)}
        pts = np.array([inner[i] for i in range(len(nodes))], dtype=float)
        pts -= pts.mean(axis=0)
        # keep each node's direction, spread the distances evenly over the disc (outliers stay inside)
        rank = np.empty(len(nodes))
        rank[np.argsort(np.hypot(pts[:, 0], pts[:, 1]), kind="stable")] = (np.arange(len(nodes)) + 0.5) / len(nodes)
        angle = np.arctan2(pts[:, 1], pts[:, 0])
        dist = np.sqrt(rank) * (r - SPACING / 2) if len(nodes) > 1 else np.zeros(1)
        pts = np.stack([dist * np.cos(angle), dist * np.sin(angle)], axis=1)
        for n, (x, y) in zip(nodes, pts + c):
            pos[n] = (round(float(x), 1), round(float(y), 1))
    return pos


def payload(G: nx.MultiDiGraph, title: str, size: str = "degree", colour: str = "type") -> dict:
    """What the page draws, as plain JSON-able data (nodes and edges numbered in IRI order)."""
    if size not in SIZES or colour not in COLOURS:
        raise UsageError(f"size must be one of {', '.join(SIZES)}; colour one of {', '.join(COLOURS)}")
    order = sorted(G)
    index = {n: i for i, n in enumerate(order)}
    docs = sorted(G.graph.get("documents", {}).items(), key=lambda kv: (kv[1]["date"], kv[1]["title"], kv[0]))
    doc_index = {iri: i for i, (iri, _) in enumerate(docs)}
    classes = sorted({G.nodes[n]["cls"] for n in order}, key=lambda c: (list(STYLE).index(c) if c in STYLE else 99, c))
    cls_index = {c: i for i, c in enumerate(classes)}
    sentences: dict[str, int] = {}
    rank = nx.pagerank(G) if len(G) else {}
    community = communities(G) if len(G) else {}
    physics = len(G) <= PHYSICS_LIMIT
    pos = {} if physics else layout(G, community)

    def fact(f: dict) -> list:
        return [sentences.setdefault(f["sentence"], len(sentences)), doc_index.get(f["doc"], -1), f["start"], f["end"],
                int(f["negated"]) + 2 * int(f["possible"]), index.get(f["speaker"], -1), f["qualifiers"]]

    nodes = []
    for i, n in enumerate(order):
        d = G.nodes[n]
        node = {"id": i, "label": d["label"], "cls": cls_index[d["cls"]], "iri": n, "aliases": d["aliases"],
                "docs": sorted(doc_index[x] for x in d["docs"] if x in doc_index), "deg": G.degree(n),
                "pr": float(f"{rank.get(n, 0):.4g}"), "com": community.get(n, 0),
                "attrs": [[a["label"], a["value"], fact(a["fact"])] for a in d["attrs"]]}
        if n in pos:
            node["x"], node["y"] = pos[n]
        nodes.append(node)
    edges, parallel = [], defaultdict(int)
    for u, v, d in sorted(G.edges(data=True), key=lambda e: (index[e[0]], index[e[1]], e[2]["label"], e[2]["prop"])):
        pair = frozenset((u, v))
        edges.append({"id": len(edges), "from": index[u], "to": index[v], "label": d["label"], "prop": d["prop"],
                      "docs": sorted(doc_index[x] for x in d["docs"] if x in doc_index),
                      "facts": [fact(f) for f in d["facts"]], "k": parallel[pair]})
        parallel[pair] += 1
    return {"title": title, "physics": physics, "size": size, "colour": colour,
            "focus": index.get(G.graph.get("focus", ""), -1),
            "classes": [{"id": c, "label": _capital(labels().get(c, c)), "color": STYLE.get(c, OTHER)[0],
                         "shape": STYLE.get(c, OTHER)[1]} for c in classes],
            "docs": [{"iri": iri, **d} for iri, d in docs], "sentences": list(sentences), "nodes": nodes, "edges": edges}


def script_json(data: object) -> str:
    """JSON that cannot end a <script> element or open markup: <, >, & and line separators escaped."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return text


def vis_js() -> str:
    """vis-network's JavaScript as shipped inside the installed pyvis package."""
    path = ilr.files("pyvis").joinpath(*VIS_JS)
    if not path.is_file():
        raise UsageError("pyvis does not ship vis-network 9.1.2 (templates/lib/vis-9.1.2); reinstall kg's dependencies")
    return path.read_text(encoding="utf-8")


def render_html(G: nx.MultiDiGraph, title: str = "kg graph", size: str = "degree", colour: str = "type") -> str:
    """The self-contained page: template + inlined vis-network + data (as JSON) + the page's script."""
    scripts = [vis_js(), (ASSETS / "view.js").read_text(encoding="utf-8")]
    hashes = " ".join("'sha256-%s'" % base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() for s in scripts)
    page = (ASSETS / "view.html").read_text(encoding="utf-8")
    parts = {"{{TITLE}}": html.escape(title), "{{CSP_SCRIPTS}}": hashes,
             "{{CSS}}": (ASSETS / "view.css").read_text(encoding="utf-8"), "{{DATA}}": script_json(payload(G, title, size, colour)),
             "{{VIS}}": scripts[0], "{{JS}}": scripts[1]}
    return re.sub("|".join(re.escape(k) for k in parts), lambda m: parts[m.group(0)], page)


def default_title(G: nx.MultiDiGraph) -> str:
    """The statement's title for a one-statement graph, else how many statements it holds."""
    docs = G.graph.get("documents", {})
    if len(docs) == 1:
        return next(iter(docs.values()))["title"]
    return f"Knowledge graph of {len(docs)} statements"


def page_bytes(g: Graph, title: str | None = None) -> bytes:
    """graph.html of a whole graph, for ``kg build``."""
    G = graph_model(g)
    return render_html(G, title or default_title(G)).encode("utf-8")


def write_view(graph: str | Path, out: str | Path, focus: str | None = None, depth: int = 1,
               query: str | Path | None = None, size: str = "degree", colour: str = "type") -> nx.MultiDiGraph:
    """``kg view``: read a graph (build folder, .ttl, .trig), narrow it, write its page to out; the drawn model."""
    from .validate import load_graph

    G = select(load_graph(graph), focus, depth, query)
    title = default_title(G) if focus is None and query is None else \
        " · ".join(x for x in (f"around {G.nodes[G.graph['focus']]['label']} (depth {depth})" if focus is not None else "",
                               f"query {Path(query).name}" if query is not None else "") if x)
    write_file(out, render_html(G, title, size, colour).encode("utf-8"))
    return G


def select(g: Graph, focus: str | None = None, depth: int = 1, query: str | Path | None = None) -> nx.MultiDiGraph:
    """The model of g, narrowed to a query's result and/or an entity's neighbourhood."""
    G = graph_model(g)
    if query is not None:
        try:
            text = Path(query).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"{query}: cannot read the query ({exc.__class__.__name__})") from None
        G = query_nodes(g, G, text)
    return neighbourhood(G, focus, depth) if focus is not None else G


def write_file(path: str | Path, data: bytes) -> Path:
    """Write data to path atomically (a temporary file beside it, then a rename)."""
    out = Path(path)
    if out.is_dir():
        raise UsageError(f"{out}: is a folder; give a file name")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    except OSError as exc:
        raise UsageError(f"{out}: cannot write ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, out)
    except OSError as exc:
        raise UsageError(f"{out}: cannot write ({exc.strerror or exc})") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return out


def export_bytes(G: nx.MultiDiGraph, fmt: str = "graphml") -> bytes:
    """The model as GraphML or GEXF (for Gephi, Cytoscape, yEd): scalar attributes only."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    rank, community = (nx.pagerank(G), communities(G)) if len(G) else ({}, {})
    H = nx.MultiDiGraph()
    for n, d in sorted(G.nodes(data=True)):
        H.add_node(n, label=d["label"], type=d["cls"], iri=n, aliases="; ".join(d["aliases"]), degree=G.degree(n),
                   pagerank=float(rank.get(n, 0.0)), community=community.get(n, 0), documents=" ".join(sorted(d["docs"])),
                   values="; ".join(f"{a['label']}: {a['value']}" for a in d["attrs"]))
    for u, v, d in sorted(G.edges(data=True), key=lambda e: (e[0], e[1], e[2]["label"], e[2]["prop"])):
        H.add_edge(u, v, label=d["label"], property=d["prop"], facts=len(d["facts"]), documents=" ".join(sorted(d["docs"])),
                   evidence="\n".join(dict.fromkeys(f["sentence"] for f in d["facts"])))
    for attrs in [*(d for _, d in H.nodes(data=True)), *(d for _, _, d in H.edges(data=True))]:
        attrs.update({k: xml_text(v) for k, v in attrs.items() if isinstance(v, str)})   # XML 1.0 forbids C0 characters
    buf = BytesIO()
    (nx.write_graphml if fmt == "graphml" else nx.write_gexf)(H, buf)
    return buf.getvalue()
