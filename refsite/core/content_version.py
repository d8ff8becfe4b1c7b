"""Invalidation that cannot miss a model: every content change bumps one version.

"Content" is every model of the apps in ``settings.CONTENT_APPS`` (except
simple_history's historical copies, which only the admin shows). A save, a
delete or an m2m change of any of them bumps the version through the signals
connected here; bulk writes go through ``ContentQuerySet``, which every content
model's manager must use (a system check says so). The bump is an UPDATE in the
writer's transaction, so the new version becomes visible exactly when the edit
does, to every process.

Reads are one primary-key SELECT. ``version_middleware`` reads it once per
request and keeps it in a context variable, so the page cache, the catalogue
snapshot and the validators of one request agree on one version.
"""

import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

from django.apps import apps
from django.conf import settings
from django.core import checks
from django.db import DatabaseError, IntegrityError, connection, models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from refsite.core.models import ContentVersion
from refsite.core.natural_keys import key_lookups


class Version(tuple):
    """``(token, changed_at)``: what pages are keyed on, and when content last changed."""

    __slots__ = ()

    def __new__(cls, token: str, changed_at: datetime):
        return super().__new__(cls, (token, changed_at))

    @property
    def token(self) -> str:
        return self[0]

    @property
    def changed_at(self) -> datetime:
        return self[1]


_request_version: ContextVar[Version | None] = ContextVar("content_version", default=None)


_READ = f"SELECT token, changed_at FROM {ContentVersion._meta.db_table} WHERE id = 1"
_last_read: Version | None = None  # parsing the date once per version, not per request


def _parse_time(value) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.fromisoformat(str(value)).replace(tzinfo=UTC)


def read() -> Version:
    """The version in the database now (created on first use).

    It runs on every request, so it goes straight to the driver's cursor on
    Django's connection (same connection, same transaction, errors translated
    to Django's): about a third of the cost of a Django cursor, whose query
    logging and wrappers matter for app queries, not for this one.
    """
    global _last_read
    connection.ensure_connection()
    with connection.wrap_database_errors:
        cursor = connection.connection.cursor()
        try:
            cursor.execute(_READ)
            row = cursor.fetchone()
        finally:
            cursor.close()
    if row is None:
        return bump()
    last = _last_read
    if last is not None and last.token == row[0]:
        return last
    _last_read = Version(row[0], _parse_time(row[1]))
    return _last_read


def current() -> Version:
    """The version this request works with: read once per request, else read now."""
    return _request_version.get() or read()


def bump() -> Version:
    """Tell every process that public content changed."""
    version = Version(uuid.uuid4().hex, datetime.now(UTC).replace(microsecond=0))
    updated = ContentVersion.objects.filter(id=1).update(
        token=version.token, changed_at=version.changed_at
    )
    if not updated:
        try:
            with transaction.atomic():
                ContentVersion.objects.create(
                    id=1, token=version.token, changed_at=version.changed_at
                )
        except IntegrityError:  # another process created it first
            ContentVersion.objects.filter(id=1).update(
                token=version.token, changed_at=version.changed_at
            )
    if _request_version.get() is not None:
        _request_version.set(version)
    return version


def version_middleware(get_response):
    """Read the content version once for the whole request."""

    def middleware(request):
        try:
            version = read()
        except DatabaseError:
            version = None  # the view will meet the outage and answer 503
        token = _request_version.set(version)
        try:
            return get_response(request)
        finally:
            _request_version.reset(token)

    return middleware


class ContentQuerySet(models.QuerySet):
    """The queryset of every content model: bulk writes bump the version too.

    It also finds a row by its natural key (``refsite.core.natural_keys``), as
    ``loaddata`` and the content sync do.
    """

    def get_by_natural_key(self, *values):
        return self.get(**dict(zip(key_lookups(self.model), values, strict=True)))

    def update(self, **kwargs):
        count = super().update(**kwargs)
        if count:
            bump()
        return count

    update.alters_data = True

    def delete(self):
        result = super().delete()
        if result[0]:
            bump()
        return result

    delete.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        if created:
            bump()
        return created

    def bulk_update(self, objs, fields, *args, **kwargs):
        count = super().bulk_update(objs, fields, *args, **kwargs)
        if count:
            bump()
        return count


def content_models() -> list[type[models.Model]]:
    """Every model whose data can reach a public page or the API."""
    found = []
    for label in settings.CONTENT_APPS:
        for model in apps.get_app_config(label).get_models():
            if model.__module__.startswith("simple_history") or model.__name__.startswith(
                "Historical"
            ):
                continue
            found.append(model)
    return found


def _changed(sender, **kwargs):
    bump()


def connect_content_models() -> None:
    """Connect the bump to saves, deletes and m2m changes of every content model."""
    for model in content_models():
        uid = f"content-version-{model._meta.label}"
        post_save.connect(_changed, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}-delete")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                _changed, sender=field.remote_field.through, dispatch_uid=f"{uid}-{field.name}"
            )


@checks.register()
def check_content_managers(app_configs, **kwargs):
    """A content model whose manager skips ContentQuerySet would miss bulk updates."""
    errors = []
    for model in content_models():
        queryset_class = getattr(model._default_manager, "_queryset_class", None)
        if not (queryset_class and issubclass(queryset_class, ContentQuerySet)):
            errors.append(
                checks.Error(
                    f"{model._meta.label}'s default manager does not use ContentQuerySet, "
                    "so its bulk updates would not bump the content version.",
                    hint="objects = ContentQuerySet.as_manager(), or subclass it.",
                    obj=model,
                    id="core.E001",
                )
            )
    return errors
