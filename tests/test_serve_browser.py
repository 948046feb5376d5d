"""``kg serve`` driven by a hostile web page in real Chromium (Debian's /usr/bin/chromium through
Playwright, every request outside 127.0.0.1 aborted): a page served from another loopback port
fetch()es the endpoint and posts forms to it. It must not read an answer, and an update it posts
must not run, even with ``--allow-update``; with ``--cors`` naming that page's origin, it reads.
"""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlencode, urlsplit


from test_serve import LABELS, Server, make_graph
from test_serve_security import raw

FORGED = "INSERT DATA { <urn:csrf> <urn:by> 'forged' }"
PAGE = """<!doctype html><html><body>
<iframe name="sink" id="sink"></iframe>
<form id="f" action="{endpoint}" method="post" target="sink">
  <input type="hidden" name="update" value="{forged}"></form>
<script>
const endpoint = {endpoint_js};
window.results = {{}};
async function run() {{
  try {{
    const r = await fetch(endpoint + "?query=" + encodeURIComponent({query_js}));
    window.results.get = "read " + r.status + " " + (await r.text());
  }} catch (e) {{ window.results.get = "blocked " + e.name; }}
  try {{
    const r = await fetch(endpoint, {{method: "POST", headers: {{"Content-Type": "application/sparql-query"}},
                                       body: {query_js}}});
    window.results.post = "read " + r.status + " " + (await r.text());
  }} catch (e) {{ window.results.post = "blocked " + e.name; }}
  try {{
    await fetch(endpoint, {{method: "POST", mode: "no-cors", body: "update=" + encodeURIComponent({forged_js}),
                           headers: {{"Content-Type": "application/x-www-form-urlencoded"}}}});
    window.results.nocors = "sent";
  }} catch (e) {{ window.results.nocors = "blocked " + e.name; }}
  document.getElementById("sink").addEventListener("load", () => {{
    try {{ window.results.form = "read " + frames.sink.document.body.innerText; }}
    catch (e) {{ window.results.form = "blocked " + e.name; }}
  }});
  document.getElementById("f").submit();
}}
run();
</script></body></html>"""


class Attacker:
    """A page on another 127.0.0.1 port that attacks the endpoint (set once the server runs)."""

    def __init__(self) -> None:
        self.endpoint = ""
        attacker = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                body = attacker.page()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def page(self) -> bytes:
        return PAGE.format(endpoint=self.endpoint, forged=FORGED.replace("'", "&#39;"),
                           endpoint_js=json.dumps(self.endpoint), query_js=json.dumps(LABELS),
                           forged_js=json.dumps(FORGED)).encode()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()




def attack(browser, srv: Server, attacker: Attacker) -> dict[str, str]:
    """Open the attacker's page; what each of its attempts got."""
    context = browser.new_context()
    outside: list[str] = []
    context.route("**/*", lambda route: route.continue_() if urlsplit(route.request.url).hostname == "127.0.0.1"
                  else (outside.append(route.request.url), route.abort()))
    page = context.new_page()
    try:
        page.goto(attacker.origin + "/")
        page.wait_for_function("() => ['get', 'post', 'nocors', 'form'].every(k => k in window.results)",
                               timeout=60_000)
        results = page.evaluate("() => window.results")
    finally:
        context.close()
    assert outside == []
    return results


def forged_applied(srv: Server) -> bool:
    query = urlencode({"query": "ASK { <urn:csrf> <urn:by> 'forged' }"})
    status, _, body = raw(srv.url, f"GET /sparql?{query} HTTP/1.0\r\n\r\n".encode())
    assert status == 200, body
    return json.loads(body)["boolean"]


def test_a_page_on_another_port_cannot_read_or_update(browser, tmp_path):
    attacker = Attacker()
    srv = Server(make_graph(tmp_path / "out"), "--allow-update")
    attacker.endpoint = srv.url
    try:
        results = attack(browser, srv, attacker)
        assert results["get"] == "blocked TypeError" and results["post"] == "blocked TypeError", results
        assert results["form"] == "blocked SecurityError", results
        assert "Tide Board" not in json.dumps(results)
        assert not forged_applied(srv)
    finally:
        attacker.close()
        assert srv.stop() in (0, 130)
    refusals = [line for line in srv.lines if "refused" in line and attacker.origin in line]
    assert len(refusals) >= 3, srv.lines        # the GET, the POST, the no-cors POST, the form


def test_the_cors_origin_reads_answers(browser, tmp_path):
    """The control: the same page, named by --cors, reads the answers (so the test above would
    see a leak); the server is read-only, so its forged update is still refused."""
    attacker = Attacker()
    srv = Server(make_graph(tmp_path / "out"), "--cors", attacker.origin)
    attacker.endpoint = srv.url
    try:
        results = attack(browser, srv, attacker)
        assert results["get"].startswith("read 200") and "Tide Board" in results["get"], results
        assert results["post"].startswith("read 200") and "Tide Board" in results["post"], results
        assert not forged_applied(srv)
    finally:
        attacker.close()
        assert srv.stop() in (0, 130)
