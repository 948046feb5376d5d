"""Shared fixtures: the spaCy pipeline is loaded once per test session."""
from __future__ import annotations

import socket
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SEED = DATA / "00_macao-tip-2025-response.txt"


@pytest.fixture(scope="session")
def nlp():
    """kg's configured pipeline (default model); tests using it are model-dependent."""
    from kg import nlp as nlp_mod

    return nlp_mod.load()


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory, nlp):
    """One build of data/ shared by the end-to-end tests: (BuildResult, output folder)."""
    from kg.pipeline import build

    out = tmp_path_factory.mktemp("seed") / "out"
    return build([DATA], out, nlp=nlp), out


def pytest_collection_modifyitems(items):
    for item in items:
        if "nlp" in getattr(item, "fixturenames", ()) or "seed_build" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.model)


@pytest.fixture
def canary():
    """A listening socket that records every connection made to it: the server must make none."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    seen: list[bytes] = []

    def accept() -> None:
        while True:
            try:
                conn, _ = sock.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(5)
                try:
                    seen.append(conn.recv(200))
                except OSError:
                    seen.append(b"")

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{sock.getsockname()[1]}", seen
    sock.shutdown(socket.SHUT_RDWR)   # wakes the blocked accept()
    sock.close()
    thread.join(5)


# Debian's Chromium, headless, reaching no host but 127.0.0.1 (Playwright never downloads a browser).
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run",
                 "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module (the view's and the server's browser tests)."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's Chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()
