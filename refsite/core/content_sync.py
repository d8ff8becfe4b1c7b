"""The content sync: the shipped content meets a database that editors own.

After the first load the database is the truth. A sync adds the rows that are
new in the shipped fixtures and applies a change from them to a field only if
no editor changed that field since the last sync. ``SyncedRow`` remembers, per
row and field, a hash of the value last shipped, so for each field:

- shipped == last synced: the files did not change it; whatever the row holds stays;
- row == last synced: only the files changed it; apply it;
- row == shipped: both reached the same text; just remember it;
- otherwise both changed it: a conflict. The editor's text stays, the shipped
  text goes to ``ContentConflict`` for an editor to resolve in the admin.

Rows that disappeared from the files are reported, never deleted; rows an
editor deleted are not brought back. Every row it writes gets a history record
with the reason "content sync". Rows are matched on natural keys
(``refsite.core.natural_keys``), and models are resolved by label, so this module
imports no app. Saves go through the models, so each bumps the content version
in the sync's transaction and the page cache sees the result when it commits.
"""

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.core.management.color import no_style
from django.db import connection, transaction

from refsite.core.markdown import ALLOWED_URL_SCHEMES
from refsite.core.models import ContentConflict, SyncedRow
from refsite.core.natural_keys import key_lookups

REASON = "content sync"
SKIPPED_FIELDS = {"created_at", "updated_at"}  # set by the database, not content


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _lf(value):
    """A browser's textarea sends CRLF; the files and fixtures say LF. Not a change."""
    if isinstance(value, str):
        return value.replace("\r\n", "\n")
    if isinstance(value, list | tuple):
        return [_lf(item) for item in value]
    if isinstance(value, dict):
        return {key: _lf(item) for key, item in value.items()}
    return value


def canonical(value) -> str:
    return json.dumps(_lf(value), sort_keys=True, ensure_ascii=False, default=str)


def digest(value) -> str:
    return hashlib.sha256(canonical(value).encode()).hexdigest()[:32]


def flat_key(model, fields: dict) -> tuple:
    """A record's natural key from its fields (foreign keys are already keys there)."""
    key = []
    for name in model.natural_key_fields:
        value = fields[name]
        key.extend(value if isinstance(value, list) else [value])
    return tuple(key)


@dataclass
class Plan:
    """What a sync did (or, with --dry-run, would do), line by line."""

    lines: list[tuple[str, str]] = field(default_factory=list)  # (kind, text)
    counts: dict[str, int] = field(default_factory=dict)
    new_per_model: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, text: str, label: str = "") -> None:
        self.counts[kind] = self.counts.get(kind, 0) + 1
        self.lines.append((kind, text))
        if kind == "new":
            self.new_per_model[label] = self.new_per_model.get(label, 0) + 1

    def report(self, verbosity: int = 1) -> list[str]:
        """Every line but the new rows, which are counted per model (listed at -v2)."""
        out = [text for kind, text in self.lines if kind != "new" or verbosity > 1]
        if verbosity <= 1:
            out[:0] = [f"+ {n} new {label}" for label, n in self.new_per_model.items()]
        return out

    def summary(self) -> str:
        order = ("new", "updated", "kept", "conflict", "removed", "deleted", "unresolved")
        return ", ".join(f"{self.counts.get(kind, 0)} {kind}" for kind in order)


class Index:
    """Natural key <-> primary key for every row of the synced models, read once."""

    def __init__(self):
        self.pk_of: dict[str, dict[tuple, object]] = {}
        self.key_of: dict[str, dict[object, tuple]] = {}

    def load(self, model) -> None:
        label = model._meta.label_lower
        if label in self.pk_of:
            return
        lookups = key_lookups(model)
        rows = model._default_manager.values_list("pk", *lookups)
        self.pk_of[label] = {tuple(row[1:]): row[0] for row in rows}
        self.key_of[label] = {pk: key for key, pk in self.pk_of[label].items()}

    def add(self, model, key: tuple, pk) -> None:
        label = model._meta.label_lower
        self.pk_of[label][key] = pk
        self.key_of[label][pk] = key

    def pk(self, model, key) -> object:
        self.load(model)
        try:
            return self.pk_of[model._meta.label_lower][tuple(key)]
        except KeyError:
            raise LookupError(f"{model._meta.label_lower} {list(key)} does not exist") from None

    def key(self, model, pk) -> list | None:
        if pk is None:
            return None
        self.load(model)
        return list(self.key_of[model._meta.label_lower][pk])


class Sync:
    def __init__(self, records: list[dict]):
        self.records = records
        self.index = Index()
        self.plan = Plan()
        self.m2m_current: dict[tuple, dict] = {}
        self._rows: dict[str, dict] = {}

    def rows(self, model) -> dict:
        """Every row of a model by primary key, read in one query."""
        label = model._meta.label_lower
        if label not in self._rows:
            self._rows[label] = model._default_manager.in_bulk()
        return self._rows[label]

    # -- values as the fixtures write them, for the shipped side and the row side alike

    def shipped_value(self, model, name, value):
        f = model._meta.get_field(name)
        if f.many_to_many:
            return sorted(list(k) for k in value)
        if f.is_relation:
            return list(value) if value is not None else None
        return _plain(f.to_python(value))

    def current_value(self, model, instance, name):
        f = model._meta.get_field(name)
        if f.many_to_many:
            pks = self._m2m(model, f).get(instance.pk, [])
            return sorted(self.index.key(f.related_model, pk) for pk in pks)
        if f.is_relation:
            return self.index.key(f.related_model, getattr(instance, f.attname))
        return _plain(f.value_from_object(instance))

    def _m2m(self, model, f) -> dict:
        slot = (model._meta.label_lower, f.name)
        if slot not in self.m2m_current:
            through = f.remote_field.through
            source, target = f.m2m_field_name(), f.m2m_reverse_field_name()
            links: dict = {}
            for a, b in through.objects.values_list(f"{source}_id", f"{target}_id"):
                links.setdefault(a, []).append(b)
            self.m2m_current[slot] = links
        return self.m2m_current[slot]

    def assign(self, model, instance, name, value) -> None:
        """Set a shipped value on a row (many-to-many values are set after the save)."""
        f = model._meta.get_field(name)
        if f.is_relation:
            pk = None if value is None else self.index.pk(f.related_model, value)
            setattr(instance, f.attname, pk)
        else:
            setattr(instance, name, f.to_python(value))

    def set_m2m(self, model, instance, name, value) -> None:
        f = model._meta.get_field(name)
        pks = [self.index.pk(f.related_model, key) for key in value]
        getattr(instance, name).set(pks)
        self._m2m(model, f)[instance.pk] = pks

    # -- the run

    def run(self) -> Plan:
        synced = {(s.model, s.key): s for s in SyncedRow.objects.all()}
        conflicts = {(c.model, c.key, c.field): c for c in ContentConflict.objects.all()}
        shipped_keys: dict[str, set[str]] = {}
        created_pk = False
        pending_m2m = []
        for record in self.records:
            label = record["model"]
            model = apps.get_model(label)
            self.index.load(model)
            fields = record["fields"]
            key = flat_key(model, fields)
            key_json = canonical(list(key))
            shipped_keys.setdefault(label, set()).add(key_json)
            names = [
                n for n in fields if n not in SKIPPED_FIELDS and n not in model.natural_key_fields
            ]
            shipped = {n: self.shipped_value(model, n, fields[n]) for n in names}
            row_sync = synced.get((label, key_json))
            pk = self.index.pk_of[label].get(tuple(self._resolved_key(model, fields)))
            if pk is None:
                if row_sync is not None:
                    self.plan.add("deleted", f"- {label} {key_json}: deleted by an editor, kept so")
                    continue
                instance = model()
                if "pk" in record:
                    instance.pk = record["pk"]
                    created_pk = True
                for n in model.natural_key_fields:
                    self.assign(model, instance, n, fields[n])
                for n in names:
                    if not model._meta.get_field(n).many_to_many:
                        self.assign(model, instance, n, fields[n])
                instance._change_reason = REASON
                instance.save()
                self.index.add(model, tuple(self._resolved_key(model, fields)), instance.pk)
                pending_m2m.extend(
                    (model, instance, n, fields[n])
                    for n in names
                    if model._meta.get_field(n).many_to_many
                )
                hashes = {n: digest(v) for n, v in shipped.items()}
                self._remember(synced, label, key_json, hashes)
                self.plan.add("new", f"+ {label} {key_json}: new", label)
                continue
            instance = self.rows(model)[pk]
            base = dict(row_sync.hashes) if row_sync else {}
            hashes = dict(base)
            changed_fields = []
            for n, value in shipped.items():
                shipped_hash = digest(value)
                current = self.current_value(model, instance, n)
                current_hash = digest(current)
                last = base.get(n)
                open_conflict = conflicts.get((label, key_json, n))
                if shipped_hash == last or current_hash == shipped_hash:
                    hashes[n] = shipped_hash
                    if open_conflict and current_hash == shipped_hash:
                        open_conflict.delete()
                    elif open_conflict:
                        self.plan.add("unresolved", f"! {label} {key_json} {n}: still unresolved")
                    elif last and current_hash != last:
                        self.plan.add("kept", f"= {label} {key_json} {n}: editor's change kept")
                    continue
                if last is not None and current_hash == last:
                    if model._meta.get_field(n).many_to_many:
                        pending_m2m.append((model, instance, n, fields[n]))
                    else:
                        self.assign(model, instance, n, fields[n])
                    changed_fields.append(n)
                    hashes[n] = shipped_hash
                    self.plan.add("updated", f"~ {label} {key_json} {n}: shipped change applied")
                    continue
                # Changed on both sides (or never synced and different): the editor's text stays.
                if open_conflict and digest(open_conflict.shipped) == shipped_hash:
                    self.plan.add("unresolved", f"! {label} {key_json} {n}: still unresolved")
                    continue
                ContentConflict.objects.update_or_create(
                    model=label, key=key_json, field=n, defaults={"shipped": value}
                )
                self.plan.add(
                    "conflict",
                    f"! {label} {key_json} {n}: CONFLICT, the editor's text is kept\n"
                    f"    editor's:  {_short(current)}\n    shipped:   {_short(value)}",
                )
            if any(not model._meta.get_field(n).many_to_many for n in changed_fields):
                instance._change_reason = REASON
                instance.save()
            if hashes != base or row_sync is None:
                self._remember(synced, label, key_json, hashes)
        for model, instance, name, value in pending_m2m:
            self.set_m2m(model, instance, name, value)
        for label, key_json in sorted(synced):
            if label in shipped_keys and key_json not in shipped_keys[label]:
                model = apps.get_model(label)
                key = tuple(json.loads(key_json))
                if self._exists(model, key):
                    self.plan.add("removed", f"? {label} {key_json}: gone from the files, kept")
        if created_pk:
            self._reset_sequences()
        return self.plan

    def _resolved_key(self, model, fields) -> list:
        """The record's natural key as the Index stores it (the flat lookup values)."""
        return list(flat_key(model, fields))

    def _exists(self, model, key) -> bool:
        self.index.load(model)
        return tuple(key) in self.index.pk_of[model._meta.label_lower]

    def _remember(self, synced, label, key_json, hashes) -> None:
        row = synced.get((label, key_json))
        if row is None:
            synced[(label, key_json)] = SyncedRow.objects.create(
                model=label, key=key_json, hashes=hashes
            )
        else:
            row.hashes = hashes
            row.save(update_fields=["hashes"])

    def _reset_sequences(self) -> None:
        """Rows created with their own primary key (a code's number) leave PostgreSQL's
        sequences behind; the next row an editor adds must not collide."""
        models = {apps.get_model(r["model"]) for r in self.records if "pk" in r}
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), list(models)):
                cursor.execute(sql)


class ContentError(Exception):
    """Shipped content that cannot be synced; the message names the file, line and key."""


def read_fixture(path) -> list[dict]:
    """A fixture's records, each remembering where it starts (``"_where": "file:line"``)."""
    text = path.read_text(encoding="utf-8")
    decoder = json.JSONDecoder()
    try:
        start = text.index("[")
    except ValueError:
        raise ContentError(f"{path}:1: malformed: not a JSON list of records") from None
    records, at = [], start + 1
    line, counted = 1, 0  # lines are counted on from the last record, not from the top
    try:
        while True:
            while at < len(text) and text[at] in " \t\r\n,":
                at += 1
            if at >= len(text):
                raise json.JSONDecodeError("the list is not closed", text, at)
            if text[at] == "]":
                break
            record, end = decoder.raw_decode(text, at)
            if not (isinstance(record, dict) and "model" in record and "fields" in record):
                raise json.JSONDecodeError("a record needs a model and fields", text, at)
            line += text.count("\n", counted, at)
            counted = at
            record["_where"] = f"{path}:{line}"
            records.append(record)
            at = end
    except json.JSONDecodeError as error:
        raise ContentError(f"{path}:{error.lineno}: malformed: {error.msg}") from None
    return records


# A Markdown link target, and a raw href/src; code (fenced or inline) is not a link.
_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)|(?:href|src)\s*=\s*[\"']?([^\"'\s>]+)", re.IGNORECASE)
_CODE = re.compile(r"```.*?```|~~~.*?~~~|`[^`\n]*`", re.DOTALL)
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")


def unsafe_links(text: str) -> list[str]:
    """Link targets whose scheme is not one pages allow (javascript:, data:, ...)."""
    found = []
    for match in _LINK.finditer(_CODE.sub("", text)):
        target = next(group for group in match.groups() if group)
        target = "".join(target.split()).replace("\\", "")
        scheme = _SCHEME.match(target)
        if scheme and scheme.group(1).lower() not in ALLOWED_URL_SCHEMES:
            found.append(target)
    return found


def check(records: list[dict]) -> None:
    """Refuse content with an unknown model, a duplicate key, a reference to a row that
    exists nowhere (an unknown code) or an unsafe link, before anything is written."""
    problems = []
    shipped: dict[tuple, str] = {}
    index = Index()
    checked = []
    for record in records:  # first every key, so a reference may point forward
        where = record.get("_where", "?")
        try:
            model = apps.get_model(record["model"])
        except (LookupError, ValueError, KeyError):
            problems.append(f"{where}: unknown model {record.get('model')!r}")
            continue
        try:
            key = flat_key(model, record["fields"])
        except KeyError as error:
            problems.append(f"{where}: {record['model']}: no {error.args[0]!r} in its key")
            continue
        name = f"{record['model']} {canonical(list(key))}"
        if (record["model"], key) in shipped:
            first = shipped[(record["model"], key)]
            problems.append(f"{where}: {name}: duplicate key (first at {first})")
            continue
        shipped[(record["model"], key)] = where
        checked.append((record, model, name, where))
    for record, model, name, where in checked:
        for field_name, value in record["fields"].items():
            try:
                f = model._meta.get_field(field_name)
            except FieldDoesNotExist:
                problems.append(f"{where}: {name}: unknown field {field_name!r}")
                continue
            if f.is_relation and value is not None:
                label = f.related_model._meta.label_lower
                index.load(f.related_model)
                for target in value if f.many_to_many else [value]:
                    target = tuple(target)
                    if (label, target) not in shipped and target not in index.pk_of[label]:
                        problems.append(
                            f"{where}: {name}: {field_name} names unknown {label} "
                            f"{canonical(list(target))}"
                        )
            elif isinstance(value, str):
                for link in unsafe_links(value):
                    problems.append(f"{where}: {name}: {field_name} has an unsafe link {link!r}")
    if problems:
        raise ContentError("\n".join(problems))


def _short(value, width: int = 160) -> str:
    text = value if isinstance(value, str) else canonical(value)
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def sync(records: list[dict], *, dry_run: bool = False) -> Plan:
    """Sync the shipped records in one transaction; a dry run rolls it all back."""
    with transaction.atomic():
        check(records)
        plan = Sync(records).run()
        if dry_run:
            transaction.set_rollback(True)
    return plan


def resolve(conflict: ContentConflict, *, take_shipped: bool) -> None:
    """An editor's answer to a conflict: take the shipped text, or keep the row's."""
    model = apps.get_model(conflict.model)
    with transaction.atomic():
        worker = Sync([])
        key = json.loads(conflict.key)
        instance = model._default_manager.get(pk=worker.index.pk(model, key))
        if take_shipped:
            if model._meta.get_field(conflict.field).many_to_many:
                worker.set_m2m(model, instance, conflict.field, conflict.shipped)
            else:
                worker.assign(model, instance, conflict.field, conflict.shipped)
                instance._change_reason = "content conflict resolved: shipped text taken"
                instance.save()
        row, _ = SyncedRow.objects.get_or_create(model=conflict.model, key=conflict.key)
        row.hashes = {**row.hashes, conflict.field: digest(conflict.shipped)}
        row.save(update_fields=["hashes"])
        conflict.delete()


def current_text(conflict: ContentConflict):
    """The row's value of the conflicting field, as the sync compares it."""
    model = apps.get_model(conflict.model)
    worker = Sync([])
    try:
        pk = worker.index.pk(model, json.loads(conflict.key))
    except LookupError:
        return None
    instance = model._default_manager.get(pk=pk)
    return worker.current_value(model, instance, conflict.field)
