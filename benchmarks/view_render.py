"""How fast is the HTML view? Time until the page is drawn and answers a click, in headless Chromium.

Two graphs, measured in the same run: the seed statement's graph (``kg build data``) and a generated
graph of N nodes (default 5,000) built through kg's own RDF code (kg.rdf.build_dataset) from
synthetic statements. For each: Python time to model + render the page, then in Chromium (Debian's,
network blocked) the median over RUNS page loads of

- drawn: navigation start → vis-network's first ``afterDrawing`` (the page's ``kgView.readyAt``);
- responsive: navigation start → a click on the busiest node has filled the details panel
  (wall clock, measured from Python, so it includes Playwright's round trips);
- frame: one synchronous redraw of the whole canvas (what each pan/zoom step costs).

    .venv/bin/python benchmarks/view_render.py [--nodes 5000] [--runs 3] [--keep DIR]
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from rdflib import Graph

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg import view  # noqa: E402
from kg.documents import Document  # noqa: E402
from kg.rdf import build_dataset, union_graph  # noqa: E402
from kg.records import Entity, Evidence, Fact  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
CLASSES = [("Organization", 30), ("GovernmentBody", 20), ("Jurisdiction", 10), ("Law", 10), ("Report", 5),
           ("Concept", 15), ("Person", 5), ("Claim", 5)]
PROPS = [("implements", "implements"), ("cooperatesWith", "cooperates with"), ("publishes", "publishes"),
         ("criticizes", "criticizes"), ("coordinates", "coordinates"), ("relatedTo", "works on")]


def synthetic_graph(nodes: int = 5000, seed: int = 0, documents: int = 100) -> Graph:
    """A kg graph of exactly ``nodes`` nodes (entities + documents) with ~1.5 facts per entity."""
    rnd = random.Random(seed)
    n_ent = nodes - documents
    names = [c for c, w in CLASSES for _ in range(w)]
    ents = [Entity(f"synthetic/e{i}", rnd.choice(names), f"Entity {i} of {rnd.choice(['Freedonia', 'Sylvania', 'Ruritania'])}")
            for i in range(n_ent)]
    docs = [Document(path=f"doc{d}.txt", text="", doc_id=f"doc{d}", meta={"title": f"Statement {d}"},
                     date=f"2024-{1 + d % 12:02d}-{1 + d % 28:02d}", sha256="0" * 64) for d in range(documents)]
    facts: dict[int, list[Fact]] = {d: [] for d in range(documents)}
    pairs = [(i, rnd.randrange(i)) for i in range(1, n_ent)]
    pairs += [(rnd.randrange(n_ent), rnd.randrange(n_ent)) for _ in range(n_ent // 2)]
    for k, (a, b) in enumerate(pairs):
        if a == b:
            continue
        prop, label = rnd.choice(PROPS)
        d = rnd.randrange(documents)
        text = f"{ents[a].label} {label} {ents[b].label}, the statement says in sentence {k}."
        facts[d].append(Fact(ents[a], prop, label, ents[b], Evidence(f"doc{d}", k * 100, k * 100 + len(text), text),
                             negated=k % 17 == 0))
    return union_graph(build_dataset([(docs[d], None, facts[d]) for d in range(documents)]))


def seed_graph(tmp: Path) -> Graph:
    from kg.pipeline import build

    build([ROOT / "data"], tmp / "seed")
    return Graph().parse(tmp / "seed" / "graph.ttl")


def render(g: Graph, path: Path, title: str) -> tuple[int, float]:
    t = time.perf_counter()
    G = view.graph_model(g)
    path.write_text(view.render_html(G, title), encoding="utf-8")
    return len(G), time.perf_counter() - t


def measure(browser, path: Path) -> dict[str, float]:
    """One cold page load: drawn (ms, in page), responsive (ms, wall), one full redraw (ms)."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    start = time.perf_counter()
    page.goto(path.as_uri(), wait_until="commit")
    page.wait_for_selector("body[data-ready]", state="attached", timeout=120_000)
    drawn = page.evaluate("() => kgView.readyAt")
    target = page.evaluate("""() => {
        const d = kgView.data, n = d.nodes.reduce((a, b) => (b.deg > a.deg ? b : a));
        const p = kgView.network.canvasToDOM(kgView.network.getPosition(n.id));
        const box = document.getElementById('kg-network').getBoundingClientRect();
        return {x: box.left + p.x, y: box.top + p.y, label: n.label, inside: p.x > 0 && p.y > 0 && p.x < box.width && p.y < box.height}; }""")
    if not target["inside"]:
        raise RuntimeError(f"the busiest node is off screen: {target}")
    page.mouse.click(target["x"], target["y"])
    page.locator("#kg-details h3").wait_for(timeout=30_000)
    responsive = (time.perf_counter() - start) * 1000
    frame = page.evaluate("() => { const t = performance.now(); kgView.network.renderer._redraw(); return performance.now() - t; }")
    shown = page.evaluate("() => kgView.drawnNodes()")
    context.close()
    if errors:
        raise RuntimeError(f"page errors: {errors}")
    return {"drawn": drawn, "responsive": responsive, "frame": frame, "shown": shown}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nodes", type=int, default=5000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--keep", type=Path, default=None, help="keep the generated pages in this folder")
    args = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = args.keep or Path(tmpdir)
        tmp.mkdir(parents=True, exist_ok=True)
        t = time.perf_counter()
        graphs = {"seed": seed_graph(tmp)}
        print(f"seed build: {time.perf_counter() - t:.1f} s")
        t = time.perf_counter()
        graphs[f"generated-{args.nodes}"] = synthetic_graph(args.nodes)
        print(f"generated graph: {time.perf_counter() - t:.1f} s ({len(graphs[f'generated-{args.nodes}'])} triples)")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            print(f"{'graph':<16}{'nodes':>7}{'python s':>10}{'page MB':>9}{'drawn ms':>10}{'responsive ms':>15}{'frame ms':>10}")
            for name, g in graphs.items():
                path = tmp / f"{name}.html"
                n, secs = render(g, path, name)
                runs = [measure(browser, path) for _ in range(args.runs)]
                assert all(r["shown"] == n for r in runs), (n, runs)
                med = {k: statistics.median(r[k] for r in runs) for k in ("drawn", "responsive", "frame")}
                print(f"{name:<16}{n:>7}{secs:>10.2f}{path.stat().st_size / 1e6:>9.2f}{med['drawn']:>10.0f}"
                      f"{med['responsive']:>15.0f}{med['frame']:>10.1f}")
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
