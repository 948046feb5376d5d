"""What ``kg serve`` answers in: which format answers a request, from its ``format`` field or
its Accept header, the media type each format is sent as, and the query page."""
from __future__ import annotations

import html

from . import query as q

RESULT_TYPES = {"application/sparql-results+json": "json", "application/json": "json",
                "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml",
                "text/csv": "csv", "text/tab-separated-values": "tsv", "text/html": "html"}
GRAPH_TYPES = {"text/turtle": "turtle", "application/turtle": "turtle", "application/x-turtle": "turtle",
               "application/ld+json": "json-ld", "application/json": "json-ld", "application/n-triples": "nt",
               "text/plain": "nt", "application/rdf+xml": "xml", "application/xml": "xml", "text/n3": "n3",
               "text/html": "html"}
GRAPH_MEDIA = {"turtle": "text/turtle; charset=utf-8", "json-ld": "application/ld+json",
               "nt": "application/n-triples", "xml": "application/rdf+xml", "n3": "text/n3; charset=utf-8"}
NAMES = {"json": ("json", "json-ld"), "xml": ("xml", "xml"), "csv": ("csv", None), "tsv": ("tsv", None),
         "html": ("html", "html"), "turtle": (None, "turtle"), "ttl": (None, "turtle"),
         "json-ld": (None, "json-ld"), "jsonld": (None, "json-ld"), "nt": (None, "nt"),
         "n-triples": (None, "nt"), "ntriples": (None, "nt"), "rdf+xml": (None, "xml"), "rdfxml": (None, "xml"),
         "n3": (None, "n3")}
TEXT = "text/plain; charset=utf-8"
RESULT_MEDIA = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                "csv": "text/csv; charset=utf-8", "tsv": "text/tab-separated-values; charset=utf-8"}


def negotiate(kind: str, accept: str, fmt: str = "") -> str | None:
    """The format for a result kind (select/ask or graph): an explicit ``format`` name first,
    then the Accept header by quality; the default (JSON, Turtle) for ``*/*`` or no header."""
    col = 1 if kind == "graph" else 0
    if fmt:
        names = NAMES.get(fmt.strip().lower()) or NAMES.get((RESULT_TYPES if col == 0 else GRAPH_TYPES)
                                                            .get(fmt.split(";")[0].strip().lower(), ""))
        if names and names[col]:
            return names[col]
    table = GRAPH_TYPES if col else RESULT_TYPES
    ranges = []
    for i, part in enumerate(accept.split(",")):
        media, *attrs = [a.strip() for a in part.split(";")]
        quality = 1.0
        for attr in attrs:
            if attr.startswith("q="):
                try:
                    quality = float(attr[2:])
                except ValueError:
                    quality = 0.0
        if media and quality > 0:
            ranges.append((-quality, i, media.lower()))
    if not ranges:
        return "turtle" if col else "json"
    for _, _, media in sorted(ranges):
        if media in table:
            return table[media]
        if media in ("*/*", "application/*", "text/*"):
            return "turtle" if col else ("csv" if media == "text/*" else "json")
    return None


def page(query: str = "", result: str = "", graph_view: bool = False) -> bytes:
    """The query page: a form, the named queries, and the result of the last query as text."""
    items = "".join(f'<li><a href="/?name={html.escape(n)}">{html.escape(n)}</a> — {html.escape(nq.question)}</li>'
                    for n, nq in q.named_queries().items())
    options = "".join(f'<option value="{f}">{f}</option>' for f in ("html", "json", "xml", "csv", "tsv", "turtle"))
    view = '<p><a href="/graph">graph view</a></p>' if graph_view else ""
    out = f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>kg SPARQL</title>
<style>body{{font-family:sans-serif;max-width:70em;margin:1em auto}}textarea{{width:100%;height:16em;
font-family:monospace}}pre{{overflow-x:auto;background:#f4f4f4;padding:.5em}}</style></head><body>
<h1>kg SPARQL endpoint</h1>{view}
<form action="/sparql" method="post"><textarea name="query">{html.escape(query)}</textarea><br>
<label>format <select name="format">{options}</select></label> <button>Run</button></form>
{f"<h2>Result</h2><pre>{html.escape(result)}</pre>" if result else ""}
<h2>Named queries</h2><ul>{items}</ul>
<p>Endpoint: <code>/sparql</code> (SPARQL 1.1 Protocol, GET or POST). Prefixes kg:, id:, doc:, fact:, skos:,
dcterms:, prov:, oa:, schema:, … are predeclared.</p></body></html>"""
    return out.encode()
