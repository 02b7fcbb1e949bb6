"""Writes in screening: rules, runs, reviews and notifications, each with its audit row in the
same transaction. A person decides, never the machine: a run only raises hits; a hit becomes a
notification when one police user drafts it and a second approves it (four eyes)."""

from __future__ import annotations

import datetime as dt
import string
import time
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from sporskifte.accounts.models import Membership, Role
from sporskifte.audit.models import AuditEvent
from sporskifte.audit.services import audit_record, audit_record_about
from sporskifte.core.errors import NotAllowed
from sporskifte.organisations.models import Municipality, Organisation
from sporskifte.screening import clocks, engine, notices, subjects
from sporskifte.screening.access import (
    child_services_municipality_of,
    rule_admin_district_of,
    screening_district_of,
)
from sporskifte.screening.models import (
    DistrictCode,
    Hit,
    ImportUpload,
    Incident,
    Notification,
    PersonRole,
    ReasonCategory,
    Rule,
    RuleVersion,
    ScreeningRun,
)
from sporskifte.screening.rows import insert_rows, update_rows
from sporskifte.screening.tasks import import_upload

if TYPE_CHECKING:
    from sporskifte.accounts.models import User

LEGAL_BASIS = "barnets-lov-133"
LEGAL_BASIS_SE = "sol-14-1"
Types = AuditEvent.ObjectType
Purposes = AuditEvent.Purpose


def _legal_basis(district: Organisation) -> str:
    return LEGAL_BASIS_SE if district.country == "SE" else LEGAL_BASIS


def _district(actor: User) -> int:
    district = screening_district_of(actor)
    if district is None:
        raise PermissionDenied
    return district


@transaction.atomic
def code_save(
    *, actor: User, kind: str, code: str, label: str, is_active: bool = True
) -> DistrictCode:
    district = rule_admin_district_of(actor)
    if district is None:
        raise PermissionDenied
    code = code.strip().upper()
    if not code:
        raise ValidationError({"code": _("Enter a code.")})
    row, _created = DistrictCode.objects.update_or_create(
        police_district_id=district,
        kind=kind,
        code=code,
        defaults={"label": label.strip(), "is_active": is_active},
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CONFIGURE,
        object_type=Types.SCREENING_CODE,
        object_id=row.pk,
        purpose=Purposes.SCREENING_CODES_CHANGED,
        detail={"kind": kind, "code": code},
    )
    return row


@transaction.atomic
def rule_save(
    *,
    actor: User,
    name: str,
    incident_codes: list[str],
    offence_codes: list[str],
    window_days: int,
    threshold: int,
    reason_category: str,
    facts_template: str,
    roles: list[str] | None = None,
    child_min_age: int = 0,
    child_max_age: int = 17,
    adult_min_age: int = 18,
    rule: Rule | None = None,
) -> RuleVersion:
    """A new rule, or a new version of one. Codes must be on the district's active list: a
    typo would silently screen nothing."""
    district = rule_admin_district_of(actor)
    if district is None or (rule is not None and rule.police_district_id != district):
        raise PermissionDenied
    errors: dict[str, str] = {}
    for field, kind, codes in (
        ("incident_codes", DistrictCode.Kind.INCIDENT, incident_codes),
        ("offence_codes", DistrictCode.Kind.OFFENCE, offence_codes),
    ):
        known = set(
            DistrictCode.objects.filter(
                police_district_id=district, kind=kind, is_active=True, code__in=codes
            ).values_list("code", flat=True)
        )
        unknown = sorted(set(codes) - known)
        if unknown:
            errors[field] = _("Not on the district's code list: %(codes)s.") % {
                "codes": ", ".join(unknown)
            }
    if not incident_codes and not offence_codes:
        errors["incident_codes"] = _("Choose at least one incident or offence code.")
    if threshold < 1:
        errors["threshold"] = _("At least 1.")
    if not 1 <= window_days <= 3 * 365:
        errors["window_days"] = _("Between 1 and 1095 days.")
    if not 0 <= child_min_age <= child_max_age <= 17:
        errors["child_max_age"] = _("Children are 0 to 17 years old.")
    if reason_category not in ReasonCategory.values:
        errors["reason_category"] = _("Choose a category.")
    if errors:
        raise ValidationError(errors)
    if rule is None:
        if Rule.objects.filter(police_district_id=district, name=name).exists():
            raise ValidationError({"name": _("The district has a rule with this name.")})
        rule = Rule.objects.create(police_district_id=district, name=name)
    else:
        rule.name = name
        rule.save(update_fields=["name"])
    number = (rule.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = RuleVersion.objects.create(
        rule=rule,
        number=number,
        incident_codes=sorted(set(incident_codes)),
        offence_codes=sorted(set(offence_codes)),
        window_days=window_days,
        threshold=threshold,
        roles=roles or [PersonRole.SUSPECT],
        child_min_age=child_min_age,
        child_max_age=child_max_age,
        adult_min_age=adult_min_age,
        reason_category=reason_category,
        facts_template=facts_template,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CONFIGURE,
        object_type=Types.SCREENING_RULE,
        object_id=rule.pk,
        purpose=Purposes.SCREENING_RULE_SAVED,
        detail={"version": number},
    )
    return version


def current_versions(district_id: int) -> list[RuleVersion]:
    rules = Rule.objects.filter(police_district_id=district_id, is_active=True)
    latest = {}
    for v in RuleVersion.objects.filter(rule__in=rules).select_related("rule").order_by("number"):
        latest[v.rule_id] = v
    return list(latest.values())


@transaction.atomic
def screening_run(
    *,
    actor: User | None,
    district: Organisation,
    mode: str = ScreeningRun.Mode.INCREMENTAL,
    now: dt.datetime | None = None,
) -> ScreeningRun:
    """One run over every active rule. ``actor`` None is the weekly scheduled job. A hit already
    reviewed is not raised again unless a newer matching incident re-opens it."""
    if actor is not None and _district(actor) != district.pk:
        raise PermissionDenied
    started = time.monotonic()
    now = now or timezone.now()
    previous = ScreeningRun.objects.filter(police_district=district).first()
    since = (
        previous.last_incident_id
        if mode == ScreeningRun.Mode.INCREMENTAL and previous is not None
        else None
    )
    versions = current_versions(district.pk)
    incidents = Incident.objects.filter(police_district=district, is_current=True)
    # Both counts read an index (the primary key; the district and time), never the rows.
    scanned = (
        incidents.filter(pk__gt=since)
        if since is not None
        else incidents.filter(
            occurred_at__gt=now
            - dt.timedelta(days=max((v.window_days for v in versions), default=365))
        )
    )
    # The watermark is the newest id of any district: ids only grow, so whatever arrives after
    # it is new for every district, and MAX over the primary key is one index step.
    newest = Incident.objects.aggregate(m=Max("pk"))["m"]
    run = ScreeningRun.objects.create(
        police_district=district,
        started_by=actor,
        started_at=now,
        mode=mode,
        incidents_scanned=scanned.count(),
        last_incident_id=newest or 0,
    )
    run.rule_versions.set(versions)
    for version in versions:
        found, incidents_of = engine.candidates(
            version, district_id=district.pk, now=now, since_incident_id=since
        )
        new, reopened = _record_hits(run, version, found, incidents_of)
        run.hits_new += new
        run.hits_reopened += reopened
    run.duration_ms = int((time.monotonic() - started) * 1000)
    run.save(update_fields=["hits_new", "hits_reopened", "duration_ms"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.SEARCH,
        object_type=Types.SCREENING_RUN,
        object_id=run.pk,
        purpose=Purposes.SCREENING_RUN,
        legal_basis=_legal_basis(district),
        detail={"mode": mode, "hits_new": run.hits_new, "hits_reopened": run.hits_reopened},
    )
    return run


def _record_hits(
    run: ScreeningRun,
    version: RuleVersion,
    found: list[engine.Candidate],
    incidents_of: dict[str, list[int]],
) -> tuple[int, int]:
    adults = sorted({c.adult_id_number for c in found})
    hits = Hit.objects.filter(rule_id=version.rule_id)
    # A weekly run finds few adults: look their hits up by number. A full run may find tens of
    # thousands, past a database's parameter limit: then read the rule's hits in one go.
    chunks = engine.chunked(adults) if len(adults) <= engine.CHUNK else [None]
    existing = {
        (h.adult_id_number, h.child_id_number): h
        for chunk in chunks
        for h in (hits if chunk is None else hits.filter(adult_id_number__in=chunk))
    }
    to_create: list[engine.Candidate] = []
    to_update, reopened = [], 0
    for c in found:
        fields: dict[str, Any] = {
            "rule_version": version,
            "child_name": c.child_name,
            "child_address": c.child_address,
            "child_municipality_id": c.child_municipality_id,
            "last_incident_id": c.last_incident_id,
            "last_incident_at": c.last_incident_at,
        }
        hit = existing.get((c.adult_id_number, c.child_id_number))
        if hit is None:
            to_create.append(c)
            continue
        if hit.state != Hit.State.NEW:
            if (
                hit.reviewed_incident_id is not None
                and c.last_incident_id <= hit.reviewed_incident_id
            ):
                continue  # nothing new since a person looked
            hit.state, hit.run = Hit.State.NEW, run
            reopened += 1
        elif hit.last_incident_id == c.last_incident_id and hit.rule_version_id == version.pk:
            continue  # still waiting for review, and nothing has changed
        for name, value in fields.items():
            setattr(hit, name, value)
        to_update.append(hit)
    _insert_hits(run, version, to_create)
    at = connection.ops.adapt_datetimefield_value
    update_rows(
        Hit,
        HIT_UPDATED,
        [
            (
                h.state,
                h.run_id,
                h.rule_version_id,
                h.child_name,
                h.child_address,
                h.child_municipality_id,
                h.last_incident_id,
                at(h.last_incident_at),
                h.pk,
            )
            for h in to_update
        ],
    )
    created = {(c.adult_id_number, c.child_id_number) for c in to_create}
    new_hits = (
        [
            (pk, adult)
            for pk, adult, child in Hit.objects.filter(rule_id=version.rule_id, run=run)
            .values_list("pk", "adult_id_number", "child_id_number")
            .iterator(chunk_size=5000)
            if (adult, child) in created
        ]
        if created
        else []
    )

    def links(hits: list[tuple[int, str]]) -> list[tuple[int, int]]:
        return [(pk, i) for pk, adult in hits for i in incidents_of.get(adult, ())]

    columns = ("hit_id", "incident_id")
    # A new hit has no incidents yet: its rows go in without a conflict check (COPY on
    # PostgreSQL); an updated hit keeps those it had, and only the new ones are added.
    insert_rows(Hit.incidents.through, columns, links(new_hits))
    insert_rows(
        Hit.incidents.through,
        columns,
        links([(h.pk, h.adult_id_number) for h in to_update]),
        ignore_conflicts=True,
    )
    return len(to_create), reopened


def _insert_hits(run: ScreeningRun, version: RuleVersion, found: list[engine.Candidate]) -> None:
    at = connection.ops.adapt_datetimefield_value
    now = at(timezone.now())
    fixed = (run.police_district_id, version.rule_id, version.pk, run.pk, Hit.State.NEW.value)
    insert_rows(
        Hit,
        HIT_COLUMNS,
        [(*fixed, *_candidate_values(c), at(c.last_incident_at), "", now) for c in found],
    )


def _candidate_values(c: engine.Candidate) -> tuple[Any, ...]:
    return (
        c.adult_id_number,
        c.child_id_number,
        c.child_name,
        connection.ops.adapt_datefield_value(c.child_birth_date),
        c.child_sex,
        c.child_address,
        c.child_municipality_id,
        c.last_incident_id,
    )


HIT_UPDATED = (
    "state", "run_id", "rule_version_id", "child_name", "child_address", "child_municipality_id",
    "last_incident_id", "last_incident_at",
)  # fmt: skip
HIT_COLUMNS = (
    "police_district_id", "rule_id", "rule_version_id", "run_id", "state", "adult_id_number",
    "child_id_number", "child_name", "child_birth_date", "child_sex", "child_address",
    "child_municipality_id", "last_incident_id", "last_incident_at", "dismiss_reason", "created_at",
)  # fmt: skip


def _review_allowed(actor: User, hit: Hit) -> None:
    if _district(actor) != hit.police_district_id:
        raise PermissionDenied
    if hit.state != Hit.State.NEW:
        raise ValidationError(_("The hit has already been reviewed."))


@transaction.atomic
def hit_dismiss(*, actor: User, hit: Hit, reason: str) -> Hit:
    _review_allowed(actor, hit)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for dismissing the hit.")})
    hit.state = Hit.State.DISMISSED
    hit.dismiss_reason = reason.strip()
    hit.reviewed_by, hit.reviewed_at = actor, timezone.now()
    hit.reviewed_incident_id = hit.last_incident_id
    hit.save()
    audit_record_about(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        object_type=Types.SCREENING_HIT,
        object_id=hit.pk,
        person_ids=subjects.hit_person_ids([hit])[hit.pk],
        purpose=Purposes.SCREENING_HIT_DISMISSED,
        legal_basis=LEGAL_BASIS,
    )
    return hit


def facts_of(hit: Hit) -> str:
    """The rule's template filled with the matched incidents: facts only, no assessment."""
    incidents = hit.incidents.order_by("occurred_at")
    lines = "\n".join(
        f"- {timezone.localtime(i.occurred_at):%d-%m-%Y %H:%M}, {i.journal_number}, "
        f"{i.incident_code}{' / ' + i.offence_code if i.offence_code else ''}, {i.address}"
        for i in incidents
    )
    version = hit.rule_version
    return string.Template(version.facts_template).safe_substitute(
        incidents=lines,
        count=str(len(incidents)),
        window_days=str(version.window_days),
        rule=version.rule.name,
    )


def _addressee(municipality_id: int | None, address: str) -> Municipality:
    if municipality_id is None or not address.strip():
        raise ValidationError(
            _(
                "The child has no known address and municipality. Find the child's address "
                "before drafting: the notification goes to the municipality where the child lives."
            )
        )
    return Municipality.objects.get(pk=municipality_id)


@transaction.atomic
def notification_draft(*, actor: User, hit: Hit, urgent: bool = False) -> Notification:
    _review_allowed(actor, hit)
    municipality = _addressee(hit.child_municipality_id, hit.child_address)
    notification = Notification.objects.create(
        police_district_id=hit.police_district_id,
        kind=Notification.Kind.SCREENING,
        hit=hit,
        child_id_number=hit.child_id_number,
        child_name=hit.child_name,
        child_birth_date=hit.child_birth_date,
        child_sex=hit.child_sex,
        child_address=hit.child_address,
        municipality=municipality,
        reason_category=hit.rule_version.reason_category,
        facts=facts_of(hit),
        last_incident_at=hit.last_incident_at,
        urgent=urgent,
        drafted_by=actor,
    )
    hit.state = Hit.State.DRAFTED
    hit.reviewed_by, hit.reviewed_at = actor, timezone.now()
    hit.reviewed_incident_id = hit.last_incident_id
    hit.save()
    _audit_notification(
        actor, notification, Purposes.NOTIFICATION_DRAFTED, AuditEvent.Action.CREATE
    )
    return notification


@transaction.atomic
def notification_draft_direct(
    *,
    actor: User,
    child_id_number: str,
    child_name: str,
    child_birth_date: dt.date,
    child_sex: str,
    child_address: str,
    municipality: Municipality | None,
    facts: str,
    detained_at: dt.datetime,
    urgent: bool = False,
) -> Notification:
    """A child under 15 detained or questioned: the police notify the social authorities
    (Rigsadvokatmeddelelsen), without any screening rule."""
    district = _district(actor)
    if engine.years_before(detained_at.date(), 15) >= child_birth_date:
        raise ValidationError({"child_birth_date": _("The child was 15 or older at the time.")})
    addressee = _addressee(municipality.pk if municipality else None, child_address)
    if not facts.strip():
        raise ValidationError({"facts": _("Describe what happened.")})
    notification = Notification.objects.create(
        police_district_id=district,
        kind=Notification.Kind.CHILD_UNDER_15,
        child_id_number=child_id_number,
        child_name=child_name,
        child_birth_date=child_birth_date,
        child_sex=child_sex,
        child_address=child_address,
        municipality=addressee,
        reason_category=ReasonCategory.CRIME,
        facts=facts.strip(),
        last_incident_at=detained_at,
        urgent=urgent,
        drafted_by=actor,
    )
    _audit_notification(
        actor, notification, Purposes.NOTIFICATION_DRAFTED, AuditEvent.Action.CREATE
    )
    return notification


@transaction.atomic
def notification_approve(*, actor: User, notification: Notification) -> Notification:
    if _district(actor) != notification.police_district_id:
        raise PermissionDenied
    if notification.state != Notification.State.DRAFT:
        raise ValidationError(_("Only a draft can be approved."))
    if notification.drafted_by_id == actor.pk:
        raise ValidationError(
            _("A second person must approve: you drafted this notification yourself.")
        )
    notification.state = Notification.State.APPROVED
    notification.approved_by, notification.approved_at = actor, timezone.now()
    notification.save(update_fields=["state", "approved_by", "approved_at"])
    _audit_notification(actor, notification, Purposes.NOTIFICATION_APPROVED)
    return notification


def municipality_has_users(municipality_id: int) -> bool:
    return Membership.objects.filter(
        role=Role.CHILD_SERVICES,
        organisation__kind=Organisation.Kind.MUNICIPALITY,
        organisation__municipality_id=municipality_id,
        user__is_active=True,
    ).exists()


@transaction.atomic
def notification_send(
    *,
    actor: User,
    notification: Notification,
    on_call_called_at: dt.datetime | None = None,
    channel: str = "",
    sent_at: dt.datetime | None = None,
) -> Notification:
    """Send an approved notification. Urgent: the call to the social on-call service comes
    first, and its time is recorded. A municipality without users here gets the PDF by the
    channel the district records (secure e-mail, Digital Post), with the time it was sent."""
    if _district(actor) != notification.police_district_id:
        raise PermissionDenied
    if notification.state != Notification.State.APPROVED:
        raise ValidationError(_("The notification must be approved by a second person first."))
    if notification.urgent:
        on_call_called_at = on_call_called_at or notification.on_call_called_at
        if on_call_called_at is None:
            raise ValidationError(
                {
                    "on_call_called_at": _(
                        "Urgent: call the municipality's social on-call service first and record "
                        "the time of the call."
                    )
                }
            )
        notification.on_call_called_at = on_call_called_at
    now = timezone.now()
    in_app = municipality_has_users(notification.municipality_id)
    if in_app:
        notification.channel = Notification.Channel.SPORSKIFTE
        notification.sent_at = now
    else:
        if channel not in (Notification.Channel.SECURE_MAIL, Notification.Channel.DIGITAL_POST):
            raise ValidationError(
                {
                    "channel": _(
                        "The municipality has no users in Sporskifte: send the PDF by secure "
                        "e-mail or Digital Post and record the channel and the time."
                    )
                }
            )
        if sent_at is not None and not (notification.approved_at or now) <= sent_at <= now:
            # Never before the approval: a closed quarter's published figures
            # (figures.published_quarters) must not gain a notification afterwards.
            raise ValidationError(_("The time sent must lie between the approval and now."))
        notification.channel = channel
        notification.sent_at = sent_at or now
    country = notification.municipality.country
    received = timezone.localtime(notification.sent_at).date()
    notification.state = Notification.State.SENT
    notification.acknowledge_due_on = clocks.acknowledge_due_on(received, country)
    notification.assessment_due_at = clocks.assessment_due_at(notification.sent_at)
    notification.decision_due_on = clocks.decision_due_on(received, country)
    notification.save()
    _audit_notification(actor, notification, Purposes.NOTIFICATION_SENT, AuditEvent.Action.DISCLOSE)
    if in_app:
        notices.notification_waiting(notification.municipality_id)
    return notification


def _receiving(actor: User, notification: Notification) -> None:
    if child_services_municipality_of(actor) != notification.municipality_id:
        raise PermissionDenied
    if notification.state != Notification.State.SENT:
        raise PermissionDenied


@transaction.atomic
def notification_acknowledge(*, actor: User, notification: Notification) -> Notification:
    _receiving(actor, notification)
    if notification.acknowledged_at is None:
        notification.acknowledged_at = timezone.now()
        notification.handled_by = actor
        notification.save(update_fields=["acknowledged_at", "handled_by"])
        _audit_notification(actor, notification, Purposes.NOTIFICATION_ACKNOWLEDGED)
    return notification


@transaction.atomic
def notification_assess(
    *, actor: User, notification: Notification, acute_action: bool
) -> Notification:
    _receiving(actor, notification)
    notification.assessed_at = timezone.now()
    notification.acute_action = acute_action
    notification.acknowledged_at = notification.acknowledged_at or notification.assessed_at
    notification.handled_by = actor
    notification.save(
        update_fields=["assessed_at", "acute_action", "acknowledged_at", "handled_by"]
    )
    _audit_notification(actor, notification, Purposes.NOTIFICATION_ASSESSED)
    return notification


@transaction.atomic
def notification_feedback(
    *, actor: User, notification: Notification, investigation_started: bool
) -> Notification:
    _receiving(actor, notification)
    if notification.acknowledged_at is None:
        raise ValidationError(_("Acknowledge receipt first."))
    notification.feedback_at = timezone.now()
    notification.investigation_started = investigation_started
    notification.handled_by = actor
    notification.save(update_fields=["feedback_at", "investigation_started", "handled_by"])
    _audit_notification(actor, notification, Purposes.NOTIFICATION_FEEDBACK)
    return notification


def _audit_notification(
    actor: User, notification: Notification, purpose: str, action: str = AuditEvent.Action.UPDATE
) -> None:
    audit_record_about(
        actor=actor,
        action=action,
        object_type=Types.NOTIFICATION,
        object_id=notification.pk,
        person_ids=subjects.notification_person_ids([notification])[notification.pk],
        purpose=purpose,
        legal_basis=LEGAL_BASIS_SE if notification.municipality.country == "SE" else LEGAL_BASIS,
        responsible=[notification.police_district_id],
    )


@transaction.atomic
def import_upload_queue(
    *, actor: User, district: Organisation, kind: str, name: str, content: bytes
) -> ImportUpload:
    """Keep the uploaded file in the database and queue its import; the job row commits (or
    rolls back) with the upload. The importer audits the import itself when it runs."""
    if screening_district_of(actor) != district.pk:
        raise NotAllowed
    upload = ImportUpload.objects.create(
        police_district=district,
        uploaded_by=actor,
        kind=kind,
        name=name[:200],
        content=content,
        size=len(content),
    )
    import_upload.enqueue(upload_id=upload.pk)
    return upload
