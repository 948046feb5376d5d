"""kg/documents.py: front matter, dates, datelines, offsets, folders and unreadable inputs.

No spaCy model is needed. Every statement below is invented (the Ministry of Tides of
Freedonia does not exist).
"""
from __future__ import annotations

import errno
import re
import signal
from contextlib import contextmanager
from datetime import date as Date
from pathlib import Path

import pytest

from kg.documents import collect_paths, parse_date, read_document, read_documents, split_front_matter
from kg.errors import InputError, KgError, UsageError

BODY = "The Ministry of Tides of Freedonia published its annual report on coastal safety.\n"


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def file_text(path: Path) -> str:
    """The file as kg's offsets count it, computed independently of kg: UTF-8, \\n line ends."""
    return path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")


def is_valid_date(value: str) -> bool:
    """YYYY, YYYY-MM (month 1-12) or a real calendar date."""
    if re.fullmatch(r"\d{4}", value):
        return True
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return 1 <= int(value[5:]) <= 12
    try:
        Date.fromisoformat(value)
    except ValueError:
        return False
    return True


@contextmanager
def deadline(seconds: int):
    """Fail instead of hanging (symlink loops)."""
    def boom(signum, frame):
        raise TimeoutError(f"did not finish within {seconds}s")

    old = signal.signal(signal.SIGALRM, boom)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


# --------------------------------------------------------------------------- front matter

FRONT_MATTER = [
    pytest.param("---\ntitle: !!python/object/apply:os.system [\"echo pwned\"]\n---\n" + BODY,
                 {"title": '!!python/object/apply:os.system ["echo pwned"]'}, BODY,
                 id="yaml-python-tag-stays-literal-text"),
    pytest.param("---\ndate: !!timestamp 2020-01-01\n---\n" + BODY,
                 {"date": "!!timestamp 2020-01-01"}, BODY, id="yaml-timestamp-tag-stays-literal-text"),
    pytest.param("---\npublisher: &pub Ministry of Tides\nsource: *pub\n---\n" + BODY,
                 {"publisher": "&pub Ministry of Tides", "source": "*pub"}, BODY,
                 id="yaml-anchor-and-alias-stay-literal-text"),
    pytest.param("---\ntitle: |\n  Tides and more tides\n---\n" + BODY,
                 {"title": "|"}, BODY, id="yaml-block-scalar-is-not-expanded"),
    pytest.param("---\nTitle: Tidal Reply\nLANGUAGE: en\n---\n" + BODY,
                 {"title": "Tidal Reply", "language": "en"}, BODY, id="keys-are-case-insensitive"),
    pytest.param("---\ntitle: \"Tidal Reply\"\nplace: 'Freedonia City'\n---\n" + BODY,
                 {"title": "Tidal Reply", "place": "Freedonia City"}, BODY, id="enclosing-quotes-removed"),
    pytest.param("---\ntitle: Reply: part two\n---\n" + BODY,
                 {"title": "Reply: part two"}, BODY, id="value-may-contain-a-colon"),
    pytest.param("---\ntitle: Reply\nthis line has no key\n---\n" + BODY,
                 {"title": "Reply"}, BODY, id="lines-without-a-key-ignored"),
    pytest.param("---\ntitle: Reply\n---   \n" + BODY,
                 {"title": "Reply"}, BODY, id="closing-fence-may-have-trailing-blanks"),
    pytest.param("---\ntitle: Reply\npublisher: Ministry of Tides\n" + BODY,
                 {}, "---\ntitle: Reply\npublisher: Ministry of Tides\n" + BODY,
                 id="unclosed-front-matter-is-body-text"),
    pytest.param("----\ntitle: Reply\n----\n" + BODY,
                 {}, "----\ntitle: Reply\n----\n" + BODY, id="four-dashes-is-not-a-fence"),
    pytest.param("Some text first\n---\ntitle: Reply\n---\n" + BODY,
                 {}, "Some text first\n---\ntitle: Reply\n---\n" + BODY,
                 id="fence-not-on-first-line-is-body-text"),
    pytest.param("---\r\ntitle: Reply\r\n---\r\n" + BODY.replace("\n", "\r\n"),
                 {"title": "Reply"}, BODY, id="crlf-front-matter"),
    pytest.param("\ufeff---\ntitle: Reply\n---\n" + BODY,
                 {"title": "Reply"}, BODY, id="utf8-bom-before-front-matter"),
    pytest.param("---\ntitle: The minister answers the \"report\"\n---\n" + BODY,
                 {"title": 'The minister answers the "report"'}, BODY,
                 id="inner-quotes-kept"),
]


@pytest.mark.parametrize("raw, meta, body", FRONT_MATTER)
def test_front_matter(tmp_path, raw, meta, body):
    doc = read_document(write(tmp_path, "statement.txt", raw))
    assert doc.meta == meta
    assert doc.text == body
    for value in doc.meta.values():
        assert type(value) is str


# --------------------------------------------------------------------------- dates

DATES = [
    pytest.param("2017 (day not shown on the page)", "2017", id="year-with-remark-keeps-year"),
    pytest.param("2024-06-24 (release date on the website)", "2024-06-24", id="iso-with-remark-keeps-iso"),
    pytest.param("2024-06-24", "2024-06-24", id="plain-iso"),
    pytest.param("no date", None, id="no-date-is-none"),
    pytest.param("", None, id="empty-is-none"),
    pytest.param("2019-07", "2019-07", id="year-month"),
    pytest.param("2019-13", "2019", id="month-13-falls-back-to-year"),
    pytest.param("published 30 June 2021", "2021", id="prose-date-keeps-year"),
    pytest.param("ref 12345", None, id="five-digit-number-is-not-a-year"),
]


@pytest.mark.parametrize("value, expected", DATES)
def test_parse_date(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", [
    pytest.param("2023-02-30 (typo on the page)", id="february-30"),
    pytest.param("2023-13-45", id="month-13-day-45"),
])
def test_parse_date_never_returns_an_impossible_date(value):
    result = parse_date(value)
    assert result is None or is_valid_date(result)


@pytest.mark.parametrize("front, expected", [
    pytest.param("date: 2017 (day not shown on the page)", "2017", id="messy-year"),
    pytest.param("date: 2024-06-24 (release date on the website)", "2024-06-24", id="messy-iso"),
    pytest.param("date: no date", None, id="no-date"),
    pytest.param("title: Reply", None, id="no-date-key"),
])
def test_front_matter_date(tmp_path, front, expected):
    path = write(tmp_path, "s.txt", f"---\n{front}\n---\n{BODY}")
    doc = read_document(path)
    assert doc.date == expected
    if expected:
        start, end, text = doc.date_evidence
        assert file_text(path)[start:end] == text
        assert text.startswith("date:")


def test_date_evidence_for_capitalised_key(tmp_path):
    path = write(tmp_path, "s.txt", f"---\nDate: 2021-05-04\n---\n{BODY}")
    doc = read_document(path)
    assert doc.date == "2021-05-04"
    assert doc.date_evidence is not None
    start, end, text = doc.date_evidence
    assert file_text(path)[start:end] == text


# --------------------------------------------------------------------------- datelines

DATELINES = [
    pytest.param("date: 2019", "HONG KONG, March 21 - The bureau said it welcomed the review.\n",
                 "Hong Kong", "2019-03-21", id="dateline-year-from-front-matter"),
    pytest.param("date: 2025-09-30", "MACAU, September 30 - The ministry responded.\n",
                 "Macau", "2025-09-30", id="dateline-agrees-with-front-matter"),
    pytest.param("date: 2017 (day not shown on the page)", "MACAU, September 30 - The ministry responded.\n",
                 "Macau", "2017-09-30", id="dateline-completes-messy-year"),
    pytest.param(None, "MACAU, September 30 - The ministry responded.\n",
                 "Macau", None, id="dateline-without-year-gives-no-date"),
    pytest.param(None, "MACAU, September 30, 2018 - The ministry responded.\n",
                 "Macau", "2018-09-30", id="dateline-with-its-own-year"),
    pytest.param("date: 2019", "HONG KONG, March 21 (Xinhua) -- The bureau said.\n",
                 "Hong Kong", "2019-03-21", id="dateline-with-agency-and-double-dash"),
    pytest.param("date: 2019", "FREEDONIA CITY, Sept. 3 \u2013 The ministry said.\n",
                 None, "2019", id="abbreviated-month-is-not-read"),
    pytest.param("date: 2019", "FREEDONIA CITY, June 3 \u2014 The ministry said.\n",
                 "Freedonia City", "2019-06-03", id="em-dash-dateline"),
    pytest.param("date: 2019\nplace: Freedonia", "HONG KONG, March 21 - The bureau said.\n",
                 "Freedonia", "2019-03-21", id="front-matter-place-wins"),
    pytest.param("date: 2019", "Macau, September 30 - The ministry responded.\n",
                 None, "2019", id="place-not-in-capitals-is-not-a-dateline"),
    pytest.param("date: 2019", "MACAU, Septembre 30 - The ministry responded.\n",
                 None, "2019", id="unknown-month-is-not-a-dateline"),
    pytest.param("date: 2019", "The ministry met in MACAU, September 30 - it said.\n",
                 None, "2019", id="dateline-only-at-start-of-text"),
    pytest.param("date: 2019", "MACAU, September 41 - The ministry responded.\n",
                 "Macau", "2019", id="day-out-of-range-gives-no-dateline-date"),
    pytest.param("date: 2019", "MACAU, February 31 - The ministry responded.\n",
                 "Macau", "2019", id="impossible-calendar-day-gives-no-dateline-date"),
    pytest.param(None, "FREEDONIA CITY, 2 July 2026 \u2014 The ministry responded.\n",
                 "Freedonia City", "2026-07-02", id="day-first-dateline-with-year"),
    pytest.param("date: 2019", "GENEVA, 14 March - The bureau said.\n",
                 "Geneva", "2019-03-14", id="day-first-dateline-year-from-front-matter"),
    pytest.param("date: 2026", "MANILA \u2014 The council welcomed the decision.\n",
                 "Manila", "2026", id="place-alone-is-a-dateline"),
    pytest.param("date: 2026", "NEW YORK (Reuters) - The council met.\n",
                 "New York", "2026", id="place-alone-with-agency"),
    pytest.param("date: 2026", "Manila \u2014 The council welcomed the decision.\n",
                 None, "2026", id="place-alone-not-in-capitals-is-not-a-dateline"),
    pytest.param("date: 2026", "The council in MANILA \u2014 it said \u2014 met.\n",
                 None, "2026", id="place-alone-only-at-start-of-text"),
]


@pytest.mark.parametrize("front, body, place, date", DATELINES)
def test_dateline(tmp_path, front, body, place, date):
    raw = (f"---\n{front}\n---\n" if front else "") + body
    path = write(tmp_path, "s.txt", raw)
    doc = read_document(path)
    assert (doc.place, doc.date) == (place, date)
    if doc.date_evidence:
        start, end, text = doc.date_evidence
        assert file_text(path)[start:end] == text


# --------------------------------------------------------------------------- offsets and line ends

OFFSETS = [
    pytest.param(b"---\ntitle: Reply\ndate: 2019\n---\nMACAU, March 2 - Text.\nMore text.\n", id="lf"),
    pytest.param(b"---\r\ntitle: Reply\r\ndate: 2019\r\n---\r\nMACAU, March 2 - Text.\r\nMore text.\r\n",
                 id="crlf"),
    pytest.param(b"---\rtitle: Reply\rdate: 2019\r---\rMACAU, March 2 - Text.\rMore text.\r", id="cr-only"),
    pytest.param(b"---\r\ntitle: Reply\ndate: 2019\r\n---\nMACAU, March 2 - Text.\r\nMore text.\n",
                 id="mixed-line-ends"),
    pytest.param("---\ntitle: Caf\u00e9 \u2013 r\u00e9ponse \U0001F30A\ndate: 2019\n---\n"
                 "MACAU, March 2 - Le minist\u00e8re r\u00e9pond.\n".encode(), id="non-ascii-front-matter"),
    pytest.param(b"\xef\xbb\xbf---\r\ntitle: Reply\r\n---\r\n\r\n\r\nMACAU, March 2 - Text.\r\n",
                 id="bom-crlf-and-blank-lines-after-front-matter"),
    pytest.param(b"MACAU, March 2 - Text without front matter.\r\nMore.\r\n", id="no-front-matter"),
    pytest.param(b"---\ntitle: Reply\nMACAU, March 2 - Unclosed.\r\n", id="unclosed-front-matter"),
]


@pytest.mark.parametrize("data", OFFSETS)
def test_offset_maps_text_back_to_file(tmp_path, data):
    path = write(tmp_path, "s.txt", data)
    doc = read_document(path)
    raw = file_text(path)
    assert "\r" not in doc.text
    assert all(raw[doc.offset + i] == ch for i, ch in enumerate(doc.text))
    assert raw[doc.offset:] == doc.text
    if doc.date_evidence:
        start, end, text = doc.date_evidence
        assert raw[start:end] == text


def test_crlf_and_lf_files_read_alike(tmp_path):
    lf = "---\ntitle: Reply\ndate: 2019\n---\nMACAU, March 2 - Text.\nMore text.\n"
    a = read_document(write(tmp_path, "a.txt", lf))
    b = read_document(write(tmp_path, "b.txt", lf.replace("\n", "\r\n")))
    assert (a.text, a.meta, a.date, a.place, a.offset, a.date_evidence) == \
           (b.text, b.meta, b.date, b.place, b.offset, b.date_evidence)


def test_split_front_matter_offset():
    raw = "---\ntitle: Reply\n---\n" + BODY
    meta, body, offset = split_front_matter(raw)
    assert raw[offset:] == body == BODY
    assert meta == {"title": "Reply"}


# --------------------------------------------------------------------------- collect_paths

def test_collect_paths_sorted_statement_files_only_nested(tmp_path):
    for name in ["b.txt", "a.md", "notes.pdf", "README", "sub/deeper/c.txt", "sub/a.txt", "sub/x.json", "D.TXT"]:
        write(tmp_path, name, BODY)
    files, problems = collect_paths([tmp_path])
    assert problems == []
    assert files == [tmp_path / n for n in ["D.TXT", "a.md", "b.txt", "sub/a.txt", "sub/deeper/c.txt"]]


def test_collect_paths_keeps_input_order_and_drops_duplicates(tmp_path):
    z = write(tmp_path, "z.txt", BODY)
    a = write(tmp_path, "folder/a.txt", BODY)
    files, problems = collect_paths([z, tmp_path / "folder", a, str(z)])
    assert (files, problems) == ([z, a], [])


@pytest.mark.parametrize("make_loop, reported", [
    pytest.param(lambda root: (root / "sub" / "up").symlink_to(root, target_is_directory=True), {},
                 id="symlink-to-ancestor"),
    pytest.param(lambda root: (root / "sub" / "here").symlink_to(root / "sub", target_is_directory=True), {},
                 id="symlink-to-itself-folder"),
    pytest.param(lambda root: (root / "sub" / "self.txt").symlink_to(root / "sub" / "self.txt"),
                 {"sub/self.txt": "symbolic link loop"}, id="self-referencing-symlink-file-is-reported"),
    pytest.param(lambda root: ((root / "sub" / "ping").symlink_to(root / "sub" / "pong"),
                               (root / "sub" / "pong").symlink_to(root / "sub" / "ping")), {},
                 id="two-symlinks-pointing-at-each-other"),
    pytest.param(lambda root: ((root / "sub" / "ping.md").symlink_to(root / "sub" / "pong.txt"),
                               (root / "sub" / "pong.txt").symlink_to(root / "sub" / "ping.md")),
                 {"sub/ping.md": "symbolic link loop", "sub/pong.txt": "symbolic link loop"},
                 id="two-statement-symlinks-pointing-at-each-other-are-reported"),
    pytest.param(lambda root: (root / "sub" / "gone.txt").symlink_to(root / "nowhere.txt"),
                 {"sub/gone.txt": "broken symbolic link"}, id="broken-symlink-is-reported"),
])
def test_collect_paths_symlink_loops_do_not_hang(tmp_path, make_loop, reported):
    root = tmp_path / "root"
    good = write(root, "sub/a.txt", BODY)
    make_loop(root)
    with deadline(10):
        files, problems = collect_paths([root])
    assert files == [good]
    assert {str(Path(p.path).relative_to(root)): p.reason for p in problems} == reported


def test_collect_paths_symlink_loop_given_directly_is_reported(tmp_path):
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    with deadline(10):
        files, problems = collect_paths([loop])
    assert files == []
    assert [p.path for p in problems] == [str(loop)]


def test_collect_paths_missing_path_is_usage_error(tmp_path):
    missing = tmp_path / "no-such-statement.txt"
    with pytest.raises(UsageError) as info:
        collect_paths([missing])
    assert str(missing) in str(info.value)
    assert "no such file" in str(info.value)


@pytest.mark.parametrize("names", [
    pytest.param([], id="empty-folder"),
    pytest.param(["scan.pdf", "data.json", "README"], id="only-other-files"),
    pytest.param(["sub/scan.pdf"], id="only-nested-other-files"),
])
def test_collect_paths_folder_without_statements(tmp_path, names):
    folder = tmp_path / "inbox"
    folder.mkdir()
    for name in names:
        write(folder, name, BODY)
    good = write(tmp_path, "good.txt", BODY)
    files, problems = collect_paths([folder, good])
    assert files == [good]
    assert len(problems) == 1 and isinstance(problems[0], InputError)
    assert problems[0].path == str(folder)
    assert str(folder) in str(problems[0])
    assert "no .txt or .md" in problems[0].reason


def test_collect_paths_unenterable_path_is_a_kg_error(tmp_path, monkeypatch):
    target = tmp_path / "locked" / "statement.txt"
    real_stat = Path.stat

    def stat(self, *args, **kwargs):
        if self == target:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_stat(self, *args, **kwargs)

    monkeypatch.setattr(Path, "stat", stat)
    try:
        files, problems = collect_paths([target])
    except KgError as exc:
        assert str(target) in str(exc)
    else:
        assert files == [] and [p.path for p in problems] == [str(target)]


def test_collect_paths_unreadable_folder_says_so(tmp_path, monkeypatch):
    folder = tmp_path / "locked"
    write(folder, "a.txt", BODY)
    real_iterdir = Path.iterdir

    def iterdir(self):
        if self == folder:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_iterdir(self)

    monkeypatch.setattr(Path, "iterdir", iterdir)
    files, problems = collect_paths([folder])
    assert files == []
    assert [p.path for p in problems] == [str(folder)]
    assert "cannot read" in problems[0].reason


# --------------------------------------------------------------------------- read_document errors

BAD_FILES = [
    pytest.param(b"", "empty file", id="empty-file"),
    pytest.param(b" \n\t\r\n  \n", "empty file", id="whitespace-only"),
    pytest.param(b"---\ntitle: Reply\ndate: 2019\n---\n", "no text after the front matter", id="front-matter-only"),
    pytest.param(b"---\ntitle: Reply\n---\n\n   \n\t\n", "no text after the front matter",
                 id="front-matter-then-blank-lines"),
    pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary", id="binary-nul-bytes"),
    pytest.param("Ministry of Tides".encode("utf-16"), "binary", id="utf16-has-nul-bytes"),
    pytest.param("D\u00e9claration du minist\u00e8re des Mar\u00e9es.".encode("latin-1"), "not UTF-8",
                 id="latin1-bytes-not-utf8"),
    pytest.param(b"Valid start \xff\xfe then garbage", "offset 12", id="non-utf8-names-the-byte-offset"),
    pytest.param(b"\xef\xbb\xbf", "empty", id="bom-only-is-empty"),
    pytest.param("\u00a0\u2003\u3000\n".encode(), "empty", id="unicode-whitespace-only-is-empty"),
]


@pytest.mark.parametrize("data, reason", BAD_FILES)
def test_read_document_rejects(tmp_path, data, reason):
    path = write(tmp_path, "bad-statement.txt", data)
    with pytest.raises(InputError) as info:
        read_document(path)
    exc = info.value
    assert exc.path == str(path)
    assert str(exc).startswith(f"{path}: ")
    assert reason in exc.reason
    assert "\n" not in str(exc)


def test_read_document_unreadable(tmp_path, monkeypatch):
    path = write(tmp_path, "locked.txt", BODY)

    def refuse(file, *args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(file))

    monkeypatch.setattr("kg.documents.open", refuse, raising=False)
    with pytest.raises(InputError) as info:
        read_document(path)
    assert info.value.path == str(path)
    assert str(path) in str(info.value)
    assert "cannot read" in info.value.reason and "Permission denied" in info.value.reason


def test_read_documents_keeps_good_files_and_reports_bad_ones(tmp_path):
    good = write(tmp_path, "a-good.txt", BODY)
    empty = write(tmp_path, "b-empty.txt", b"")
    binary = write(tmp_path, "c-binary.txt", b"\x00\x01")
    also_good = write(tmp_path, "d-good.md", "---\ntitle: Reply\n---\n" + BODY)
    docs, problems = read_documents([good, empty, binary, also_good])
    assert [d.path for d in docs] == [str(good), str(also_good)]
    assert [p.path for p in problems] == [str(empty), str(binary)]
    assert [d.doc_id for d in docs] == ["a-good", "d-good"]
