"""`veiviser backup` / `veiviser restore`: the archive, its refusals, and a full round trip of
the demo world into a fresh database (SQLite → SQLite, or SQLite → PostgreSQL when the suite
runs on PostgreSQL)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from veiviser.core.backup import (
    BackupError,
    backed_up_models,
    backup,
    read_manifest,
    restore,
)


def test_every_app_table_is_backed_up_by_introspection() -> None:
    labels = {m._meta.label for m in backed_up_models()}
    assert {"audit.AuditEvent", "core.Person", "workforce.Occupancy"} <= labels
    assert "training.SupervisionSession_topics" in labels  # many-to-many tables too
    assert "accounts.User_user_permissions" in labels
    assert not labels & {"contenttypes.ContentType", "auth.Permission", "sessions.Session"}
    order = [m._meta.label for m in backed_up_models()]
    assert order.index("core.Municipality") < order.index("core.Person")
    assert order.index("training.Trainee") < order.index("training.ServicePeriod")


@pytest.mark.django_db
def test_backup_holds_every_row_and_restore_refuses_a_non_empty_database(
    tmp_path: Path, settings: object
) -> None:
    from veiviser.demo.world import build_demo_world

    build_demo_world()
    media = tmp_path / "media"
    (media / "evidence").mkdir(parents=True)
    (media / "evidence" / "bevis.pdf").write_bytes(b"%PDF-1.4 fiktiv")
    archive = tmp_path / "backup.tar.gz"
    manifest = backup(archive, media_root=media)
    assert manifest == read_manifest(archive)
    counts = {t["model"]: t["count"] for t in manifest["tables"]}
    for model in backed_up_models("default"):
        assert counts[model._meta.label] == model._default_manager.count()
    assert manifest["media"][0]["path"] == "evidence/bevis.pdf"
    assert manifest["migrations"]["audit"] == ["0001_initial", "0002_append_only_trigger"]
    with pytest.raises(BackupError, match="not empty"):
        restore(archive, media_root=media)


def test_a_damaged_or_foreign_archive_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.tar.gz"
    with tarfile.open(other, "w:gz") as tar:
        note = tmp_path / "note.txt"
        note.write_text("hei")
        tar.add(note, "note.txt")
    with pytest.raises(BackupError, match="not a Veiviser backup"):
        read_manifest(other)
    (tmp_path / "junk.tar.gz").write_bytes(b"junk")
    with pytest.raises(BackupError):
        read_manifest(tmp_path / "junk.tar.gz")


# --- A round trip through the command line, between two real databases ----------------------

FINGERPRINT = (
    "import json, os; os.environ['DJANGO_SETTINGS_MODULE']='veiviser.settings'; import django; "
    "django.setup(); from veiviser.core.backup import fingerprint; "
    "print(json.dumps(fingerprint('default')))"
)
ATTACH = (
    "import os; os.environ['DJANGO_SETTINGS_MODULE']='veiviser.settings'; import django; "
    "django.setup(); from django.core.files.base import ContentFile; "
    "from veiviser.training.models import Evidence, PlanGoal; "
    "e = Evidence(plan_goal=PlanGoal.objects.order_by('pk').first(), text='fiktivt'); "
    "e.file.save('bevis.txt', ContentFile(b'fiktivt bevis'), save=False); e.save()"
)


def _cli(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "veiviser.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def _python(env: dict[str, str], code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def _target_database(tmp_path: Path) -> str:
    """A fresh database: PostgreSQL (cross-database restore) when the suite runs on it."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    import psycopg

    base, _, name = url.rpartition("/")
    target = f"{name.split('?')[0]}_restore"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{target}"')
        conn.execute(f'CREATE DATABASE "{target}"')
    return f"{base}/{target}"


def test_round_trip_of_the_demo_world_into_a_fresh_database(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.pop("DATABASE_URL", None)
    env.update(VEIVISER_DATA_DIR=str(tmp_path / "source"), VEIVISER_FAST_PASSWORD_HASHER="1")
    _cli(env, "demo", "--no-serve")
    _python(env, ATTACH)
    before = json.loads(_python(env, FINGERPRINT))
    archive = tmp_path / "veiviser.tar.gz"
    _cli(env, "backup", str(archive), "--quiet")

    target = dict(env, VEIVISER_DATA_DIR=str(tmp_path / "target"))
    target["DATABASE_URL"] = _target_database(tmp_path)
    out = _cli(target, "restore", str(archive), "--quiet")
    assert "1 filer" in out
    after = json.loads(_python(target, FINGERPRINT))
    assert set(before) == set(after)
    differing = [label for label in before if before[label] != after[label]]
    assert differing == []
    restored = list((tmp_path / "target" / "media" / "evidence").iterdir())
    assert [p.read_bytes() for p in restored] == [b"fiktivt bevis"]
    # Restoring again is refused: the database is no longer empty.
    again = subprocess.run(
        [sys.executable, "-m", "veiviser.cli", "restore", str(archive)],
        env=target,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert again.returncode == 1 and "not empty" in again.stderr
