"""The HTML view and the networkx export: model, page, CLI, and the page in a real browser.

Browser tests drive Debian's Chromium (/usr/bin/chromium) through Playwright with every request
but the page itself refused; they are skipped only when that Chromium is not installed.
"""
from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from rdflib import RDF, Graph

from kg import view
from kg.errors import DataError, UsageError
from kg.vocab import KG

ROOT = Path(__file__).resolve().parent.parent
IMPLEMENTS = "The Macao SAR has rigorously implemented the Law No. 6/2008"
HOSTILE = (
    "---\n"
    "title: Reply <script>window.__xss = 1</script> & \"quotes\" <img src=x onerror=window.__xss=2>\n"
    "date: 2024-05-01\n"
    "publisher: Ministry of Labour\n"
    "---\n"
    "The Ministry of Labour <img src=x onerror=alert(1)> provides \"shelter\" to victims. "
    "The Ministry of Labour implements the \"<script>alert(2)</script>\" Law No. 5/2020. "
    "The Ministry of Labour works closely with the Police of Freedonia </script><script>alert(3)</script>.\n"
)


def synthetic(nodes: int) -> Graph:
    """A generated kg graph of exactly ``nodes`` nodes (the benchmark's generator)."""
    spec = importlib.util.spec_from_file_location("view_render", ROOT / "benchmarks" / "view_render.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.synthetic_graph(nodes, documents=10)


@pytest.fixture(scope="module")
def seed(seed_build):
    """(rdflib graph, model, build folder) of data/."""
    _, out = seed_build
    g = Graph().parse(out / "graph.ttl")
    return g, view.graph_model(g), out


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, nlp):
    """A statement whose sentences, labels and title carry markup, built into a folder."""
    from kg.pipeline import build

    tmp = tmp_path_factory.mktemp("hostile")
    tmp.joinpath("hostile.txt").write_text(HOSTILE, encoding="utf-8")
    result = build([tmp / "hostile.txt"], tmp / "out", nlp=nlp)
    assert any("<img src=x onerror=alert(1)>" in f.evidence.text for f in result.facts)
    assert any("<script>" in f.evidence.text for f in result.facts)
    return tmp / "out"


# --------------------------------------------------------------------------- model

def test_model_nodes_are_entities_rankings_claims_documents(seed):
    g, G, _ = seed
    classes = {d["cls"] for _, d in G.nodes(data=True)}
    assert {"Jurisdiction", "Law", "Report", "Ranking", "Claim", "Document", "Tier"} <= classes
    assert not classes & {"Fact", "Evidence", "Build"}
    macao = view.find_node(G, "Macao SAR")
    assert G.nodes[macao]["cls"] == "Jurisdiction" and "Macau" in G.nodes[macao]["aliases"]


def test_every_fact_is_drawn_once_with_its_evidence(seed):
    g, G, _ = seed
    facts = set(g.subjects(RDF.type, KG.Fact))
    drawn = [f for _, _, d in G.edges(data=True) for f in d["facts"]]
    drawn += [a["fact"] for _, d in G.nodes(data=True) for a in d["attrs"]]
    assert sorted(f["iri"] for f in drawn) == sorted(map(str, facts))
    for f in drawn:
        assert f["sentence"] and f["doc"] in G.graph["documents"] and 0 <= f["start"] < f["end"]
    macao = view.find_node(G, "Macao SAR")
    sentences = {f["sentence"] for _, _, d in G.edges(macao, data=True) for f in d["facts"]}
    assert any(s.startswith(IMPLEMENTS) for s in sentences)


def test_links_without_facts_are_edges_too(seed):
    _, G, _ = seed
    labels = {d["label"] for _, _, d in G.edges(data=True) if not d["facts"]}
    assert {"part of", "ranked area", "tier"} <= labels


@pytest.mark.parametrize("name", ["Macao SAR", "macau", "https://w3id.org/kg/id/macao-sar", "macao-sar"])
def test_focus_finds_by_label_alias_or_iri(seed, name):
    _, G, _ = seed
    H = view.neighbourhood(G, name, 1)
    assert H.graph["focus"] == "https://w3id.org/kg/id/macao-sar"
    labels = {d["label"] for _, d in H.nodes(data=True)}
    assert {"Macao SAR", "Law No. 6/2008", "Tier 3"} <= labels and "NGOs" not in labels
    assert len(view.neighbourhood(G, name, 0)) == 1
    assert len(view.neighbourhood(G, name, 2)) > len(H)


def test_focus_unknown_names_close_matches(seed):
    _, G, _ = seed
    with pytest.raises(UsageError, match="did you mean: Macao SAR"):
        view.neighbourhood(G, "Macao SA", 1)


def test_query_selects_the_named_entities(seed, tmp_path):
    g, G, _ = seed
    H = view.query_nodes(g, G, "SELECT ?law WHERE { ?law a kg:Law }")
    assert {d["label"] for _, d in H.nodes(data=True)} == {"Law No. 6/2008"}
    H = view.query_nodes(g, G, "SELECT ?f WHERE { ?f a kg:Fact ; rdf:predicate kg:implements }")
    assert "Macao SAR" in {d["label"] for _, d in H.nodes(data=True)} and H.number_of_edges() >= 1
    with pytest.raises(UsageError, match="ASK"):
        view.query_nodes(g, G, "ASK { ?s ?p ?o }")
    with pytest.raises(UsageError, match="cannot run the query"):
        view.query_nodes(g, G, "SELEKT nonsense")
    with pytest.raises(DataError):
        view.query_nodes(g, G, "SELECT ?x WHERE { ?x a kg:Person }")


def test_script_json_cannot_close_the_script_element():
    data = {"s": "</script><img src=x onerror=alert(1)> & \u2028 \"q\" 'a'"}
    text = view.script_json(data)
    assert not re.search(r"[<>&\u2028]", text)
    assert json.loads(text) == data


# --------------------------------------------------------------------------- page

def test_build_writes_a_self_contained_page(seed):
    _, G, out = seed
    page = (out / "graph.html").read_text(encoding="utf-8")
    assert page.count("</script") == 3 and "<link" not in page  # vis-network itself holds "<script>" in a string
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page, re.I)
    assert "default-src 'none'" in page
    assert "vis-network" in page  # inlined, not fetched


def test_hostile_text_is_only_data(hostile):
    page = (hostile / "graph.html").read_text(encoding="utf-8")
    assert page.count("</script") == 3 and len(re.findall(r"<script[ >]", page)) == 4  # one is vis-network's own string
    assert "<img" not in page and "onerror=alert" not in page.replace("\\u003cimg src=x onerror=alert", "")
    assert "<title>Reply &lt;script&gt;window.__xss = 1&lt;/script&gt; &amp; &quot;quotes&quot;" in page


def test_large_graph_positions_are_computed_and_physics_is_off():
    G = view.graph_model(synthetic(view.PHYSICS_LIMIT + 100))
    data = view.payload(G, "big")
    assert not data["physics"] and len(data["nodes"]) == view.PHYSICS_LIMIT + 100
    points = {(n["x"], n["y"]) for n in data["nodes"]}
    assert len(points) == len(data["nodes"])  # no two nodes on the same spot
    small = view.payload(view.graph_model(synthetic(50)), "small")
    assert small["physics"] and "x" not in small["nodes"][0]


STABLE = """
import hashlib, sys
sys.path.insert(0, {root!r})
from rdflib import Graph
from kg import view
from tests.test_view import synthetic
for g in (Graph().parse({ttl!r}), synthetic(400)):
    print(hashlib.sha256(view.render_html(view.graph_model(g), "t").encode()).hexdigest())
"""


def test_page_is_byte_stable_across_hash_seeds(seed):
    _, _, out = seed
    code = STABLE.format(root=str(ROOT), ttl=str(out / "graph.ttl"))
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120,
                           env={**os.environ, "PYTHONHASHSEED": s}) for s in ("0", "12")]
    assert all(r.returncode == 0 for r in runs), runs[0].stderr
    assert runs[0].stdout == runs[1].stdout and len(runs[0].stdout.split()) == 2


# --------------------------------------------------------------------------- export and CLI

@pytest.mark.parametrize("fmt, read", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_export_round_trips_through_networkx(seed, tmp_path, fmt, read):
    _, G, _ = seed
    path = tmp_path / f"g.{fmt}"
    path.write_bytes(view.export_bytes(G, fmt))
    H = read(path)
    assert H.number_of_nodes() == G.number_of_nodes() and H.number_of_edges() == G.number_of_edges()
    macao = "https://w3id.org/kg/id/macao-sar"
    assert H.nodes[macao]["label"] == "Macao SAR"
    assert any(IMPLEMENTS in d.get("evidence", "") for _, _, d in H.edges(macao, data=True))


C0 = "".join(map(chr, range(0x20))) + "\x7f\ufffe"


def control_graph() -> Graph:
    """A graph whose labels and evidence hold every C0 character (and DEL, U+FFFE)."""
    from kg.documents import Document
    from kg.rdf import build_dataset, union_graph
    from kg.records import Entity, Evidence, Fact

    doc = Document(path="c.txt", text="", doc_id="c", meta={"title": f"Title {C0}"}, sha256="0" * 64)
    a, b = Entity("ctl/a", "Organization", f"Ministry {C0} of Tides"), Entity("ctl/b", "Organization", f"Bureau{C0}")
    return union_graph(build_dataset([(doc, None, [Fact(a, "coordinates", "coordinates", b,
                                                        Evidence("c", 0, 40, f"The sentence {C0} ends."))])]))


@pytest.mark.parametrize("fmt, read", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_export_of_control_characters_parses_as_xml(tmp_path, fmt, read):
    import xml.etree.ElementTree as ET

    data = view.export_bytes(view.graph_model(control_graph()), fmt)
    ET.fromstring(data)                       # well-formed XML 1.0
    path = tmp_path / f"c.{fmt}"
    path.write_bytes(data)
    H = read(path)
    label = next(d["label"] for _, d in H.nodes(data=True) if d["label"].startswith("Ministry"))
    assert all(f"\\x{n:02x}" in label for n in (*range(9), 0x0b, 0x0c, *range(0x0e, 0x20)))   # shown, not dropped
    evidence = next(d["evidence"] for _, _, d in H.edges(data=True))
    assert "\\x1b" in evidence and "\\ufffe" in evidence and "\x1b" not in evidence


def kg(*args: object) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg", *map(str, args)], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


def test_cli_view_and_export(seed, tmp_path):
    _, G, out = seed
    proc = kg("view", out, "--focus", "Macau", "--depth", "1", "--out", tmp_path / "v.html")
    assert proc.returncode == 0 and proc.stderr.startswith("kg: drew "), proc.stderr
    assert "Law No. 6/2008" in (tmp_path / "v.html").read_text(encoding="utf-8")
    rq = tmp_path / "laws.rq"
    rq.write_text("SELECT ?law WHERE { ?law a kg:Law }", encoding="utf-8")
    assert kg("view", out / "graph.ttl", "--query", rq, "--out", tmp_path / "q.html", "-q").returncode == 0
    proc = kg("export", out, "--format", "graphml")
    assert proc.returncode == 0 and nx.parse_graphml(proc.stdout).number_of_nodes() == len(G)


@pytest.mark.parametrize("args, needle", [
    (["view", "{out}", "--focus", "Nowhere Land", "--out", "{tmp}/x.html"], "no entity called 'Nowhere Land'"),
    (["view", "{tmp}/missing", "--out", "{tmp}/x.html"], "no such graph file"),
    (["view", "{out}", "--query", "{tmp}/missing.rq", "--out", "{tmp}/x.html"], "cannot read the query"),
    (["export", "{out}", "--format", "dot"], "invalid choice"),
])
def test_cli_errors_are_one_line_exit_2(seed, tmp_path, args, needle):
    _, _, out = seed
    proc = kg(*(a.format(out=out, tmp=tmp_path) for a in args))
    assert proc.returncode == 2 and needle in proc.stderr, proc.stderr
    assert len(proc.stderr.splitlines()) == 1 and "Traceback" not in proc.stderr
    assert not (tmp_path / "x.html").exists()


# --------------------------------------------------------------------------- in Chromium



class Page:
    """A page opened with the network blocked, recording every error, dialog and outside request."""

    def __init__(self, browser, path: Path) -> None:
        self.context = browser.new_context(viewport={"width": 1400, "height": 900})
        self.page = self.context.new_page()
        self.problems: list[str] = []
        url = path.resolve().as_uri()
        self.page.route("**/*", lambda route: route.continue_() if route.request.url == url
                        else (self.problems.append(f"request {route.request.url}"), route.abort()))
        self.page.on("request", lambda r: r.url == url or self.problems.append(f"request {r.url}"))
        self.page.on("console", lambda m: m.type in ("error", "warning") and self.problems.append(f"console {m.text}"))
        self.page.on("pageerror", lambda e: self.problems.append(f"pageerror {e}"))
        self.page.on("dialog", lambda d: (self.problems.append(f"dialog {d.message}"), d.dismiss()))
        self.page.goto(url)
        self.page.wait_for_selector("body[data-ready]", state="attached", timeout=30_000)

    def js(self, expression: str, arg: object = None) -> object:
        return self.page.evaluate(expression, arg)

    def node_point(self, node_id: int) -> tuple[float, float]:
        p = self.js("""id => { const p = kgView.network.canvasToDOM(kgView.network.getPosition(id));
                               const b = document.getElementById('kg-network').getBoundingClientRect();
                               return [b.left + p.x, b.top + p.y]; }""", node_id)
        return p[0], p[1]

    def close(self) -> None:
        self.context.close()


def node_id(data: dict, label: str) -> int:
    return next(n["id"] for n in data["nodes"] if n["label"] == label)


def test_seed_page_in_chromium(browser, seed, tmp_path):
    _, G, out = seed
    page = Page(browser, out / "graph.html")
    try:
        data = page.js("() => kgView.data")
        assert page.js("() => kgView.drawnNodes()") == G.number_of_nodes()
        assert page.js("() => kgView.drawnEdges()") == G.number_of_edges()
        macao = node_id(data, "Macao SAR")
        x, y = page.node_point(macao)
        page.page.mouse.move(x, y)
        page.page.locator("#kg-tooltip:not([hidden])").wait_for(timeout=5_000)
        assert "https://w3id.org/kg/id/macao-sar" in page.page.inner_text("#kg-tooltip")
        page.page.mouse.click(x, y)
        assert page.page.inner_text("#kg-details h3") == "Macao SAR"
        quotes = page.page.locator("#kg-details blockquote").all_inner_texts()
        assert any(q.startswith(IMPLEMENTS) for q in quotes), quotes
        sources = page.page.locator("#kg-details .source").all_inner_texts()
        assert any("2025-09-30" in s for s in sources), sources
        page.page.screenshot(path=str(tmp_path / "seed-view.png"))

        law = node_id(data, "Law No. 6/2008")
        (x1, y1), (x2, y2) = page.node_point(macao), page.node_point(law)
        page.page.mouse.click((x1 + x2) / 2, (y1 + y2) / 2)  # the middle of the edge
        assert page.page.inner_text("#kg-details h3") == "Macao SAR \u2192 Law No. 6/2008"
        assert any(q.startswith(IMPLEMENTS) for q in page.page.locator("#kg-details blockquote").all_inner_texts())

        page.page.fill("#kg-search", "tier 3")
        page.page.press("#kg-search", "Enter")
        assert page.page.inner_text("#kg-details h3") == "Tier 3"
        concepts = sum(1 for _, d in G.nodes(data=True) if d["cls"] == "Concept")
        page.page.get_by_label("Concept").uncheck()
        assert page.js("() => kgView.drawnNodes()") == G.number_of_nodes() - concepts
        page.page.select_option("#kg-colour", "community")
        page.page.select_option("#kg-size", "pagerank")
        assert page.problems == []
    finally:
        page.close()


def test_hostile_statement_runs_nothing(browser, hostile, tmp_path):
    page = Page(browser, hostile / "graph.html")
    try:
        G = view.graph_model(Graph().parse(hostile / "graph.ttl"))
        assert page.js("() => kgView.drawnNodes()") == G.number_of_nodes()
        page.page.fill("#kg-search", "Ministry of Labour")
        page.page.press("#kg-search", "Enter")
        details = page.page.inner_text("#kg-details")
        assert "<img src=x onerror=alert(1)>" in details and "<script>alert(2)</script>" in details
        assert page.page.inner_text("#kg-title").startswith("Reply <script>window.__xss = 1</script> & \"quotes\"")
        assert page.js("() => [window.__xss, document.querySelectorAll('img').length, document.scripts.length]") == [None, 0, 3]
        page.page.screenshot(path=str(tmp_path / "hostile-view.png"))
        assert page.problems == []
    finally:
        page.close()


def test_large_page_in_chromium_has_physics_off(browser, tmp_path):
    G = view.graph_model(synthetic(view.PHYSICS_LIMIT + 100))
    path = tmp_path / "big.html"
    path.write_text(view.render_html(G, "big"), encoding="utf-8")
    page = Page(browser, path)
    try:
        assert page.js("() => kgView.drawnNodes()") == len(G)
        assert page.js("() => kgView.network.physics.physicsEnabled") is False
        first = view.payload(G, "big")["nodes"][0]
        drawn = page.js("() => kgView.network.getPosition(0)")
        assert abs(drawn["x"] - first["x"]) <= 1 and abs(drawn["y"] - first["y"]) <= 1, (drawn, first)
        assert page.problems == []
    finally:
        page.close()


def test_layout_of_thousands_of_communities_packs_them_apart():
    # past MANY_COMMUNITIES the discs go on a spiral (linear time); they must still not overlap
    import itertools
    import math
    G = nx.MultiDiGraph()
    for i in range(view.MANY_COMMUNITIES + 200):
        G.add_edge(f"d{i}", f"e{i}", key=0)
        G.add_edge(f"e{i}", f"f{i}", key=0)
    community = {n: int(n[1:]) for n in G}
    pos = view.layout(G, community)
    assert set(pos) == set(G) and len(set(pos.values())) == len(pos)
    centres = {}
    for n, (x, y) in pos.items():
        centres.setdefault(community[n], []).append((x, y))
    mid = [(sum(x for x, _ in ps) / len(ps), sum(y for _, y in ps) / len(ps)) for ps in centres.values()]
    closest = min(math.dist(a, b) for a, b in itertools.combinations(mid, 2))
    assert closest >= view.SPACING / 2, closest


PROTOTYPE_LABELS = ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf"]


def prototype_graph() -> Graph:
    """Entities whose labels are names of Object.prototype's members, linked by one fact each."""
    from kg.documents import Document
    from kg.rdf import build_dataset, union_graph
    from kg.records import Entity, Evidence, Fact

    doc = Document(path="p.txt", text="", doc_id="p", meta={"title": "Prototype names"}, sha256="0" * 64)
    hub = Entity("proto/hub", "Organization", "Ministry of Tides")
    facts = [Fact(hub, "coordinates", "coordinates", Entity(f"proto/e{i}", "Organization", label),
                  Evidence("p", i * 10, i * 10 + 5, f"sentence {i}")) for i, label in enumerate(PROTOTYPE_LABELS)]
    return union_graph(build_dataset([(doc, None, facts)]))


@pytest.mark.parametrize("label", PROTOTYPE_LABELS, ids=[f"search-finds-{x}" for x in PROTOTYPE_LABELS])
def test_search_offers_and_finds_prototype_member_labels(browser, tmp_path, label):
    path = tmp_path / "proto.html"
    path.write_text(view.render_html(view.graph_model(prototype_graph()), "proto"), encoding="utf-8")
    page = Page(browser, path)
    try:
        page.page.wait_for_function("() => document.querySelectorAll('#kg-labels option').length > 0")
        offered = page.js("() => Array.from(document.querySelectorAll('#kg-labels option'), o => o.value)")
        assert label in offered, offered
        page.page.fill("#kg-search", label)
        page.page.press("#kg-search", "Enter")
        assert page.page.inner_text("#kg-details h3") == label
        assert page.problems == []
    finally:
        page.close()
