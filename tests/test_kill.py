"""SIGKILL a real ``kg build`` at several points: each output file is still complete (its previous
version, or the new one once the swap began), and the next run completes the build, byte for byte.

The build being killed turns the outputs of an earlier build (OLD inputs, its cache included) into
those of NEW inputs (one statement changed, two added). Kill points: while the model loads or the
statements are parsed (a fraction of a reference run's duration), as soon as the staging folder
appears, as soon as a staged file holds bytes, and as soon as the first output file is replaced.
The statements are invented (the Ministry of Tides of Freedonia does not exist).
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OUTPUTS = ("graph.ttl", "graph.trig", "facts.tsv", "graph.html")
STATEMENT = ("The Ministry of Tides of Freedonia said that the Coastal Police implements Law No. {i}/2019. "
             "The Ministry of Tides of Freedonia works closely with the Harbour Board of Freedonia. "
             "The Ministry denies that fishermen in Port {i} were exploited.\n")


def kg_build(inputs: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "kg", "build", str(inputs), "--out", str(out), "--quiet"],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def finished(proc: subprocess.Popen) -> None:
    _, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err


def snapshot(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in OUTPUTS if (out / name).is_file()}


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """OLD and NEW inputs, the outputs of each built from scratch, and how long a NEW build takes."""
    tmp = tmp_path_factory.mktemp("kill")
    old, new = tmp / "old", tmp / "new"
    for folder, n in ((old, 6), (new, 8)):
        folder.mkdir()
        shutil.copy(ROOT / "data" / "00_macao-tip-2025-response.txt", folder)
        for i in range(n):
            text = STATEMENT.format(i=i + (100 if folder == new and i == 0 else 0))   # statement 0 changed
            (folder / f"statement-{i}.txt").write_text(text, encoding="utf-8")
    finished(kg_build(old, tmp / "ref-old"))
    started = time.monotonic()
    finished(kg_build(new, tmp / "ref-new"))
    seconds = time.monotonic() - started
    before, after = snapshot(tmp / "ref-old"), snapshot(tmp / "ref-new")
    assert set(before) == set(after) == set(OUTPUTS)
    assert all(before[n] != after[n] for n in OUTPUTS)   # every file changes, so a mix would show
    return tmp, new, before, after, seconds


def staging_dirs(out: Path) -> list[Path]:
    return [p for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.")]


def wait_for(proc: subprocess.Popen, ready) -> bool:
    """Poll until ready() or the process ends; True when ready() came first."""
    while proc.poll() is None:
        if ready():
            return True
    return False


def staged_bytes(out: Path) -> bool:
    return any(f.stat().st_size > 0 for d in staging_dirs(out) for f in d.iterdir() if f.is_file())


def replaced(out: Path, inodes: dict[str, int]) -> bool:
    return any(os.stat(out / name).st_ino != inode for name, inode in inodes.items())


KILL_POINTS = [
    pytest.param("after", 0.15, id="while-the-model-loads", marks=pytest.mark.long),
    pytest.param("after", 0.6, id="while-parsing"),
    pytest.param("after", 0.9, id="late", marks=pytest.mark.long),
    pytest.param("staging", None, id="as-the-staging-folder-appears"),
    pytest.param("staged-bytes", None, id="while-outputs-are-staged"),
    pytest.param("first-replace", None, id="as-the-first-output-is-replaced"),
]


@pytest.mark.parametrize("point, fraction", KILL_POINTS)
def test_sigkill_leaves_complete_outputs_and_the_next_run_completes_them(builds, tmp_path, point, fraction):
    tmp, new, before, after, seconds = builds
    out = tmp_path / "out"
    shutil.copytree(tmp / "ref-old", out)      # the previous build, its cache included
    inodes = {name: os.stat(out / name).st_ino for name in OUTPUTS}
    proc = kg_build(new, out)
    if point == "after":
        time.sleep(seconds * fraction)
        hit = proc.poll() is None
    elif point == "staging":
        hit = wait_for(proc, lambda: bool(staging_dirs(out)))
    elif point == "staged-bytes":
        hit = wait_for(proc, lambda: staged_bytes(out))
    else:
        hit = wait_for(proc, lambda: replaced(out, inodes))
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    if not hit:
        pytest.skip(f"the build ended before the kill point {point!r}")   # pragma: no cover
    assert proc.returncode == -signal.SIGKILL

    now = snapshot(out)
    assert set(now) == set(OUTPUTS), "an output file went missing"
    for name in OUTPUTS:
        assert now[name] in (before[name], after[name]), f"{name} is neither the old nor the new file"
    if point in ("after", "staging", "staged-bytes") and not replaced(out, inodes):
        assert now == before          # nothing was swapped yet: the previous outputs, intact

    finished(kg_build(new, out))      # the next run completes the build
    assert snapshot(out) == after
    assert staging_dirs(out) == [], "the next run leaves no staging folder behind"


# --------------------------------------------------------------------------- kg view and kg export files

class _DiskFull:
    """A file object that writes half of what it is given, then fails (a full disk)."""

    def __init__(self, fh) -> None:
        self.fh = fh

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.fh.close()

    def write(self, data: bytes) -> int:
        self.fh.write(data[: len(data) // 2])
        raise OSError(28, "No space left on device")


@pytest.mark.parametrize("fail", ["mid-write", "at-rename"])
def test_a_view_or_export_file_is_replaced_whole_or_not_at_all(tmp_path, monkeypatch, fail):
    from kg import view
    from kg.errors import UsageError

    target = tmp_path / "page.html"
    target.write_bytes(b"the previous page\n")
    real_fdopen, real_replace = os.fdopen, os.replace
    if fail == "mid-write":
        monkeypatch.setattr(view.os, "fdopen", lambda fd, mode: _DiskFull(real_fdopen(fd, mode)))
    else:
        monkeypatch.setattr(view.os, "replace", lambda a, b: (_ for _ in ()).throw(OSError(5, "I/O error")))
    with pytest.raises(UsageError, match="cannot write"):
        view.write_file(target, b"<html>" + b"x" * 100_000)
    assert target.read_bytes() == b"the previous page\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.html"]
    monkeypatch.setattr(view.os, "fdopen", real_fdopen)
    monkeypatch.setattr(view.os, "replace", real_replace)
    view.write_file(target, b"<html>new")
    assert target.read_bytes() == b"<html>new"
