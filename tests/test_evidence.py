"""Evidence per item: files (with size, SHA-256 and modification time), URLs and references."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from tui.core.evidence import EvidenceError, check, make


def test_a_file_is_recorded_with_its_path_size_digest_and_time(tmp_path: Path) -> None:
    report = tmp_path / "minutes 2026-14.pdf"
    report.write_bytes(b"%PDF-1.7 minutes")
    os.utime(report, (1_790_000_000, 1_790_000_000))
    e = make("minutes 2026-14.pdf", note="signed copy", cwd=tmp_path)
    assert (e.kind, e.target, e.note) == ("file", str(report.resolve()), "signed copy")
    assert e.size == 16 and e.sha256 == hashlib.sha256(b"%PDF-1.7 minutes").hexdigest()
    assert e.mtime == "2026-09-21T14:13:20Z"
    assert e.label == "file minutes 2026-14.pdf"


@pytest.mark.parametrize(("target", "kind"), [
    ("https://kw.beijing.gov.cn/notice/2026-14", "url"), ("mailto:office@pku.edu.cn", "url"),
    ("Minute 2026-14 of the academic committee", "reference"), ("京科发〔2026〕14号", "reference"),
    ("Doc 2026/14", "reference"),
])
def test_urls_and_references_are_told_apart(tmp_path: Path, target: str, kind: str) -> None:
    e = make(target, cwd=tmp_path)
    assert (e.kind, e.target) == (kind, target)


@pytest.mark.parametrize("target", ["./minutes.pdf", "~/reports/q3.docx", "/nope/report.pdf", "report.xlsx"])
def test_a_missing_file_is_refused_not_kept_as_a_reference_by_mistake(tmp_path: Path, target: str) -> None:
    with pytest.raises(EvidenceError, match="no such file: .*add --ref"):
        make(target, cwd=tmp_path)
    assert make(target, kind="reference", cwd=tmp_path).kind == "reference"  # on purpose


def test_folders_empty_targets_and_bad_urls_are_refused(tmp_path: Path) -> None:
    with pytest.raises(EvidenceError, match="is a folder"):
        make(str(tmp_path))
    with pytest.raises(EvidenceError, match="give a file, a URL or a reference"):
        make("   ")
    with pytest.raises(EvidenceError, match="not a URL"):
        make("kw.beijing.gov.cn", kind="url")
    with pytest.raises(EvidenceError, match="control characters"):
        make("Minute\n14")


def test_check_finds_files_changed_or_missing_since_they_were_attached(tmp_path: Path) -> None:
    kept, edited, gone, touched = (tmp_path / n for n in ("kept.pdf", "edited.pdf", "gone.pdf", "touched.pdf"))
    for f in (kept, edited, gone, touched):
        f.write_text("original", encoding="utf-8")
        os.utime(f, (1_790_000_000, 1_790_000_000))
    attached = {f.name: make(str(f)) for f in (kept, edited, gone, touched)}
    edited.write_text("edited afterwards", encoding="utf-8")
    gone.unlink()
    os.utime(touched, (1_800_000_000, 1_800_000_000))
    states = {name: check(e) for name, e in attached.items()}
    assert states["kept.pdf"].state == "ok" and states["kept.pdf"].detail == ""
    assert states["edited.pdf"].state == "changed" and "content differs" in states["edited.pdf"].detail
    assert states["gone.pdf"].state == "missing"
    assert states["touched.pdf"].state == "ok" and "same content, touched since" in states["touched.pdf"].detail
    assert check(make("https://example.org/x")).state == "not a file"
