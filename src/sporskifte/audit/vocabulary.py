"""The audit trail's vocabulary: what was touched and why, as fixed values with translated labels.

The stored value is a stable key; the label is what an administrator or a data subject reads,
in their language. A purpose never carries names or numbers (a journal number, a partner's name,
a project title): those go in the row's ``detail``, so the purpose can be filtered and counted.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ObjectType(models.TextChoices):
    PROGRAMME = "programme", _("Programme")
    CASE = "case", _("Case")
    OFFER = "offer", _("Offer")
    REFERRAL = "referral", _("Referral")
    COUNSELLING_NOTE = "counselling_note", _("Counselling note")
    RESEARCH_PROJECT = "research_project", _("Research project")
    AUDIT_LOG = "audit_log", _("Audit log")
    SUBJECT_EXTRACT = "subject_extract", _("Data-subject access extract")
    API_TOKEN = "api_token", _("API token")
    API_TOKEN_REQUEST = "api_token_request", _("API token request")
    USER = "user", _("User")
    TOTP_DEVICE = "totp_device", _("Second factor")
    FORUM = "forum", _("Forum")
    FORUM_MEMBER = "forum_member", _("Forum member")
    FORUM_PERSON = "forum_person", _("Person in a forum")
    FORUM_CONSENT = "forum_consent", _("Consent in a forum")
    FORUM_ACTION = "forum_action", _("Forum action")
    MEETING = "meeting", _("Meeting")
    CALENDAR_FEED = "calendar_feed", _("Calendar feed")
    CONCERN_CASE = "concern_case", _("Worry case")
    CUSTODY_HOLDER = "custody_holder", _("Custody holder")
    CONCERN_CONVERSATION = "concern_conversation", _("Worry conversation")
    CONCERN_LETTER = "concern_letter", _("Worry letter")
    INSIGHTS = "insights", _("Figures")
    PERSON = "person", _("Person")
    PROSECUTOR_CONSULTATION = "prosecutor_consultation", _("Consultation of the prosecutor")
    # Background jobs
    BACKGROUND_JOB = "background_job", _("Background job")
    # Outreach
    PUBLIC_WARNING = "public_warning", _("Public warning")
    VISIT_REQUEST = "visit_request", _("Request for a police visit")
    SCHOOL_CONTACT_POINT = "school_contact_point", _("School contact point")
    SCHOOL_CONCERN = "school_concern", _("Report from a school")
    # Victim support
    VICTIM_INFORMATION = "victim_information", _("Victim told about victim support")
    VICTIM_REFERRAL = "victim_referral", _("Referral to victim support")
    VICTIM_MONTHLY_COUNT = "victim_monthly_count", _("Victim support's monthly counts")
    # Exit programme
    EXIT_CASE = "exit_case", _("Exit case")
    # SAML log-in
    SAML_MESSAGE = "saml_message", _("SAML message")
    # Councils (kredsråd, lokalråd, SSP-samråd) and their plans
    COUNCIL = "council", _("Council")
    COUNCIL_MEMBER = "council_member", _("Council member")
    COUNCIL_MEETING = "council_meeting", _("Council meeting")
    COUNCIL_ACTION = "council_action", _("Council action")
    COUNCIL_PLAN = "council_plan", _("Cooperation plan")
    INDICATOR_STATUS = "indicator_status", _("Indicator status")
    PREVENTION_AREAS = "prevention_areas", _("Prevention areas")
    # Screening (Socialsøg) and notifications to child services
    SCREENING_INCIDENT = "screening_incident", _("Incident record")
    SCREENING_HOUSEHOLD = "screening_household", _("Household link")
    SCREENING_CODE = "screening_code", _("Incident or offence code")
    SCREENING_RULE = "screening_rule", _("Screening rule")
    SCREENING_RUN = "screening_run", _("Screening run")
    SCREENING_HIT = "screening_hit", _("Screening hit")
    NOTIFICATION = "notification", _("Notification about a child")
    # Mediation (konfliktråd / medling)
    MEDIATION_CASE = "mediation_case", _("Mediation case")
    MEDIATION_PARTY = "mediation_party", _("Party to a mediation")
    MEDIATION_CONSENT = "mediation_consent", _("Consent to mediation")
    MEDIATION_MEETING = "mediation_meeting", _("Mediation meeting")
    MEDIATION_AGREEMENT = "mediation_agreement", _("Mediation agreement")
    MEDIATION_LETTER = "mediation_letter", _("Mediation letter")
    MEDIATION_NOTE = "mediation_note", _("Mediator's note")
    MEDIATION_SETTINGS = "mediation_settings", _("Mediation settings of a district")
    MEDIATION_CONSENT_TEXT = "mediation_consent_text", _("Consent text for mediation")


class Purpose(models.TextChoices):
    # Referrals (police and partners)
    PROGRAMME_CREATED = "programme_created", _("Programme created")
    PROGRAMME_CHANGED = "programme_changed", _("Programme changed")
    CASE_CREATED = "case_created", _("Case created")
    OFFER_REGISTERED = "offer_registered", _("Offer registered")
    SUSPECT_IMPORTED = "suspect_imported", _("Suspect imported to a case")
    ANSWER_RECORDED = "answer_recorded", _("Answer recorded")
    CONTACT_DETAILS_PASSED = "contact_details_passed", _("Contact details passed to the partner")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawn")
    CONTACT_ATTEMPT_RECORDED = "contact_attempt_recorded", _("Contact attempt recorded")
    OUTCOME_STEP_RECORDED = "outcome_step_recorded", _("Outcome step recorded")
    COUNSELLING_NOTE_WRITTEN = "counselling_note_written", _("Counselling note written")
    RETENTION_ENDED = "retention_ended", _("Retention period ended")
    POLICE_OVERVIEW = "police_overview", _("Police overview")
    OFFER_PAGE = "offer_page", _("Offer page")
    CASE_PAGE = "case_page", _("Case page")
    PARTNER_INBOX = "partner_inbox", _("Partner inbox")
    REFERRAL_PAGE = "referral_page", _("Referral page")
    # The API, as the systems of partners and police use it
    API_PARTNER_INBOX = "api_partner_inbox", _("Partner inbox through the API")
    API_REFERRAL = "api_referral", _("Referral through the API")
    API_CASE = "api_case", _("Case through the API")
    API_OFFER = "api_offer", _("Offer through the API")
    API_OFFER_LIST = "api_offer_list", _("Offer list through the API")
    API_REFERRAL_CHANGES = "api_referral_changes", _("Referral change feed through the API")
    API_OFFER_CHANGES = "api_offer_changes", _("Offer change feed through the API")
    API_CONTACT_ATTEMPTS = "api_contact_attempts", _("Contact attempts through the API")
    API_OUTCOME_STEPS = "api_outcome_steps", _("Outcome steps through the API")
    # One person per identity number; corrections that keep the original
    DUPLICATE_IDENTITY_MERGED = "duplicate_identity_merged", _("Duplicate identity number merged")
    CONTACT_DETAILS_CORRECTED = "contact_details_corrected", _("Contact details corrected")
    OUTCOME_STEP_CORRECTED = "outcome_step_corrected", _("Outcome step corrected")
    CONTACT_ATTEMPT_CORRECTED = "contact_attempt_corrected", _("Contact attempt corrected")
    POLICE_OVERVIEW_SEARCH = "police_overview_search", _("Police overview searched")
    # Detained persons and their relatives (X-Cons)
    DETENTION_FACILITY_RECORDED = "detention_facility_recorded", _("Detention facility recorded")
    PROSECUTOR_CONSULTED = "prosecutor_consulted", _("Prosecutor consulted")
    RELATIVE_OFFER_REGISTERED = "relative_offer_registered", _("Offer to a relative registered")
    LONG_FOLLOW_UP_SET = "long_follow_up_set", _("Long follow-up set")
    # Research
    RESEARCH_PROJECT_CREATED = "research_project_created", _("Research project created")
    RESEARCH_PROJECT_CHANGED = "research_project_changed", _("Research project changed")
    RESEARCH_PROJECT_APPROVED = "research_project_approved", _("Research project approved")
    RESEARCH_EXTRACT = "research_extract", _("Research extract downloaded")
    FIGURES_EXPORTED = "figures_exported", _("Figures exported")
    # The audit trail itself
    AUDIT_RETENTION = "audit_retention", _("Audit log retention")
    AUDIT_LOG_SEARCH = "audit_log_search", _("Audit log searched by person")
    SUBJECT_EXTRACT = "subject_extract", _("Data-subject access extract")
    # Accounts and tokens
    LOGIN = "login", _("Log-in")
    LOGIN_TWO_FACTOR = "login_two_factor", _("Log-in with password and one-time code")
    SECOND_FACTOR_SET_UP = "second_factor_set_up", _("Second factor set up")
    SECOND_FACTOR_RESET = "second_factor_reset", _("Second factor reset")
    UNLOCKED = "unlocked", _("Unlocked after failed log-ins")
    API_TOKEN_CREATED = "api_token_created", _("API token created")
    API_TOKEN_REVOKED = "api_token_revoked", _("API token revoked")
    API_TOKEN_REQUESTED = "api_token_requested", _("API token for another organisation requested")
    API_TOKEN_APPROVED = "api_token_approved", _("API token for another organisation approved")
    # Fora
    FORUM_CREATED = "forum_created", _("Forum created")
    FORUM_CHANGED = "forum_changed", _("Forum changed")
    FORUM_MEMBER_ADDED = "forum_member_added", _("Forum member added")
    FORUM_MEMBER_LEFT = "forum_member_left", _("Forum member left")
    FORUM_CONSENT_RECORDED = "forum_consent_recorded", _("Consent recorded")
    SHARED_IN_FORUM = "shared_in_forum", _("Shared in the forum")
    ESCALATED_OUT = "escalated_out", _("Escalated to another forum")
    ESCALATED_IN = "escalated_in", _("Escalated from another forum")
    FORUM_EXPORT = "forum_export", _("Export for forum members")
    CALENDAR_FEED_CREATED = "calendar_feed_created", _("Calendar feed created")
    CALENDAR_FEED_REVOKED = "calendar_feed_revoked", _("Calendar feed revoked")
    FORUM_PAGE = "forum_page", _("Forum page")
    FORUM_PERSON_PAGE = "forum_person_page", _("Forum person page")
    ESCALATION_PAGE = "escalation_page", _("Escalation page")
    MEETING_PAGE = "meeting_page", _("Meeting page")
    MEETING_PLANNED = "meeting_planned", _("Meeting planned")
    MEETING_CHANGED = "meeting_changed", _("Meeting changed")
    MEETING_NOTICE_SENT = "meeting_notice_sent", _("Meeting notice sent")
    MEETING_CANCELLED = "meeting_cancelled", _("Meeting cancelled")
    MEETING_HELD = "meeting_held", _("Meeting held")
    AGENDA_ITEM_ADDED = "agenda_item_added", _("Agenda item added")
    AGENDA_ITEM_REMOVED = "agenda_item_removed", _("Agenda item removed")
    ATTENDANCE_RECORDED = "attendance_recorded", _("Attendance recorded")
    MINUTES_WRITTEN = "minutes_written", _("Minutes written")
    ACTION_AGREED = "action_agreed", _("Action agreed")
    ACTION_DONE = "action_done", _("Action done")
    ACTION_DROPPED = "action_dropped", _("Action dropped")
    FORUM_RETENTION_ENDED = "forum_retention_ended", _("Forum retention period ended")
    # Worry conversations
    WORRY_CASE_OPENED = "worry_case_opened", _("Worry case opened")
    CUSTODY_HOLDER_ADDED = "custody_holder_added", _("Custody holder added")
    WORRY_CONVERSATION_RECORDED = "worry_conversation_recorded", _("Worry conversation recorded")
    WORRY_CONVERSATION_CHANGED = "worry_conversation_changed", _("Worry conversation changed")
    WORRY_LETTER_GENERATED = "worry_letter_generated", _("Worry letter generated")
    WORRY_LETTER_DOWNLOADED = "worry_letter_downloaded", _("Worry letter downloaded")
    WORRY_CASE_RETENTION_ENDED = "worry_case_retention_ended", _("Worry case retention ended")
    WORRY_CASE_LIST = "worry_case_list", _("Worry case list")
    WORRY_CASE_PAGE = "worry_case_page", _("Worry case page")
    WORRY_CONVERSATION_PAGE = "worry_conversation_page", _("Worry conversation page")
    # Background jobs
    BACKGROUND_JOB_RETRIED = "background_job_retried", _("Failed background job run again")
    # Outreach
    WARNING_CREATED = "warning_created", _("Public warning drafted")
    WARNING_CHANGED = "warning_changed", _("Public warning changed")
    WARNING_PUBLISHED = "warning_published", _("Public warning published")
    WARNING_WITHDRAWN = "warning_withdrawn", _("Public warning withdrawn")
    VISIT_REQUEST_CONFIRMED = "visit_request_confirmed", _("Visit request confirmed by e-mail")
    VISIT_REQUEST_LIST = "visit_request_list", _("Visit request list")
    VISIT_REQUEST_PAGE = "visit_request_page", _("Visit request page")
    VISIT_REQUEST_ASSIGNED = "visit_request_assigned", _("Officer assigned to a visit")
    VISIT_TIME_PROPOSED = "visit_time_proposed", _("Time for a visit proposed")
    VISIT_REQUEST_CLOSED = "visit_request_closed", _("Visit request closed")
    VISIT_REQUEST_RETENTION_ENDED = (
        "visit_request_retention_ended",
        _("Visit request contact details erased"),
    )
    SCHOOL_CONTACT_POINT_CREATED = "school_contact_point_created", _("School contact point added")
    SCHOOL_CONCERN_REPORTED = "school_concern_reported", _("Report from a school received")
    SCHOOL_CONCERN_LIST = "school_concern_list", _("Reports from schools listed")
    SCHOOL_CONCERN_PAGE = "school_concern_page", _("Report from a school read")
    SCHOOL_CONCERN_HANDLED = "school_concern_handled", _("Report from a school handled")
    # Victim support
    VICTIM_INFORMED = "victim_informed", _("Victim told about victim support")
    VICTIM_REFERRED = "victim_referred", _("Victim referred to victim support, with consent")
    VICTIM_REFERRAL_LIST = "victim_referral_list", _("Victim-support inbox")
    VICTIM_REFERRAL_PAGE = "victim_referral_page", _("Victim-support referral read")
    VICTIM_REFERRAL_UPDATED = "victim_referral_updated", _("Victim-support referral updated")
    VICTIM_COUNTS_ENTERED = "victim_counts_entered", _("Victim support's monthly counts entered")
    VICTIM_REFERRAL_RETENTION_ENDED = (
        "victim_referral_retention_ended",
        _("Victim-support contact details erased"),
    )
    # Exit programme
    EXIT_CASE_OPENED = "exit_case_opened", _("Exit case opened (visitation)")
    EXIT_CASE_SCORED = "exit_case_scored", _("Exit candidate scored")
    EXIT_CASE_DECIDED = "exit_case_decided", _("Exit candidate admitted or rejected")
    EXIT_AGREEMENT_SIGNED = "exit_agreement_signed", _("Exit agreement signed")
    EXIT_SUPPORT_CHANGED = "exit_support_changed", _("Exit support or milestone changed")
    EXIT_CASE_ENDED = "exit_case_ended", _("Exit case ended")
    EXIT_ADDRESS_SET = "exit_address_set", _("Protected address recorded")
    EXIT_ADDRESS_VIEWED = "exit_address_viewed", _("Protected address viewed")
    EXIT_HANDOVER_TAKEN = "exit_handover_taken", _("Exit case taken over after release")
    EXIT_CASE_LIST = "exit_case_list", _("Exit case list")
    EXIT_CASE_PAGE = "exit_case_page", _("Exit case page")
    EXIT_CASE_RETENTION_ENDED = "exit_case_retention_ended", _("Exit case retention ended")
    # Rows written before the vocabulary whose text matched none of the above.
    OTHER = "other", _("Other")
    # SAML log-in
    LOGIN_IDENTITY_PROVIDER = "login_identity_provider", _("Log-in through the identity provider")
    SAML_ACCOUNT_BOUND = "saml_account_bound", _("Account bound to the identity provider")
    SAML_LOGIN_REFUSED = "saml_login_refused", _("Log-in through the identity provider refused")
    SAML_LOGOUT = "saml_logout", _("Logged out through the identity provider")
    SAML_RETENTION = "saml_retention", _("SAML message retention")
    SAML_MESSAGE_LOG = "saml_message_log", _("SAML message log")
    # Councils (kredsråd, lokalråd, SSP-samråd) and their plans
    COUNCIL_CREATED = "council_created", _("Council set up")
    COUNCIL_MEMBER_ADDED = "council_member_added", _("Council member added")
    COUNCIL_MEETINGS_PLANNED = "council_meetings_planned", _("Council meetings planned")
    COUNCIL_NOTICE_SENT = "council_notice_sent", _("Council meeting notice sent")
    COUNCIL_MEETING_HELD = "council_meeting_held", _("Council meeting held")
    COUNCIL_MINUTES_APPROVED = "council_minutes_approved", _("Council minutes approved")
    COUNCIL_ACTION_AGREED = "council_action_agreed", _("Council action agreed")
    PLAN_CHANGED = "plan_changed", _("Cooperation plan changed")
    PLAN_ON_AGENDA = "plan_on_agenda", _("Cooperation plan put on the agenda")
    PLAN_APPROVED = "plan_approved", _("Local plan approved")
    PLAN_PUBLISHED = "plan_published", _("Cooperation plan published")
    PLAN_NEW_VERSION = "plan_new_version", _("New version of a cooperation plan")
    INDICATOR_STATUS_ENTERED = "indicator_status_entered", _("Indicator status entered")
    YEAR_END_INPUT_GIVEN = "year_end_input_given", _("Year-end input given")
    PREVENTION_AREAS_IMPORTED = "prevention_areas_imported", _("Prevention areas imported")
    COUNCIL_MEMBER_CHANGED = "council_member_changed", _("Council member changed")
    COUNCIL_MEMBER_TERM_ENDED = "council_member_term_ended", _("Council member's term ended")
    COUNCIL_MEMBER_REMOVED = "council_member_removed", _("Council member removed")
    # Screening (Socialsøg) and notifications to child services
    INCIDENTS_IMPORTED = "incidents_imported", _("Incident records imported")
    HOUSEHOLDS_IMPORTED = "households_imported", _("Household links imported")
    INCIDENT_SEARCH = "incident_search", _("Incident records searched")
    SCREENING_CODES_CHANGED = "screening_codes_changed", _("Screening code list changed")
    SCREENING_RULE_SAVED = "screening_rule_saved", _("Screening rule saved")
    SCREENING_RUN = "screening_run", _("Screening run")
    SCREENING_HIT_LIST = "screening_hit_list", _("Screening hit list")
    SCREENING_HIT_PAGE = "screening_hit_page", _("Screening hit page")
    SCREENING_HIT_DISMISSED = "screening_hit_dismissed", _("Screening hit dismissed")
    NOTIFICATION_DRAFTED = "notification_drafted", _("Notification drafted")
    NOTIFICATION_APPROVED = "notification_approved", _("Notification approved")
    NOTIFICATION_SENT = "notification_sent", _("Notification sent")
    NOTIFICATION_PAGE = "notification_page", _("Notification page")
    NOTIFICATION_INBOX = "notification_inbox", _("Notification inbox")
    NOTIFICATION_PDF = "notification_pdf", _("Notification downloaded as PDF")
    NOTIFICATION_ACKNOWLEDGED = "notification_acknowledged", _("Notification acknowledged")
    NOTIFICATION_ASSESSED = "notification_assessed", _("24-hour assessment recorded")
    NOTIFICATION_FEEDBACK = "notification_feedback", _("Feedback to the notifier recorded")
    SCREENING_RETENTION_ENDED = "screening_retention_ended", _("Screening retention ended")
    # Mediation (konfliktråd / medling)
    MEDIATION_PROPOSED = "mediation_proposed", _("Mediation proposed")
    MEDIATION_STATE_CHANGED = "mediation_state_changed", _("Mediation case moved on")
    MEDIATION_PARTY_ADDED = "mediation_party_added", _("Party to a mediation added")
    MEDIATION_CONSENT_RECORDED = "mediation_consent_recorded", _("Consent to mediation recorded")
    MEDIATION_CONFESSION_RECORDED = "mediation_confession_recorded", _("Confession recorded")
    MEDIATION_CONDITIONS_RECORDED = (
        "mediation_conditions_recorded",
        _("Swedish conditions for medling recorded"),
    )
    MEDIATOR_ASSIGNED = "mediator_assigned", _("Mediator assigned")
    MEDIATION_PRE_MEETING = "mediation_pre_meeting", _("Pre-meeting recorded")
    MEDIATION_MEETING_BOOKED = "mediation_meeting_booked", _("Mediation meeting booked")
    MEDIATION_MEETING_HELD = "mediation_meeting_held", _("Mediation meeting held")
    MEDIATION_MEETING_CANCELLED = "mediation_meeting_cancelled", _("Mediation meeting cancelled")
    MEDIATION_AGREEMENT_RECORDED = "mediation_agreement_recorded", _("Agreement recorded")
    MEDIATION_TERM_MARKED = "mediation_term_marked", _("Term of an agreement marked")
    MEDIATION_FILE_YES = "mediation_file_yes", _("Yes to the agreement in the case file")
    MEDIATION_WITHDRAWN = "mediation_withdrawn", _("Mediation withdrawn by a party")
    MEDIATION_ENDED = "mediation_ended", _("Mediation ended by the mediator")
    MEDIATION_NOTE_WRITTEN = "mediation_note_written", _("Mediator's note written")
    MEDIATION_LETTER_GENERATED = "mediation_letter_generated", _("Mediation letter generated")
    MEDIATION_LETTER_DOWNLOADED = "mediation_letter_downloaded", _("Mediation letter downloaded")
    MEDIATION_CASE_PAGE = "mediation_case_page", _("Mediation case page")
    MEDIATION_QUEUE = "mediation_queue", _("Mediation work queue")
    MEDIATION_RETENTION_ENDED = "mediation_retention_ended", _("Mediation case retention ended")
    API_MEDIATION_PROPOSAL = "api_mediation_proposal", _("Mediation proposed through the API")
    MEDIATION_TERM_REMINDED = "mediation_term_reminded", _("Reminder about a term of an agreement")
    MEDIATION_PROSECUTOR_LIST = (
        "mediation_prosecutor_list",
        _("Mediation cases seen by the prosecutor"),
    )
    MEDIATION_RETENTION_CHANGED = (
        "mediation_retention_changed",
        _("Retention of closed mediation cases changed"),
    )
    MEDIATION_CONSENT_TEXT_PUBLISHED = (
        "mediation_consent_text_published",
        _("Consent text for mediation published"),
    )


# The legal bases the apps write, by their stored value: an administrator or a data subject reads
# them in their own language. A value not listed here (an older row) is shown as stored.
LEGAL_BASES = {
    "samtykke": _("Consent of the person"),
    "consent": _("Consent of the person (or the custody holder)"),
    "rpl-115-1-1": _("Administration of Justice Act § 115(1)(1): SSP"),
    "rpl-115-1-2": _("Administration of Justice Act § 115(1)(2): PSP"),
    "rpl-115-1-3": _("Administration of Justice Act § 115(1)(3): KSP"),
    "other": _("Another statutory basis, named by the member"),
    "politiloven § 2, nr. 1": _("Police Act § 2(1)"),
    "bek. 1108/2007 § 1, stk. 1, nr. 4": _(
        "Executive order 1108/2007 § 1(1)(4): the police tell victims about victim support"
    ),
    # Screening: the police's duty to notify about a child (barnets lov § 133) and the
    # Swedish orosanmälan: socialtjänstlagen (2025:400), formerly 14 kap. 1 § of the 2001 act.
    # The key is stored in audit rows and stays; only its label names the act in force.
    "barnets-lov-133": _("Act on Children § 133: duty to notify the municipality"),
    "sol-14-1": _("Social Services Act (SE, 2025:400): report of concern about a child"),
    "konfliktrådsloven": _("Act on konfliktråd (lov nr. 467 of 12 June 2009)"),
    "medlingslagen": _("Swedish Mediation Act (2002:445)"),
}
