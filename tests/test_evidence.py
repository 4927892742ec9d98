"""Evidence per item: files (with size, SHA-256 and modification time), URLs and references."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from tui.core.progress.evidence import EvidenceError, check, make


def test_a_file_is_recorded_with_its_path_size_digest_and_time(tmp_path: Path) -> None:
    report = tmp_path / "minutes 2026-14.pdf"
    report.write_bytes(b"%PDF-1.7 minutes")
    os.utime(report, (1_790_000_000, 1_790_000_000))
    e = make("minutes 2026-14.pdf", note="signed copy", cwd=tmp_path)
    assert (e.kind, e.target, e.note) == ("file", str(report.resolve()), "signed copy")
    assert e.size == 16 and e.sha256 == hashlib.sha256(b"%PDF-1.7 minutes").hexdigest()
    assert e.mtime == "2026-09-21T14:13:20Z"
    assert e.label == "file minutes 2026-14.pdf"


@pytest.mark.parametrize(
    ("target", "kind"),
    [
        ("https://kw.beijing.gov.cn/notice/2026-14", "url"),
        ("mailto:office@pku.edu.cn", "url"),
        ("Minute 2026-14 of the academic committee", "reference"),
        ("京科发〔2026〕14号", "reference"),
        ("Doc 2026/14", "reference"),
    ],
)
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


# The store, the CLI and the exports ----------------------------------------------------------

import csv  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402

from tests.helpers import run_cli  # noqa: E402
from tui.core import locations  # noqa: E402
from tui.core.store.sqlite import Store  # noqa: E402


def _evidence_json(capsys, *args: str) -> list[dict]:
    code, out, err = run_cli(capsys, "evidence", "list", *args, "--format", "json")
    assert code == 0, err
    return json.loads(out)


def test_evidence_add_list_remove_with_history(capsys, tmp_path: Path) -> None:
    minutes = tmp_path / "minutes.pdf"
    minutes.write_bytes(b"signed minutes")
    code, out, err = run_cli(
        capsys, "evidence", "add", "university", "uni-033", str(minutes), "--note", "signed copy", "--by", "Wang Li"
    )
    assert code == 0, err
    assert out.startswith(f"university uni-033: evidence 1 attached: file {minutes} (14 bytes, SHA-256 ")
    run_cli(capsys, "evidence", "add", "university", "uni-033", "https://kw.beijing.gov.cn/n/14")
    run_cli(capsys, "evidence", "add", "university", "uni-033", "Minute 2026-14", "--ref")
    [entry] = _evidence_json(capsys, "university", "uni-033")
    assert [(e["n"], e["kind"]) for e in entry["evidence"]] == [(1, "file"), (2, "url"), (3, "reference")]
    first = entry["evidence"][0]
    assert first["by"] == "Wang Li" and first["note"] == "signed copy" and first["size"] == 14
    assert first["sha256"] == hashlib.sha256(b"signed minutes").hexdigest()
    assert entry["evidence"][1]["by"] == "officer"  # no --by, no configured name: the login name
    code, out, _ = run_cli(capsys, "evidence", "remove", "university", "uni-033", "2", "--by", "Li Si")
    assert code == 0 and "evidence 2 removed: url https://kw.beijing.gov.cn/n/14" in out
    assert [e["kind"] for e in _evidence_json(capsys, "university")[0]["evidence"]] == ["file", "reference"]
    code, _, err = run_cli(capsys, "evidence", "remove", "university", "uni-033", "7")
    assert code == 1 and "uni-033 has no evidence 7; its evidence is numbered: 1-2" in err
    store = Store.open(locations.store_path()).store
    history = [(h.field, h.by) for h in store.history("default", "university")]
    assert history == [("evidence+", "Wang Li"), ("evidence+", "officer"), ("evidence+", "officer"), ("evidence-", "Li Si")]
    # Removed is marked removed, never deleted.
    assert store._conn.execute("SELECT count(*) FROM evidence WHERE removed != ''").fetchone()[0] == 1
    store.close()
    code, _, err = run_cli(capsys, "evidence", "add", "university", "uni-999", "x")
    assert code == 1 and "no item 'uni-999' in university" in err


def test_evidence_check_reports_files_changed_or_missing(capsys, tmp_path: Path) -> None:
    kept, edited, gone = (tmp_path / n for n in ("kept.pdf", "edited.pdf", "gone.pdf"))
    for f in (kept, edited, gone):
        f.write_text("v1", encoding="utf-8")
        assert run_cli(capsys, "evidence", "add", "soe", "soe-003", str(f))[0] == 0
    run_cli(capsys, "evidence", "add", "soe", "soe-003", "Minute 12")
    code, out, _ = run_cli(capsys, "evidence", "check")
    assert code == 0 and "3 attached files checked: 0 changed or missing" in out.splitlines()[0]
    edited.write_text("v2, edited after it was attached", encoding="utf-8")
    gone.unlink()
    code, out, _ = run_cli(capsys, "evidence", "check", "soe")
    assert code == 1
    lines = out.splitlines()
    assert "3 attached files checked: 2 changed or missing" in lines[0]
    assert lines[1].startswith(f"CHANGED: soe soe-003 evidence 2: {edited}: now ")
    assert lines[2] == f"MISSING: soe soe-003 evidence 3: {gone} is no longer there"
    code, out, _ = run_cli(capsys, "evidence", "check", "--format", "json")
    assert code == 1 and [r["state"] for r in json.loads(out)] == ["ok", "changed", "missing"]


def test_exports_carry_evidence_and_import_restores_it(capsys, tmp_path: Path) -> None:
    minutes = tmp_path / "minutes.pdf"
    minutes.write_text("minutes", encoding="utf-8")
    run_cli(capsys, "mark", "university", "uni-033", "done", "--by", "Wang Li")
    run_cli(capsys, "evidence", "add", "university", "uni-033", str(minutes), "--note", "signed", "--by", "Wang Li")
    run_cli(capsys, "evidence", "add", "university", "uni-033", "Minute 2026-14", "--by", "Wang Li")
    code, out, _ = run_cli(capsys, "export", "university", "--format", "json")
    data = json.loads(out)
    assert data["schema_version"] == 3
    item = next(i for i in data["items"] if i["id"] == "uni-033")
    assert [e["kind"] for e in item["attached_evidence"]] == ["file", "reference"]
    assert item["attached_evidence"][0]["sha256"] == hashlib.sha256(b"minutes").hexdigest()
    assert {h["by"] for h in data["history"]} == {"Wang Li"}
    code, out, _ = run_cli(capsys, "export", "university", "--format", "csv")
    row = next(r for r in csv.DictReader(io.StringIO(out.lstrip("\ufeff"))) if r["id"] == "uni-033")
    assert row["evidence_count"] == "2" and row["evidence_first"] == str(minutes)
    code, out, _ = run_cli(capsys, "export", "university")
    assert "  - Done on " in out and " by Wang Li" in out
    assert f"    - file {minutes} (7 bytes, SHA-256 " in out and ": signed" in out
    assert "    - reference Minute 2026-14, attached " in out
    assert "Wang Li attached reference Minute 2026-14 to uni-033" in out and "Wang Li marked uni-033 done" in out
    # Into a fresh store: the evidence comes back, once.
    (tmp_path / "uni.json").write_text(json.dumps(data), encoding="utf-8")
    for p in locations.store_path().parent.glob("progress.sqlite3*"):
        p.unlink()
    code, out, err = run_cli(capsys, "import", str(tmp_path / "uni.json"))
    assert code == 0, err
    assert "2 evidence restored" in out
    assert [e["target"] for e in _evidence_json(capsys, "university")[0]["evidence"]] == [str(minutes), "Minute 2026-14"]
    assert "0 evidence restored" in run_cli(capsys, "import", str(tmp_path / "uni.json"))[1]  # not twice
    # Removed here after the export: an import of the older file does not bring it back.
    run_cli(capsys, "evidence", "remove", "university", "uni-033", "1")
    assert "0 evidence restored" in run_cli(capsys, "import", str(tmp_path / "uni.json"))[1]
    assert [e["target"] for e in _evidence_json(capsys, "university")[0]["evidence"]] == ["Minute 2026-14"]


def test_import_refuses_bad_evidence_in_the_file(capsys, tmp_path: Path) -> None:
    code, out, _ = run_cli(capsys, "export", "soe", "--format", "json")
    data = json.loads(out)
    data["items"][0]["attached_evidence"] = [{"kind": "file", "target": "/x.pdf", "sha256": "nope", "size": "big"}]
    (tmp_path / "bad.json").write_text(json.dumps(data), encoding="utf-8")
    code, _, err = run_cli(capsys, "import", str(tmp_path / "bad.json"))
    assert code == 1 and "sha256: expected 64 hexadecimal digits" in err and "is not a number of bytes" in err


def test_one_attached_file_is_one_file(capsys, tmp_path: Path) -> None:
    paper = tmp_path / "minutes.pdf"
    paper.write_bytes(b"%PDF minutes")
    assert run_cli(capsys, "evidence", "add", "university", "uni-033", str(paper))[0] == 0
    code, out, _ = run_cli(capsys, "evidence", "check")
    assert "1 attached file checked: 0 changed or missing" in out.splitlines()[0]
