"""Free-text object types and purposes become the vocabulary's keys.

Purposes that carried a name or a number ("case 4100-…", "research extract: <title>") keep
that text in ``detail["was"]``; a text that matches nothing becomes "other" with the same.
Every row names its actor's organisation as responsible, and a research extract also the
district that approved the project. The values are copied here, not imported: a migration must
not change when the app's code does.
"""

from django.db import migrations

SAME = {
    "programme created": "programme_created",
    "programme changed": "programme_changed",
    "case created": "case_created",
    "offer registered": "offer_registered",
    "answer recorded": "answer_recorded",
    "consent withdrawn": "consent_withdrawn",
    "contact attempt recorded": "contact_attempt_recorded",
    "outcome step recorded": "outcome_step_recorded",
    "counselling note written": "counselling_note_written",
    "retention ended": "retention_ended",
    "police overview": "police_overview",
    "offer page": "offer_page",
    "partner inbox": "partner_inbox",
    "referral page": "referral_page",
    "API: partner inbox": "api_partner_inbox",
    "API: referral": "api_referral",
    "API: offer": "api_offer",
    "research project created": "research_project_created",
    "research project changed": "research_project_changed",
    "research project approved": "research_project_approved",
    "Audit log retention": "audit_retention",
    "Audit log searched by person": "audit_log_search",
    "Data-subject access extract": "subject_extract",
    "Log-in": "login",
    "Log-in with password and one-time code": "login_two_factor",
    "Second factor set up": "second_factor_set_up",
    "Second factor reset": "second_factor_reset",
    "Unlocked after failed log-ins": "unlocked",
    "forum created": "forum_created",
    "forum changed": "forum_changed",
    "forum member added": "forum_member_added",
    "forum member left": "forum_member_left",
    "consent recorded": "forum_consent_recorded",
    "shared in forum": "shared_in_forum",
    "export for forum members": "forum_export",
    "calendar feed created": "calendar_feed_created",
    "calendar feed revoked": "calendar_feed_revoked",
    "forum page": "forum_page",
    "forum person page": "forum_person_page",
    "escalation page": "escalation_page",
    "meeting planned": "meeting_planned",
    "meeting changed": "meeting_changed",
    "notice sent": "meeting_notice_sent",
    "meeting cancelled": "meeting_cancelled",
    "meeting held": "meeting_held",
    "agenda item added": "agenda_item_added",
    "agenda item removed": "agenda_item_removed",
    "attendance recorded": "attendance_recorded",
    "minutes written": "minutes_written",
    "action agreed": "action_agreed",
    "action done": "action_done",
    "action dropped": "action_dropped",
    "forum retention ended": "forum_retention_ended",
    "worry case opened": "worry_case_opened",
    "custody holder added": "custody_holder_added",
    "worry conversation recorded": "worry_conversation_recorded",
    "worry conversation changed": "worry_conversation_changed",
    "worry letter generated": "worry_letter_generated",
    "worry letter downloaded": "worry_letter_downloaded",
    "worry case retention ended": "worry_case_retention_ended",
    "worry case list": "worry_case_list",
    "worry case page": "worry_case_page",
    "worry conversation page": "worry_conversation_page",
}
# Longest first, so "API: case " is tried before "case ".
PREFIXES = sorted(
    {
        "contact details passed to ": "contact_details_passed",
        "case ": "case_page",
        "suspect imported to case ": "suspect_imported",
        "research extract: ": "research_extract",
        "API token created: ": "api_token_created",
        "API token revoked: ": "api_token_revoked",
        "API: case ": "api_case",
        "escalated out: ": "escalated_out",
        "escalated in: ": "escalated_in",
        "meeting ": "meeting_page",
        "figures exported (": "figures_exported",
    }.items(),
    key=lambda kv: -len(kv[0]),
)


def forwards(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditEvent.objects.filter(object_type="audit_event").update(object_type="audit_log")
    for old, new in SAME.items():
        AuditEvent.objects.filter(purpose=old).update(purpose=new)
    known = set(SAME.values()) | {new for _, new in PREFIXES}
    for event in AuditEvent.objects.exclude(purpose__in=known).iterator(chunk_size=2000):
        new = next((key for prefix, key in PREFIXES if event.purpose.startswith(prefix)), "other")
        event.detail = {**event.detail, "was": event.purpose}
        event.purpose = new
        event.save(update_fields=["purpose", "detail"])

    Responsible = AuditEvent.responsible.through
    rows = AuditEvent.objects.filter(organisation_id__isnull=False).values_list(
        "pk", "organisation_id"
    )
    Responsible.objects.bulk_create(
        (Responsible(auditevent_id=pk, organisation_id=org) for pk, org in rows.iterator()),
        batch_size=2000,
        ignore_conflicts=True,
    )
    ResearchProject = apps.get_model("research", "ResearchProject")
    districts = dict(ResearchProject.objects.values_list("pk", "police_district_id"))
    extracts = AuditEvent.objects.filter(
        object_type="research_project", purpose="research_extract"
    ).values_list("pk", "object_id")
    Responsible.objects.bulk_create(
        (
            Responsible(auditevent_id=pk, organisation_id=districts[int(obj)])
            for pk, obj in extracts.iterator()
            if obj.isdigit() and int(obj) in districts
        ),
        batch_size=2000,
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_vocabulary_items_responsible"),
        ("research", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
