"""Backup and restore of the whole installation (docs/operations.md, docs/adr/0081).

One ``.tar.gz`` archive holds

- ``manifest.json``: format, Veiviser version, when, from which database, the applied
  migrations, and for every table its row count and the SHA-256 of its data file; for every
  uploaded file its size and SHA-256;
- ``data/<app_label>.<model>.jsonl``: every row of every table, one JSON object a line (Django's
  ``jsonl`` serializer, foreign keys as ids, permissions and content types by natural key), in
  dependency order;
- ``media/…``: every file under ``MEDIA_ROOT`` (evidence, diplomas, course certificates, …).

The tables are found by introspection (every managed, concrete model of every installed app,
many-to-many tables included), so an app added later is covered without a change here. Left
out: content types and permissions (``migrate`` creates them; rows referring to them use
natural keys) and sessions (logins do not survive a restore).

``restore`` loads an archive into an empty migrated database (any table with rows: refused),
inside one transaction, then resets the primary-key sequences and verifies every count. It
works across SQLite and PostgreSQL. Rows are inserted with ``bulk_create``, which never calls a
model's ``save()`` and issues only INSERTs, so the append-only audit table (model guard and
PostgreSQL trigger, which refuse UPDATE and DELETE) takes its rows as they were.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import shutil
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder

FORMAT = "veiviser-backup/1"
EXCLUDED = {"contenttypes.ContentType", "auth.Permission", "sessions.Session"}
BATCH = 1000


class PreciseEncoder(DjangoJSONEncoder):
    """Django's encoder cuts times to milliseconds; a backup keeps the microseconds."""

    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        if isinstance(o, dt.time):
            return o.isoformat()
        return super().default(o)


class BackupError(Exception):
    """The archive is damaged or does not fit the target database."""


@dataclass
class RestoreReport:
    counts: dict[str, int] = field(default_factory=dict)
    media_files: int = 0
    warnings: list[str] = field(default_factory=list)


def backed_up_models(using: str | None = None) -> list[type[models.Model]]:
    """Every table the backup holds, parents before the rows that refer to them. With
    ``using``: only the tables that exist in that database (an app whose migrations are not
    applied yet has none)."""
    chosen = [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy and m._meta.label not in EXCLUDED
    ]
    if using is not None:
        tables = set(connections[using].introspection.table_names())
        chosen = [m for m in chosen if m._meta.db_table in tables]
    return _dependency_order(chosen)


def _dependency_order(chosen: list[type[models.Model]]) -> list[type[models.Model]]:
    by_label = {m._meta.label: m for m in chosen}
    deps = {
        label: {
            f.related_model._meta.label
            for f in m._meta.concrete_fields
            if f.is_relation and f.related_model is not None
        }
        & set(by_label) - {label}
        for label, m in by_label.items()
    }
    ordered: list[str] = []
    done: set[str] = set()
    visiting: set[str] = set()

    def visit(label: str) -> None:
        if label in done or label in visiting:  # a cycle: foreign keys are deferred anyway
            return
        visiting.add(label)
        for dep in sorted(deps[label]):
            visit(dep)
        visiting.discard(label)
        done.add(label)
        ordered.append(label)

    for label in sorted(by_label):
        visit(label)
    return [by_label[label] for label in ordered]


def _serialized_fields(model: type[models.Model]) -> list[str]:
    # Concrete columns only: many-to-many tables are backed up as tables of their own.
    return [f.name for f in model._meta.local_concrete_fields if not f.primary_key]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def applied_migrations(using: str = DEFAULT_DB_ALIAS) -> dict[str, list[str]]:
    recorder = MigrationRecorder(connections[using])
    applied: dict[str, list[str]] = {}
    for app, name in sorted(recorder.applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def _version() -> str:
    try:
        return metadata.version("veiviser")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "unknown"


def _media_files(root: Path) -> Iterator[Path]:
    if root.is_dir():
        for path in sorted(root.rglob("*")):
            if path.is_file():
                yield path


def backup(
    target: Path,
    *,
    using: str = DEFAULT_DB_ALIAS,
    media_root: Path | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Write the archive to ``target``; return its manifest."""
    say = progress or (lambda _msg: None)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "veiviser_version": _version(),
        "created_at": dt.datetime.now(dt.UTC).isoformat(),
        "database_vendor": connections[using].vendor,
        "migrations": applied_migrations(using),
        "tables": [],
        "media": [],
    }
    with tempfile.TemporaryDirectory(prefix="veiviser-backup-") as tmp:
        data_dir = Path(tmp) / "data"
        data_dir.mkdir()
        # One transaction for a consistent snapshot (PostgreSQL: repeatable read is not needed
        # for a quiet system; the counts are taken inside the same transaction as the rows).
        with transaction.atomic(using=using):
            for model in backed_up_models(using):
                label = model._meta.label
                path = data_dir / f"{label}.jsonl"
                qs = model._default_manager.db_manager(using).order_by("pk")
                with path.open("w", encoding="utf-8") as stream:
                    serializers.serialize(
                        "jsonl",
                        qs.iterator(chunk_size=2000),
                        stream=stream,
                        fields=_serialized_fields(model),
                        use_natural_foreign_keys=True,
                        cls=PreciseEncoder,
                    )
                count = _count_lines(path)
                manifest["tables"].append({"model": label, "count": count, "sha256": _sha256(path)})
                if count:
                    say(f"{label}: {count}")
        for path in _media_files(media_root):
            relative = path.relative_to(media_root).as_posix()
            manifest["media"].append(
                {"path": relative, "size": path.stat().st_size, "sha256": _sha256(path)}
            )
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            raw = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(raw)
            info.mtime = int(dt.datetime.now(dt.UTC).timestamp())
            archive.addfile(info, io.BytesIO(raw))
            for table in manifest["tables"]:
                archive.add(data_dir / f"{table['model']}.jsonl", f"data/{table['model']}.jsonl")
            for item in manifest["media"]:
                archive.add(media_root / item["path"], f"media/{item['path']}")
        partial.replace(target)
    return manifest


def _count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for line in handle if line.strip())


def read_manifest(source: Path) -> dict[str, Any]:
    try:
        with tarfile.open(source, "r:gz") as archive:
            member = archive.extractfile("manifest.json")
            if member is None:
                raise BackupError("manifest.json missing")
            manifest = json.loads(member.read())
    except (tarfile.TarError, KeyError, OSError, json.JSONDecodeError) as exc:
        raise BackupError(f"not a Veiviser backup: {exc}") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    return manifest


def non_empty_tables(using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    found = {}
    for model in backed_up_models(using):
        count = model._default_manager.db_manager(using).count()
        if count:
            found[model._meta.label] = count
    return found


def _safe_extract(source: Path, into: Path) -> None:
    with tarfile.open(source, "r:gz") as archive:
        for member in archive.getmembers():
            name = PurePosixPath(member.name)
            if name.is_absolute() or ".." in name.parts or not (member.isfile() or member.isdir()):
                raise BackupError(f"unsafe path in archive: {member.name}")
        archive.extractall(into, filter="data")


def _check_migrations(manifest: dict[str, Any], using: str, report: RestoreReport) -> None:
    here = applied_migrations(using)
    missing = [
        f"{app}.{name}"
        for app, names in manifest["migrations"].items()
        for name in names
        if name not in here.get(app, [])
    ]
    if missing:
        raise BackupError(
            "the backup was made by a newer version (migrations not applied here: "
            + ", ".join(missing[:5])
            + "); upgrade Veiviser and migrate first"
        )
    newer = [
        f"{app}.{name}"
        for app, names in here.items()
        for name in names
        if name not in manifest["migrations"].get(app, [])
    ]
    if newer:
        report.warnings.append(
            f"{len(newer)} migrations are newer than the backup; new columns take their defaults"
        )


def restore(
    source: Path,
    *,
    using: str = DEFAULT_DB_ALIAS,
    media_root: Path | None = None,
    progress: Callable[[str], None] | None = None,
) -> RestoreReport:
    """Load an archive into an empty migrated database and verify every table's count."""
    say = progress or (lambda _msg: None)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    manifest = read_manifest(source)
    report = RestoreReport()
    occupied = non_empty_tables(using)
    if occupied:
        shown = ", ".join(f"{k} ({v})" for k, v in sorted(occupied.items())[:5])
        raise BackupError(f"the database is not empty: {shown}")
    _check_migrations(manifest, using, report)
    known = {m._meta.label: m for m in backed_up_models(using)}
    with tempfile.TemporaryDirectory(prefix="veiviser-restore-") as tmp:
        root = Path(tmp)
        _safe_extract(source, root)
        for table in manifest["tables"]:
            path = root / "data" / f"{table['model']}.jsonl"
            if not path.exists() or _sha256(path) != table["sha256"]:
                raise BackupError(f"damaged archive: data of {table['model']}")
        for item in manifest["media"]:
            path = root / "media" / item["path"]
            if not path.exists() or _sha256(path) != item["sha256"]:
                raise BackupError(f"damaged archive: media file {item['path']}")
            existing = media_root / item["path"]
            if existing.exists() and _sha256(existing) != item["sha256"]:
                raise BackupError(f"a different file exists already: {existing}")
        connection = connections[using]
        with transaction.atomic(using=using):
            loaded: list[type[models.Model]] = []
            for table in manifest["tables"]:
                label = table["model"]
                if label not in known:
                    if table["count"]:
                        raise BackupError(f"the backup has rows for {label}, unknown here")
                    continue
                model = known[label]
                report.counts[label] = _load_table(root / "data" / f"{label}.jsonl", model, using)
                loaded.append(model)
                if table["count"]:
                    say(f"{label}: {report.counts[label]}")
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), loaded):
                    cursor.execute(sql)
            for table in manifest["tables"]:
                label = table["model"]
                if label in known:
                    actual = known[label]._default_manager.db_manager(using).count()
                    if actual != table["count"]:
                        raise BackupError(
                            f"{label}: {actual} rows after restore, expected {table['count']}"
                        )
            connection.check_constraints()
        for item in manifest["media"]:
            destination = media_root / item["path"]
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(root / "media" / item["path"], destination)
            report.media_files += 1
    return report


@contextmanager
def _stored_timestamps(model: type[models.Model]) -> Iterator[None]:
    """bulk_create stamps ``auto_now``/``auto_now_add`` fields with the current time; a restore
    keeps the stored values."""
    stamped = [
        (f, f.auto_now, f.auto_now_add)
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    for f, _now, _add in stamped:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, now, add in stamped:
            f.auto_now, f.auto_now_add = now, add


def _load_table(path: Path, model: type[models.Model], using: str) -> int:
    with _stored_timestamps(model):
        return _insert_rows(path, model, using)


def _insert_rows(path: Path, model: type[models.Model], using: str) -> int:
    count = 0
    batch: list[models.Model] = []
    manager = model._default_manager.db_manager(using)
    with path.open(encoding="utf-8") as stream:
        for item in serializers.deserialize("jsonl", stream, using=using, ignorenonexistent=True):
            batch.append(item.object)
            if len(batch) >= BATCH:
                manager.bulk_create(batch)
                count += len(batch)
                batch = []
    if batch:
        manager.bulk_create(batch)
        count += len(batch)
    return count


def fingerprint(using: str = DEFAULT_DB_ALIAS) -> dict[str, str]:
    """A digest of every backed-up table's rows, comparable across SQLite and PostgreSQL."""
    result = {}
    for model in backed_up_models(using):
        digest = hashlib.sha256()
        names = [f.attname for f in model._meta.concrete_fields]
        qs = model._default_manager.db_manager(using).order_by("pk").values_list(*names)
        for row in qs.iterator(chunk_size=2000):
            values = [
                hashlib.sha256(bytes(v)).hexdigest() if isinstance(v, bytes | memoryview) else v
                for v in row
            ]
            digest.update(json.dumps(values, cls=PreciseEncoder, sort_keys=True).encode())
            digest.update(b"\n")
        result[model._meta.label] = digest.hexdigest()
    return result
