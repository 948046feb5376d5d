"""SPARQL over a built graph: named competency queries, parameters bound as RDF terms, results
in the W3C SPARQL 1.1 result formats (JSON, XML, CSV, TSV), as a text table, or as RDF.

Named queries are the ``.rq`` files of ``kg/queries``; each opens with a comment header: the
question it answers on the first line, a description, and one line per parameter::

    # param ?area (iri, optional): the area, e.g. id:macao-sar
    # param ?from (date, default 0001-01-01): first day

Its WHERE clause opens with one row of UNDEFs for the parameters, ``VALUES (?report ?area)
{ (UNDEF UNDEF) }``, so the file is plain SPARQL; ``fill`` puts the parameters' RDF terms in that
row (N-Triples written by pyoxigraph: ``x" } DROP ALL #`` is one string literal, never query
text), where the planner sees them. Ad-hoc queries get theirs as pyoxigraph ``substitutions``
(SEP-0007), which must be projected variables.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import Any, Iterable, Mapping

import pyoxigraph as ox

from .errors import DataError, UsageError
from .guard import Checked, Refused, check

XSD = "http://www.w3.org/2001/XMLSchema#"
PREFIXES: dict[str, str] = {
    "kg": "https://w3id.org/kg/ontology#", "id": "https://w3id.org/kg/id/", "doc": "https://w3id.org/kg/doc/",
    "fact": "https://w3id.org/kg/fact/", "graph": "https://w3id.org/kg/graph/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": XSD, "owl": "http://www.w3.org/2002/07/owl#", "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/", "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#", "oa": "http://www.w3.org/ns/oa#", "schema": "https://schema.org/",
    "eli": "http://data.europa.eu/eli/ontology#", "cito": "http://purl.org/spar/cito/",
}
RESULT_FORMATS = ("table", "csv", "tsv", "json", "xml")
GRAPH_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
                 "ntriples": ox.RdfFormat.N_TRIPLES, "n-triples": ox.RdfFormat.N_TRIPLES,
                 "json-ld": ox.RdfFormat.JSON_LD, "jsonld": ox.RdfFormat.JSON_LD, "xml": ox.RdfFormat.RDF_XML,
                 "rdf/xml": ox.RdfFormat.RDF_XML, "n3": ox.RdfFormat.N3}
KINDS = ("iri", "string", "date", "year", "integer", "term")
VALUES_ROW = re.compile(r"VALUES\s*\(([?$\w\s]*)\)\s*\{\s*\(((?:\s*UNDEF)*)\s*\)\s*\}")

Term = Any  # a pyoxigraph NamedNode, BlankNode, Literal or Triple


class QuerySyntaxError(UsageError):
    """The query does not parse; the message keeps the parser's line and column."""


@dataclass(frozen=True)
class Param:
    """A named query's parameter: variable name, kind of RDF term, default, and help text."""

    name: str
    kind: str
    default: str | None
    optional: bool
    doc: str


@dataclass(frozen=True)
class NamedQuery:
    name: str
    question: str
    description: str
    params: tuple[Param, ...]
    text: str


@dataclass
class Result:
    """A query result: ``kind`` is select, ask or graph; rows stop at the row cap (``truncated``)."""

    kind: str
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Term | None, ...]] = field(default_factory=list)
    triples: list[Any] = field(default_factory=list)
    boolean: bool | None = None
    truncated: bool = False


# --------------------------------------------------------------------------- named queries

def queries_dir() -> Path:
    """The folder of shipped named queries (kg/queries, in the source tree and when installed)."""
    return Path(__file__).resolve().parent / "queries"


def parse_header(text: str) -> tuple[str, str, tuple[Param, ...]]:
    """(question, description, params) from a .rq file's leading comment lines."""
    lines = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        lines.append(line[1:].strip())
    params, prose = [], []
    for line in lines:
        m = re.fullmatch(r"param\s+\?(\w+)\s*\((\w+)(?:,\s*(optional|default\s+([^)]*)))?\)\s*:?\s*(.*)", line)
        if m:
            name, kind, flag, default, doc = m.groups()
            if kind not in KINDS:
                raise DataError(f"parameter ?{name}: unknown kind {kind!r}; valid: {', '.join(KINDS)}")
            params.append(Param(name, kind, default.strip() if default else None, flag is not None, doc))
        elif line.startswith("param"):
            raise DataError(f"bad parameter line {line!r}; expected '# param ?name (kind[, optional|, default X]): text'")
        elif line:
            prose.append(line)
    return (prose[0] if prose else ""), " ".join(prose[1:]), tuple(params)


@lru_cache(maxsize=None)
def named_queries() -> dict[str, NamedQuery]:
    """Every shipped named query, by name (the file stem)."""
    out = {}
    for path in sorted(queries_dir().glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        try:
            question, description, params = parse_header(text)
        except DataError as exc:
            raise DataError(f"{path}: {exc}") from None
        rows = VALUES_ROW.findall(text)
        declared = sorted(p.name for p in params)
        if declared and (len(rows) != 1 or sorted(v.lstrip("?$") for v in rows[0][0].split()) != declared):
            raise DataError(f"{path}: needs one 'VALUES (?{' ?'.join(declared)}) {{ (UNDEF …) }}' row "
                            "for its parameters")
        out[path.stem] = NamedQuery(path.stem, question, description, params, text)
    return out


def named_query(name: str) -> NamedQuery:
    """One named query; an unknown name lists the known ones."""
    queries = named_queries()
    if name not in queries:
        raise UsageError(f"no named query {name!r}; known: {', '.join(queries)}")
    return queries[name]


def describe_queries() -> str:
    """The named queries as text: name, question, parameters (for ``kg query --list``)."""
    blocks = []
    for q in named_queries().values():
        lines = [f"{q.name}\n  {q.question}"]
        for p in q.params:
            how = "optional" if p.optional else (f"default {p.default}" if p.default else "required")
            lines.append(f"  --param {p.name}=…  ({p.kind}, {how}) {p.doc}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


# --------------------------------------------------------------------------- parameters

def expand(name: str) -> str:
    """A prefixed name (``id:macao-sar``) or ``<iri>`` as a full IRI; anything else unchanged."""
    if name.startswith("<") and name.endswith(">"):
        return name[1:-1]
    prefix, sep, local = name.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        return PREFIXES[prefix] + local
    return name


def to_term(value: str, kind: str = "term") -> Term:
    """A parameter value as an RDF term of the given kind.

    ``iri``: ``<…>``, a full IRI, ``prefix:name``, or a bare name under ``id:``; ``string``,
    ``date`` (xsd:date), ``year`` (xsd:gYear), ``integer``; ``term`` guesses: an IRI when it is
    written as one, an integer when it is one, else a plain string.
    """
    def literal(datatype: str, pattern: str) -> Term:
        if not re.fullmatch(pattern, value):
            raise UsageError(f"{value!r} is not a valid {kind}")
        return ox.Literal(value, datatype=ox.NamedNode(XSD + datatype))

    if kind == "iri" or (kind == "term" and (value.startswith("<") or expand(value) != value
                                            or re.match(r"https?://\S+$", value))):
        iri = expand(value)
        if kind == "iri" and re.fullmatch(r"[\w.~-]+(/[\w.~-]+)*", iri):
            iri = PREFIXES["id"] + iri
        try:
            return ox.NamedNode(iri)
        except ValueError:
            raise UsageError(f"{value!r} is not an IRI (give <…>, a full IRI, or prefix:name)") from None
    if kind == "date":
        return literal("date", r"-?\d{4,}-\d{2}-\d{2}")
    if kind == "year":
        return literal("gYear", r"-?\d{4,}")
    if kind == "integer" or (kind == "term" and re.fullmatch(r"[+-]?\d+", value)):
        return literal("integer", r"[+-]?\d+")
    return ox.Literal(value)


def parse_params(pairs: Iterable[str]) -> dict[str, str]:
    """``key=value`` strings as a dict; a malformed pair is a usage error."""
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip().lstrip("?$")
        if not sep or not re.fullmatch(r"\w+", key):
            raise UsageError(f"bad --param {pair!r}; expected NAME=VALUE")
        out[key] = value
    return out


def bind(query: NamedQuery | None, values: Mapping[str, str]) -> dict[str, Term]:
    """Parameter values as RDF terms: a named query's declared kinds and defaults; for an ad-hoc
    query every value is guessed (``term``). Unknown or missing parameters are usage errors."""
    if query is None:
        return {k: to_term(v) for k, v in values.items()}
    declared = {p.name: p for p in query.params}
    unknown = sorted(set(values) - set(declared))
    if unknown:
        raise UsageError(f"query {query.name!r} has no parameter {', '.join(unknown)}; "
                         f"its parameters: {', '.join(declared) or 'none'}")
    out = {}
    for p in query.params:
        value = values.get(p.name, p.default)
        if value is None:
            if not p.optional:
                raise UsageError(f"query {query.name!r} needs --param {p.name}=… ({p.doc})")
            continue
        out[p.name] = to_term(value, p.kind)
    return out


def fill(query: NamedQuery, params: Mapping[str, Term]) -> str:
    """The named query's text with its VALUES row holding the parameters' RDF terms (UNDEF for
    those not given); each term is pyoxigraph's N-Triples serialization of a checked term."""
    m = VALUES_ROW.search(query.text)
    if m is None:
        return query.text
    names = [v.lstrip("?$") for v in m.group(1).split()]
    row = " ".join(str(params[n]) if n in params else "UNDEF" for n in names)
    return f"{query.text[:m.start()]}VALUES ({' '.join('?' + n for n in names)}) {{ ({row}) }}{query.text[m.end():]}"


def prepare(name: str | None, text: str | None, values: Mapping[str, str]) -> tuple[str, dict[str, Term]]:
    """(query text, substitutions) for a named query (its VALUES row filled) or an ad-hoc query
    (parameters as substitutions)."""
    if name is not None:
        named = named_query(name)
        return fill(named, bind(named, values)), {}
    return text or "", bind(None, values)


# --------------------------------------------------------------------------- running

def syntax_error(exc: Exception, text: str, what: str = "SPARQL") -> QuerySyntaxError:
    """The parser's message with line and column, and the offending line."""
    message = str(exc)
    m = re.match(r"error at (\d+):(\d+): (.*)", message, flags=re.S)
    if not m:
        return QuerySyntaxError(f"{what} syntax error: {message}")
    line, col, rest = int(m.group(1)), int(m.group(2)), m.group(3)
    lines = text.splitlines() or [""]
    near = lines[line - 1].strip() if 0 < line <= len(lines) else ""
    return QuerySyntaxError(f"{what} syntax error at line {line}, column {col}: {rest}"
                            + (f" (in: {near[:80]})" if near else ""))


def run(store: ox.Store, query: str | Checked, params: Mapping[str, Term] | None = None, *,
        max_rows: int | None = None, default_graphs: Iterable[str] = (), named_graphs: Iterable[str] = ()) -> Result:
    """Run a query on the store (its default graph, or the union of ``default_graphs``); at most
    ``max_rows`` rows or triples are kept. The text runs only once ``kg.guard.check`` passed it
    (a ``Checked`` is not parsed again)."""
    try:
        return to_result(answer(store, query, params, default_graphs=default_graphs, named_graphs=named_graphs), max_rows)
    except RuntimeError as exc:  # e.g. a substituted variable that is not projected
        raise UsageError(f"cannot run the query: {exc}") from None
    except OSError as exc:
        raise DataError(f"the store failed while answering the query: {exc}") from None


def answer(store: ox.Store, query: str | Checked, params: Mapping[str, Term] | None = None, *,
           default_graphs: Iterable[str] = (), named_graphs: Iterable[str] = ()) -> Any:
    """Oxigraph's lazy answer to a query (a boolean, solutions or triples, evaluated as they are
    read: iterating may still raise RuntimeError or OSError), once the guard passed its parse."""
    checked = query if isinstance(query, Checked) else check(query)
    if checked.update:
        raise Refused("this is a SPARQL Update, not a query")
    text = checked.text
    options: dict[str, Any] = {"prefixes": PREFIXES}
    try:
        for key, iris in (("default_graph", default_graphs), ("named_graphs", named_graphs)):
            if iris:
                options[key] = [ox.NamedNode(iri) for iri in iris]
    except ValueError as exc:
        raise UsageError(f"bad graph IRI: {exc}") from None
    if params:
        options["substitutions"] = {ox.Variable(k): v for k, v in params.items()}
    try:
        return store.query(text, **options)
    except SyntaxError as exc:
        raise syntax_error(exc, text) from None


def to_result(answer: Any, max_rows: int | None) -> Result:
    """An Oxigraph answer (boolean, solutions or triples) as a Result of at most max_rows rows."""
    if isinstance(answer, ox.QueryBoolean):
        return Result("ask", boolean=bool(answer))
    limit = None if max_rows is None else max_rows + 1
    if isinstance(answer, ox.QuerySolutions):
        names = [v.value for v in answer.variables]
        result = Result("select", names, [tuple(s[n] for n in names) for s in islice(answer, limit)])
    else:
        result = Result("graph", triples=list(islice(answer, limit)))
    items = result.rows if result.kind == "select" else result.triples
    if max_rows is not None and len(items) > max_rows:
        del items[max_rows:]
        result.truncated = True
    return result


def update(store: ox.Store, request: str | Checked) -> None:
    """Run a SPARQL Update (only ever called when updates were explicitly allowed), once
    ``kg.guard.check`` passed it."""
    checked = request if isinstance(request, Checked) else check(request, updates=True)
    if not checked.update:
        raise UsageError("this is a query, not a SPARQL Update")
    text = checked.text
    try:
        store.update(text, prefixes=PREFIXES)
    except SyntaxError as exc:
        raise syntax_error(exc, text, "SPARQL Update") from None


# --------------------------------------------------------------------------- results as text

def _json(t: Term) -> dict[str, Any]:
    """A term in the SPARQL 1.1 JSON results format."""
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    if isinstance(t, ox.Triple):
        return {"type": "triple", "value": {"subject": _json(t.subject), "predicate": _json(t.predicate),
                                            "object": _json(t.object)}}
    out = {"type": "literal", "value": t.value}
    if t.language:
        out["xml:lang"] = t.language
    elif t.datatype.value != XSD + "string":
        out["datatype"] = t.datatype.value
    return out


def compact(t: Term | None) -> str:
    """A term for people: prefixed names for IRIs, the lexical form of literals."""
    if t is None:
        return ""
    if isinstance(t, ox.NamedNode):
        for prefix, ns in PREFIXES.items():
            local = t.value[len(ns):]
            if t.value.startswith(ns) and re.fullmatch(r"[\w./-]*", local) and not local.endswith("."):
                return f"{prefix}:{local}"
        return f"<{t.value}>"
    if isinstance(t, ox.BlankNode):
        return f"_:{t.value}"
    return t.value if isinstance(t, ox.Literal) else str(t)


def table(result: Result, width: int = 80) -> str:
    """Aligned columns, cells cut at ``width`` characters; ASK as true/false."""
    if result.kind == "ask":
        return "true\n" if result.boolean else "false\n"
    cells = [[re.sub(r"\s+", " ", compact(t)) for t in row] for row in result.rows]
    cells = [[c if len(c) <= width else c[:width - 1] + "…" for c in row] for row in cells]
    widths = [max([len(v)] + [len(row[i]) for row in cells]) for i, v in enumerate(result.variables)]
    lines = ["  ".join(v.ljust(w) for v, w in zip(result.variables, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in cells]
    lines.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''}{', truncated' if result.truncated else ''})")
    return "\n".join(lines) + "\n"


def render(result: Result, fmt: str) -> bytes:
    """Results as bytes: table, csv, tsv, json or xml for SELECT/ASK (the W3C formats: JSON is
    written here, the others converted from it by pyoxigraph's writers); for CONSTRUCT/DESCRIBE
    any pyoxigraph or rdflib RDF format (turtle, nt, json-ld, xml, n3, trig, …)."""
    if result.kind == "graph":
        return render_graph(result.triples, fmt)
    if fmt not in RESULT_FORMATS:
        raise UsageError(f"format {fmt!r} is for graphs; SELECT/ASK results are {', '.join(RESULT_FORMATS)}")
    if fmt == "table":
        return table(result).encode()
    if result.kind == "ask":
        doc: dict[str, Any] = {"head": {}, "boolean": result.boolean}
    else:
        bindings = [{n: _json(t) for n, t in zip(result.variables, row) if t is not None} for row in result.rows]
        doc = {"head": {"vars": result.variables}, "results": {"bindings": bindings}}
    data = json.dumps(doc, ensure_ascii=False).encode()
    if fmt == "json":
        return data + b"\n"
    writer = {"xml": ox.QueryResultsFormat.XML, "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}
    out = ox.parse_query_results(data, ox.QueryResultsFormat.JSON).serialize(format=writer[fmt])
    return out if out.endswith(b"\n") else out + (b"\r\n" if fmt == "csv" else b"\n")


def render_graph(triples: list[Any], fmt: str) -> bytes:
    """Triples in an RDF format: pyoxigraph's writers, else any rdflib serializer plugin."""
    if fmt in RESULT_FORMATS[:3]:
        raise UsageError(f"format {fmt!r} is for SELECT/ASK results; a graph is turtle, nt, json-ld, xml, …")
    known = GRAPH_FORMATS.get(fmt.lower())
    if known is not None:
        prefixes = None
        if known in (ox.RdfFormat.TURTLE, ox.RdfFormat.N3):
            iris = {t.value for triple in triples for t in (triple.subject, triple.predicate, triple.object,
                                                            getattr(triple.object, "datatype", None))
                    if isinstance(t, ox.NamedNode)}
            prefixes = {k: ns for k, ns in PREFIXES.items() if any(i.startswith(ns) for i in iris)}
        return ox.serialize(triples, format=known, prefixes=prefixes)
    from rdflib import Graph
    from rdflib.plugin import PluginException

    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    g.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    try:
        return g.serialize(format=fmt, encoding="utf-8")
    except PluginException:
        raise UsageError(f"unknown RDF format {fmt!r}; try turtle, nt, json-ld, xml, n3, trig") from None
