"""Input folders as they come: statement names from paths, deep folders, links that leave the
folder, huge and binary files."""
from __future__ import annotations

import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from rdflib import Dataset

from kg.documents import (
    MAX_BYTES,
    collect_paths,
    collect_sources,
    doc_id_for,
    read_document,
)
from kg.errors import InputError
from kg.rdf import doc_iri, graph_iri

ROOT = Path(__file__).resolve().parent.parent
BODY = "The Ministry of Tides implements the Law No. 3/2019.\n"
OUTPUTS = ("graph.ttl", "graph.trig", "facts.tsv", "graph.html")


def write(root: Path, name: str, text: str = BODY) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- statement names

@pytest.mark.parametrize("rel, name", [
    pytest.param("00_macao-tip-2025-response.txt", "00_macao-tip-2025-response", id="top-level-name-as-before"),
    pytest.param("Reply (final) v2.md", "Reply-final-v2", id="punctuation-runs-become-one-hyphen-as-before"),
    pytest.param("报告.txt", "报告", id="chinese-letters-kept"),
    pytest.param("отчет.txt", "отчет", id="cyrillic-letters-kept"),
    pytest.param("हिन्दी.txt", "हिन्दी", id="combining-marks-kept"),
    pytest.param("sub/dir/报告.txt", "sub/dir/报告", id="path-below-the-input-folder"),
    pytest.param("a b/c.txt", "a-b/c", id="folder-names-cleaned-like-file-names"),
    pytest.param("!!!.txt", "doc", id="nothing-left-is-doc-as-before"),
])
def test_statement_name_is_the_path_below_the_input(tmp_path, rel, name):
    path = write(tmp_path, rel)
    assert doc_id_for(path, tmp_path) == name
    sources, problems = collect_sources([tmp_path])
    assert problems == [] and [s.name for s in sources] == [name]


def test_names_are_nfc_whatever_the_file_system_wrote(tmp_path):
    decomposed = unicodedata.normalize("NFD", "Déclaration.txt")
    assert doc_id_for(write(tmp_path, decomposed), tmp_path) == unicodedata.normalize("NFC", "Déclaration")


def test_a_file_given_by_itself_is_named_by_its_stem(tmp_path):
    path = write(tmp_path, "sub/报告.txt")
    assert [s.name for s in collect_sources([path])[0]] == ["报告"]
    assert read_document(path).doc_id == "报告"


@pytest.mark.parametrize("name, iri", [
    pytest.param("00_macao-tip-2025-response", "https://w3id.org/kg/doc/00_macao-tip-2025-response", id="ascii-unchanged"),
    pytest.param("sub/dir/报告", "https://w3id.org/kg/doc/sub/dir/报告", id="letters-and-slashes-kept-in-the-iri"),
    pytest.param("a\ufffeb", "https://w3id.org/kg/doc/a%EF%BF%BEb", id="non-characters-percent-encoded"),
])
def test_statement_iris_keep_letters(name, iri):
    assert str(doc_iri(name)) == iri
    assert str(graph_iri(name)) == iri.replace("/doc/", "/graph/")


def corpus(root: Path, copies: int) -> None:
    """报告.txt, отчет.txt and ``copies`` subfolders each holding the same two statements."""
    write(root, "报告.txt", "The Ministry of Tides implements the Law No. 5/2020.\n")
    write(root, "отчет.txt", "The Harbour Police coordinates with the Ministry of Tides.\n")
    for i in range(copies):
        write(root, f"copy{i:02d}/a.txt", BODY)
        write(root, f"copy{i:02d}/b.md", "The Bureau of Shells implements the Law No. 7/2021.\n")


def test_same_stems_in_subfolders_and_other_scripts_are_all_built_stably(nlp, tmp_path):
    from kg.pipeline import build

    corpus(tmp_path / "in", 50)
    results = [build([tmp_path / "in"], tmp_path / f"out{run}", nlp=nlp) for run in (1, 2)]
    names = {"报告", "отчет"} | {f"copy{i:02d}/{s}" for i in range(50) for s in "ab"}
    for result in results:
        assert result.problems == []
        assert {d.doc_id for d in result.documents} == names and result.document_count == 102
    for name in OUTPUTS:
        assert (tmp_path / "out1" / name).read_bytes() == (tmp_path / "out2" / name).read_bytes(), name
    ds = Dataset()
    ds.parse(tmp_path / "out1" / "graph.trig", format="trig")
    graphs = {str(g.identifier) for g in ds.graphs()} - {"urn:x-rdflib:default"}
    assert {str(graph_iri(n)) for n in names} <= graphs
    claims = [line for line in (tmp_path / "out1" / "graph.ttl").read_text(encoding="utf-8").splitlines()
              if "/claim/x/" in line]
    assert claims == []    # no statement's claims keyed by a name that lost its letters


# --------------------------------------------------------------------------- deep folders

def test_a_thousand_folders_deep_is_walked_without_recursion(tmp_path):
    deep = tmp_path / "deep"
    deep.mkdir()
    here = os.getcwd()
    os.chdir(deep)
    try:
        for _ in range(1000):
            os.mkdir("d")
            os.chdir("d")
        Path("bottom.txt").write_text(BODY, encoding="utf-8")
    finally:
        os.chdir(here)
    try:
        sources, problems = collect_sources([deep])
        assert problems == []
        assert [s.name for s in sources] == ["/".join(["d"] * 1000 + ["bottom"])]
    finally:
        remove_chain(deep, 1000)


def remove_chain(top: Path, depth: int) -> None:
    """Remove a chain of ``depth`` folders named d (shutil.rmtree recurses, and would fail)."""
    here = os.getcwd()
    os.chdir(top)
    try:
        for _ in range(depth):
            os.chdir("d")
        os.unlink("bottom.txt")
        for _ in range(depth):
            os.chdir("..")
            os.rmdir("d")
    finally:
        os.chdir(here)


# --------------------------------------------------------------------------- links

@pytest.fixture
def linked(tmp_path):
    """An input folder holding a statement, a link to a file inside it and links to files outside."""
    root = tmp_path / "in"
    write(root, "own.txt")
    write(root, "sub/target.txt")
    secret = write(tmp_path, "outside/secret.txt", "The Ministry of Secrets implements the Law No. 1/2001.\n")
    (root / "inner.txt").symlink_to(root / "sub" / "target.txt")
    (root / "leak.txt").symlink_to(secret)
    (root / "sub" / "up.md").symlink_to(Path("..") / ".." / "outside" / "secret.txt")   # relative, still outside
    return root


def test_links_leaving_the_input_folder_are_skipped_with_a_notice(linked):
    files, problems = collect_paths([linked])
    assert files == [linked / "inner.txt", linked / "own.txt", linked / "sub" / "target.txt"]
    assert {Path(p.path).relative_to(linked).as_posix() for p in problems} == {"leak.txt", "sub/up.md"}
    for p in problems:
        assert "outside" in p.reason and "--follow-links" in p.reason and "\n" not in str(p)


def test_follow_links_reads_them(linked):
    files, problems = collect_paths([linked], follow_links=True)
    assert problems == []
    assert linked / "leak.txt" in files and linked / "sub" / "up.md" in files


def kg(*args: object, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg", *map(str, args)], cwd=ROOT, capture_output=True, text=True, check=False,
                          timeout=600, **kw)


@pytest.mark.parametrize("flags, exit_code, secret", [
    pytest.param([], 2, False, id="skipped-and-reported-by-default"),
    pytest.param(["--follow-links"], 0, True, id="followed-with-follow-links"),
])
def test_build_and_links_leaving_the_folder(linked, tmp_path, flags, exit_code, secret):
    proc = kg("build", linked, "--out", tmp_path / "out", "--quiet", *flags)
    assert proc.returncode == exit_code, proc.stderr
    notices = [line for line in proc.stderr.splitlines() if "outside" in line]
    assert len(notices) == (0 if secret else 2) and all(line.startswith("kg: skipped ") for line in notices)
    assert ("Ministry of Secrets" in (tmp_path / "out" / "facts.tsv").read_text(encoding="utf-8")) is secret


# --------------------------------------------------------------------------- huge and binary files

MEASURE = """
import sys
from pathlib import Path
from kg.documents import read_document
from kg.errors import InputError
for name in sys.argv[1:]:
    try:
        read_document(Path(name))
    except InputError as exc:
        print(exc.reason)
# this process's peak RSS (VmHWM is the peak of its own memory since exec; getrusage's ru_maxrss
# can carry the forking parent's, here a test process with spaCy loaded)
print(next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:")) // 1024)
"""


@pytest.fixture
def huge(tmp_path):
    """A sparse 2 GiB .txt, a binary .txt just under the limit (NUL bytes), and a 32 MiB
    file whose first piece is not UTF-8."""
    folder = tmp_path / "in"
    write(folder, "good.txt")
    with open(folder / "huge.txt", "wb") as fh:
        fh.truncate(2 * 1024**3)
    with open(folder / "nul.txt", "wb") as fh:
        fh.write(b"\x00" * (MAX_BYTES - 1))
    with open(folder / "latin1.txt", "wb") as fh:
        fh.write("Déclaration ".encode("latin-1") + os.urandom(32 * 1024**2).replace(b"\x00", b"\xff"))
    return folder


def test_huge_and_binary_files_are_refused_without_reading_them_whole(huge):
    proc = subprocess.run([sys.executable, "-c", MEASURE, *(huge / n for n in ("huge.txt", "nul.txt", "latin1.txt"))],
                          cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    *reasons, peak_mib = proc.stdout.split("\n")[:-1]
    assert proc.returncode == 0, proc.stderr
    assert reasons[0].startswith("too large (2,048 MiB; a statement may have at most 64 MiB)")
    assert reasons[1] == "binary file (contains NUL bytes)"
    assert reasons[2] == "not UTF-8 text (bad byte at offset 1)"
    assert int(peak_mib) < 150, f"peak RSS {peak_mib} MiB"     # the files hold 2.1 GiB


def test_build_reports_huge_and_binary_files_and_builds_the_rest(huge, tmp_path):
    proc = kg("build", huge, "--out", tmp_path / "out", "--quiet")
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 3 and all(line.startswith("kg: skipped ") for line in lines), lines
    assert any("huge.txt: too large" in line for line in lines)
    assert "Ministry of Tides" in (tmp_path / "out" / "facts.tsv").read_text(encoding="utf-8")


def test_a_file_over_the_limit_is_refused(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"word " * (MAX_BYTES // 5 + 1))
    with pytest.raises(InputError, match="too large"):
        read_document(path)
