"""SPARQL over a built graph: named competency queries, parameters bound as RDF terms, results
in the W3C SPARQL 1.1 result formats (JSON, XML, CSV, TSV), as a text table, or as RDF.

Named queries are the ``.rq`` files of ``kg/queries``; each opens with a comment header: the
question it answers on the first line, a description, and one line per parameter::

    # param ?area (iri, optional): the area, e.g. id:macao-sar
    # param ?from (date, default 0001-01-01): first day

Parameters are pyoxigraph ``substitutions`` (SEP-0007): RDF terms, never text spliced into the
query, so ``x" } DROP ALL #`` is just a string. A parameter must be a projected variable.
"""
from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import Any, Iterable, Mapping
from xml.sax.saxutils import escape as xml_escape

import pyoxigraph as ox

from .errors import DataError, UsageError

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
MEDIA_TYPES = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
               "csv": "text/csv; charset=utf-8", "tsv": "text/tab-separated-values; charset=utf-8",
               "table": "text/plain; charset=utf-8"}
GRAPH_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
                 "ntriples": ox.RdfFormat.N_TRIPLES, "n-triples": ox.RdfFormat.N_TRIPLES,
                 "json-ld": ox.RdfFormat.JSON_LD, "jsonld": ox.RdfFormat.JSON_LD, "xml": ox.RdfFormat.RDF_XML,
                 "rdf/xml": ox.RdfFormat.RDF_XML, "n3": ox.RdfFormat.N3}
KINDS = ("iri", "string", "date", "year", "integer", "term")
UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}

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


# --------------------------------------------------------------------------- running

def query_form(text: str) -> str:
    """The first keyword after comments and the prologue: SELECT, ASK, CONSTRUCT, DESCRIBE, or an
    update keyword (INSERT, DROP, …); '' when there is none."""
    rest = text
    while True:
        stripped = re.sub(r"^(\s+|#[^\n]*|(?i:PREFIX)\s*[\w.-]*:\s*<[^>]*>|(?i:BASE)\s*<[^>]*>)", "", rest)
        if stripped == rest:
            break
        rest = stripped
    m = re.match(r"[A-Za-z]+", rest)
    return m.group(0).upper() if m else ""


def is_update(text: str) -> bool:
    return query_form(text) in UPDATE_WORDS


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


def run(store: ox.Store, text: str, params: Mapping[str, Term] | None = None, *, max_rows: int | None = None,
        default_graphs: Iterable[str] = (), named_graphs: Iterable[str] = ()) -> Result:
    """Run a query on the store, the default graph being the union of all graphs unless
    ``default_graphs`` are given; at most ``max_rows`` rows or triples are kept."""
    if is_update(text):
        raise UsageError("this is a SPARQL Update, not a query (kg query and kg serve are read-only by default)")
    options: dict[str, Any] = {"prefixes": PREFIXES}
    defaults = [ox.NamedNode(iri) for iri in default_graphs]
    if defaults:
        options["default_graph"] = defaults
    else:
        options["use_default_graph_as_union"] = True
    named = [ox.NamedNode(iri) for iri in named_graphs]
    if named:
        options["named_graphs"] = named
    if params:
        options["substitutions"] = {ox.Variable(k): v for k, v in params.items()}
    limit = None if max_rows is None else max_rows + 1
    try:
        answer = store.query(text, **options)
        if isinstance(answer, ox.QueryBoolean):
            return Result("ask", boolean=bool(answer))
        if isinstance(answer, ox.QuerySolutions):
            names = [v.value for v in answer.variables]
            result = Result("select", names, [tuple(s[n] for n in names) for s in islice(answer, limit)])
        else:
            result = Result("graph", triples=list(islice(answer, limit)))
    except SyntaxError as exc:
        raise syntax_error(exc, text) from None
    except RuntimeError as exc:  # e.g. a substituted variable that is not projected
        raise UsageError(f"cannot run the query: {exc}") from None
    except OSError as exc:
        raise DataError(f"the store failed while answering the query: {exc}") from None
    items = result.rows if result.kind == "select" else result.triples
    if max_rows is not None and len(items) > max_rows:
        del items[max_rows:]
        result.truncated = True
    return result


def update(store: ox.Store, text: str) -> None:
    """Run a SPARQL Update (only ever called when updates were explicitly allowed)."""
    try:
        store.update(text, prefixes=PREFIXES)
    except SyntaxError as exc:
        raise syntax_error(exc, text, "SPARQL Update") from None


# --------------------------------------------------------------------------- results as text

def _nt(t: Term) -> str:
    """A term in N-Triples syntax (TSV results)."""
    if isinstance(t, ox.Triple):
        return f"<< {_nt(t.subject)} {_nt(t.predicate)} {_nt(t.object)} >>"
    return str(t)


def _plain(t: Term) -> str:
    """A term as the CSV results format writes it: IRI, lexical form or _:label."""
    if isinstance(t, ox.BlankNode):
        return f"_:{t.value}"
    if isinstance(t, ox.Triple):
        return _nt(t)
    return t.value


def _json(t: Term) -> dict[str, Any]:
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


def _xml(t: Term) -> str:
    if isinstance(t, ox.NamedNode):
        return f"<uri>{xml_escape(t.value)}</uri>"
    if isinstance(t, ox.BlankNode):
        return f"<bnode>{xml_escape(t.value)}</bnode>"
    if isinstance(t, ox.Triple):
        return (f"<triple><subject>{_xml(t.subject)}</subject><predicate>{_xml(t.predicate)}</predicate>"
                f"<object>{_xml(t.object)}</object></triple>")
    if t.language:
        return f'<literal xml:lang="{xml_escape(t.language)}">{xml_escape(t.value)}</literal>'
    if t.datatype.value != XSD + "string":
        return f'<literal datatype="{xml_escape(t.datatype.value)}">{xml_escape(t.value)}</literal>'
    return f"<literal>{xml_escape(t.value)}</literal>"


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
    return _plain(t)


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
    """Results as bytes: table, csv, tsv, json or xml for SELECT/ASK; for CONSTRUCT/DESCRIBE any
    pyoxigraph or rdflib RDF format (turtle, nt, json-ld, xml, n3, trig, …)."""
    if result.kind == "graph":
        return render_graph(result.triples, fmt)
    if fmt not in RESULT_FORMATS:
        raise UsageError(f"format {fmt!r} is for graphs; SELECT/ASK results are {', '.join(RESULT_FORMATS)}")
    if fmt == "table":
        return table(result).encode()
    if result.kind == "ask":
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": result.boolean}).encode() + b"\n"
        if fmt == "xml":
            return (f'<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/>'
                    f"<boolean>{'true' if result.boolean else 'false'}</boolean></sparql>\n").encode()
        return (b"true" if result.boolean else b"false") + (b"\r\n" if fmt == "csv" else b"\n")
    names = result.variables
    if fmt == "json":
        bindings = [{n: _json(t) for n, t in zip(names, row) if t is not None} for row in result.rows]
        return json.dumps({"head": {"vars": names}, "results": {"bindings": bindings}},
                          ensure_ascii=False).encode() + b"\n"
    if fmt == "xml":
        head = "".join(f'<variable name="{n}"/>' for n in names)
        rows = "".join("<result>" + "".join(f'<binding name="{n}">{_xml(t)}</binding>'
                                            for n, t in zip(names, row) if t is not None) + "</result>\n"
                       for row in result.rows)
        return (f'<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                f"<head>{head}</head><results>\n{rows}</results></sparql>\n").encode()
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(names)
        writer.writerows([["" if t is None else _plain(t) for t in row] for row in result.rows])
        return out.getvalue().encode()
    lines = ["\t".join(f"?{n}" for n in names)]
    lines += ["\t".join("" if t is None else _nt(t) for t in row) for row in result.rows]
    return ("\n".join(lines) + "\n").encode()


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
