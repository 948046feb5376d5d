"""Hostile and huge inputs through the real ``kg build``: thousands of tiny and empty files, special
files that must never be opened, file names with newlines and bidi marks, YAML bombs in front
matter, and (marked ``long``) a 20 MB text built with bounded memory.

The statements are invented (the Ministry of Tides of Freedonia does not exist).
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kg.documents import read_document

ROOT = Path(__file__).resolve().parent.parent
GOOD = "The Ministry of Tides of Freedonia said that the Coastal Police implements Law No. {i}/2019.\n"
BAD = {  # content → the reason reported
    b"": "empty file",
    b" \n\t\n": "empty file",
    b"\xef\xbb\xbf": "empty file",
    b"\x00\x01binary": "binary file",
    b"caf\xe9": "not UTF-8",
    b"---\ntitle: only front matter\n---\n": "no text after the front matter",
}


def kg(*args: object, timeout: float = 900) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, encoding="utf-8", errors="replace", timeout=timeout, env=dict(os.environ))


def lines_of(proc: subprocess.CompletedProcess) -> list[str]:
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    lines = proc.stderr.splitlines()
    assert all(line.startswith("kg: ") for line in lines), proc.stderr[-3000:]
    return lines


def documents_in(out: Path) -> set[str]:
    rows = out.joinpath("facts.tsv").read_text(encoding="utf-8").split("\n")[1:-1]
    return {row.split("\t")[4] for row in rows}


# --------------------------------------------------------------------------- many tiny and empty files

def make_many(folder: Path, total: int, good: int) -> tuple[set[str], dict[str, str]]:
    """``total`` files, ``good`` of them tiny statements, the rest tiny or empty bad ones (by name)."""
    folder.mkdir()
    goods, bads = set(), {}
    contents = list(BAD.items())
    for i in range(total):
        if i % (total // good) == 0 and len(goods) < good:
            name = f"good-{i:05d}"
            folder.joinpath(name + ".txt").write_text(GOOD.format(i=i), encoding="utf-8")
            goods.add(name)
        else:
            data, reason = contents[i % len(contents)]
            path = folder / f"bad-{i:05d}.txt"
            path.write_bytes(data)
            bads[str(path)] = reason
    return goods, bads


@pytest.mark.parametrize("total, good", [
    pytest.param(10_000, 100, id="10000-files-100-good"),
    pytest.param(10_000, 5_000, id="10000-files-5000-good", marks=pytest.mark.long),
])
def test_thousands_of_tiny_and_empty_files_build_and_each_bad_one_is_named(tmp_path, total, good):
    goods, bads = make_many(tmp_path / "in", total, good)
    proc = kg("build", tmp_path / "in", "--out", tmp_path / "out", "--quiet")
    assert proc.returncode == 2, proc.stderr[-2000:]
    lines = lines_of(proc)
    assert len(lines) == len(bads) == total - good
    named = {line[len("kg: skipped "):].split(": ", 1)[0]: line for line in lines}
    assert set(named) == set(bads)
    assert all(bads[path] in line for path, line in named.items())
    assert documents_in(tmp_path / "out") == goods


# --------------------------------------------------------------------------- files that are not files

def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _socket(path: Path) -> None:
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(path))
    sock.close()


SPECIAL = [
    pytest.param("fifo.txt", _fifo, "named pipe", id="named-pipe-never-opened"),   # opening it would block
    pytest.param("socket.txt", _socket, "socket", id="unix-socket"),
    pytest.param("zero.txt", lambda p: p.symlink_to("/dev/zero"), "device", id="link-to-dev-zero"),  # endless
    pytest.param("loop.md", lambda p: p.symlink_to(p), "symbolic link loop", id="link-to-itself"),
    pytest.param("broken.txt", lambda p: p.symlink_to(p.parent / "missing.txt"), "broken symbolic link",
                 id="broken-link"),
]
NAMES = [
    pytest.param("empty\nname.txt", "empty\\x0aname.txt", id="newline"),
    pytest.param("empty\r\nname.txt", "empty\\x0d\\x0aname.txt", id="crlf"),
    pytest.param("empty\u202etxt.exe.txt", "empty\\u202etxt.exe.txt", id="right-to-left-override"),
    pytest.param("empty\x1b[31mred.txt", "empty\\x1b[31mred.txt", id="terminal-escape"),
    pytest.param("empty \u2028 line-separator.txt", "empty \\u2028 line-separator.txt", id="line-separator"),
]


@pytest.fixture(scope="module", params=["in-a-folder", "by-name"])
def strange_build(request, tmp_path_factory):
    """One build of a good statement (with a newline in its name) beside every special file and
    every badly named empty file: given as a folder, or each by name."""
    tmp = tmp_path_factory.mktemp("strange")
    folder = tmp / "in"
    folder.mkdir()
    good = folder / "good\nname.txt"
    good.write_text(GOOD.format(i=1), encoding="utf-8")
    for p in SPECIAL:
        name, make, _ = p.values
        make(folder / name)
    for p in NAMES:
        folder.joinpath(p.values[0]).write_bytes(b"")
    inputs = [folder] if request.param == "in-a-folder" else sorted(folder.iterdir())
    proc = kg("build", *inputs, "--out", tmp / "out", "--quiet", timeout=300)
    return folder, proc, tmp / "out"


@pytest.mark.parametrize("name, make, reason", SPECIAL)
def test_special_file_is_reported_by_name_and_never_opened(strange_build, name, make, reason):
    folder, proc, _ = strange_build
    naming = [line for line in lines_of(proc) if line.startswith(f"kg: skipped {folder / name}: ")]
    assert len(naming) == 1 and reason in naming[0], proc.stderr


@pytest.mark.parametrize("name, shown", NAMES)
def test_bad_file_with_a_hostile_name_is_reported_on_one_line(strange_build, name, shown):
    folder, proc, _ = strange_build
    assert f"kg: skipped {folder}/{shown}: empty file" in lines_of(proc)


def test_beside_strange_files_the_good_one_is_built(strange_build):
    _, proc, out = strange_build
    assert proc.returncode == 2 and len(lines_of(proc)) == len(SPECIAL) + len(NAMES)
    assert documents_in(out) == {"good-name"}


# --------------------------------------------------------------------------- YAML bombs

LAUGHS = textwrap.dedent("""\
    ---
    title: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
    place: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
    publisher: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
    source: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
    language: [*d,*d,*d,*d,*d,*d,*d,*d,*d]
    date: !!python/object/apply:time.sleep [30]
    ---
    The Ministry of Tides of Freedonia said nothing.
    """)


def test_billion_laughs_and_yaml_tags_are_read_as_plain_text(tmp_path):
    path = tmp_path / "laughs.txt"
    path.write_text(LAUGHS, encoding="utf-8")
    doc = read_document(path)
    assert doc.meta["language"] == "[*d,*d,*d,*d,*d,*d,*d,*d,*d]"
    assert doc.meta["date"] == "!!python/object/apply:time.sleep [30]" and doc.date is None
    assert sum(len(v) for v in doc.meta.values()) < len(LAUGHS)


def test_billion_laughs_builds_as_text(tmp_path):
    path = tmp_path / "laughs.txt"
    path.write_text(LAUGHS, encoding="utf-8")
    proc = kg("build", path, "--out", tmp_path / "out", "--quiet", timeout=300)
    assert proc.returncode == 0, proc.stderr
    trig = (tmp_path / "out" / "graph.trig").read_text(encoding="utf-8")
    assert '[\\"lol\\",\\"lol\\"' in trig or '["lol","lol"' in trig
    assert "[*d,*d,*d,*d,*d,*d,*d,*d,*d]" in trig


# --------------------------------------------------------------------------- a 20 MB text

MEASURE = """
import resource, subprocess, sys
proc = subprocess.run(sys.argv[1:], capture_output=True, text=True)
sys.stderr.write(proc.stderr)
print(proc.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""
BIG_BYTES = 20 * 1024 * 1024
# Measured: 2,665 MB peak (one million-character piece parses in ~2.4 GB); before pieces were parsed
# a million characters at a time and dropped once read, the build passed 12 GB. Parsing the whole
# text at once would take tens of GB.
RSS_BOUND_MB = 4000


@pytest.mark.long
def test_a_20_mb_text_builds_with_bounded_memory(tmp_path):
    seed = (ROOT / "data" / "00_macao-tip-2025-response.txt").read_text(encoding="utf-8")
    body = seed.split("---\n", 2)[-1].strip() + "\n\n"
    big = tmp_path / "big.txt"
    with big.open("w", encoding="utf-8") as fh:
        written = 0
        while written < BIG_BYTES:
            written += fh.write(body)
    proc = subprocess.run([sys.executable, "-c", MEASURE, sys.executable, "-m", "kg", "build", str(big),
                           "--out", str(tmp_path / "out"), "--quiet"],
                          cwd=ROOT, capture_output=True, text=True, timeout=7200)
    code, peak_kb = map(int, proc.stdout.split())
    print(f"\n20 MB text ({big.stat().st_size:,} bytes): exit {code}, peak RSS {peak_kb / 1024:,.0f} MB")
    assert code == 0, proc.stderr[-2000:]
    assert documents_in(tmp_path / "out") == {"big"}
    assert peak_kb / 1024 < RSS_BOUND_MB
