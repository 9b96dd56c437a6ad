"""``kinerja sop validate|import|export|list|show``."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from kinerja.procedures.demo import seed_files
from kinerja.procedures.models import Sop, SopVersion

from .test_sopfile import GOOD

pytestmark = pytest.mark.django_db


def sop(*args) -> str:
    out = StringIO()
    call_command("sop", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_validate_seeds(offices):
    for path in seed_files():
        assert "valid" in sop("validate", str(path))


def test_validate_reports_problems_as_json(offices, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(GOOD.replace("time: 1 Hari", "time: lama").replace("[SEKRETARIS]", "[X]"))
    out = StringIO()
    with pytest.raises(CommandError, match="2 problem"):
        call_command("sop", "validate", str(bad), "--json", stdout=out)
    problems = json.loads(out.getvalue())["problems"]
    assert {(p["field"], p["line"]) for p in problems} == {
        ("lanes[1].positions[0]", 11),
        ("steps[1].time", 24),
    }


def test_import_list_show_export(offices, tmp_path):
    path = tmp_path / "contoh.yaml"
    path.write_text(GOOD)
    result = json.loads(sop("import", str(path), "--json"))
    assert result["status"] == "draft" and result["version"] == 1
    assert "Unchanged" in sop("import", str(path))
    rows = json.loads(sop("list", "--json", "--agency", "DKUKMTK-BLG"))
    assert any(r["key"] == "contoh" and r["latest_status"] == "draft" for r in rows)
    shown = json.loads(sop("show", str(result["id"]), "--json"))
    assert [s["number"] for s in shown["steps"]] == [1, 2, 3]
    assert shown["total_time"] == "1 Hari 2 Jam 10 Menit"
    assert sop("export", "000.8.3.3/099/DKUKMTK-BLG/2025") == GOOD
    assert "<bpmn:definitions" in sop("export", str(result["id"]), "--bpmn")
    assert "Menyusun draf" in sop("show", "contoh", "--agency", "DKUKMTK-BLG")
    assert "SOP" in sop("list")


def test_import_invalid_changes_nothing(offices, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(GOOD.replace("number: 3", "number: 2"))
    before = (Sop.objects.count(), SopVersion.objects.count())
    with pytest.raises(CommandError, match="nothing was changed"):
        sop("import", str(path))
    assert before == (Sop.objects.count(), SopVersion.objects.count())


def test_unknown_sop(offices):
    with pytest.raises(CommandError):
        sop("show", "nope")
