import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from sporskifte.audit.models import AuditEvent
from sporskifte.victims import retention, selectors, services
from sporskifte.victims.models import Information, MonthlyCount, VictimReferral

pytestmark = pytest.mark.django_db

CONSENTING = {
    "category": "violence",
    "consented": "yes",
    "name": "Karen Offer",
    "phone": "20 30 40 50",
    "email": "",
    "language": "da",
    "preferred_contact": "phone",
}


def _refer(actor, **overrides):
    fields = {
        "category": "violence",
        "consented": True,
        "name": "Karen Offer",
        "phone": "+4520304050",
    }
    return services.victim_information_record(actor=actor, **(fields | overrides))


def test_with_consent_only_contact_language_and_category_reach_the_unit(
    personas, adviser_a, as_user
):
    response = as_user(personas.officer_a).post(reverse("victims:information_new"), CONSENTING)
    assert response.status_code == 302
    referral = VictimReferral.objects.get()
    assert referral.unit == adviser_a.membership.organisation
    assert (referral.name, referral.phone, referral.language) == (
        "Karen Offer",
        "+4520304050",
        "da",
    )
    assert referral.information.category == "violence"
    # No field for a narrative exists on the way to the unit.
    field_names = {f.name for f in VictimReferral._meta.get_fields()}
    assert not field_names & {"narrative", "description", "journal_number", "report"}
    page = as_user(adviser_a).get(reverse("victims:inbox")).content.decode()
    assert "Karen Offer" in page


def test_without_consent_only_the_count_is_kept(personas, adviser_a):
    info = _refer(personas.officer_a, consented=False, name="", phone="")
    assert not VictimReferral.objects.exists()
    assert {f.name for f in Information._meta.get_fields()} >= {"category", "consented"}
    assert info.consented is False


def test_a_referral_without_consent_gets_a_clear_message_and_changes_nothing(
    personas, adviser_a, as_user
):
    before = AuditEvent.objects.count()
    response = as_user(personas.officer_a).post(
        reverse("victims:information_new"), CONSENTING | {"consented": "no"}
    )
    assert response.status_code == 200
    assert "nothing about them may be passed on" in response.content.decode()
    assert Information.objects.count() == 0 and VictimReferral.objects.count() == 0
    assert AuditEvent.objects.count() == before


def test_consent_needs_a_name_and_the_preferred_contact(personas, adviser_a):
    with pytest.raises(ValidationError) as exc:
        _refer(personas.officer_a, name="", phone="")
    assert set(exc.value.message_dict) == {"name", "phone"}
    with pytest.raises(ValidationError) as exc:
        _refer(personas.officer_a, preferred_contact="email")
    assert set(exc.value.message_dict) == {"email"}
    assert Information.objects.count() == 0


def test_a_district_without_a_unit_is_told_the_victim_line(personas):
    with pytest.raises(ValidationError) as exc:
        _refer(personas.officer_a)
    assert "116 006" in exc.value.messages[0]
    assert Information.objects.count() == 0


def test_only_the_police_record_information(personas, adviser_a, as_user):
    for user in (personas.counsellor_a, adviser_a, personas.council_member):
        assert as_user(user).get(reverse("victims:information_new")).status_code == 404


def test_the_unit_of_another_district_does_not_see_the_referral(
    personas, adviser_a, adviser_b, as_user
):
    info = _refer(personas.officer_a)
    url = reverse("victims:referral_detail", args=[info.referral.pk])
    assert as_user(adviser_a).get(url).status_code == 200
    assert as_user(adviser_b).get(url).status_code == 404


@pytest.mark.parametrize(
    "name", ["officer_a", "investigator_a", "admin_a", "counsellor_a", "researcher", "sysadmin"]
)
def test_the_police_and_others_never_see_a_referral(personas, adviser_a, as_user, name):
    info = _refer(personas.officer_a)
    client = as_user(getattr(personas, name))
    assert (
        client.get(reverse("victims:referral_detail", args=[info.referral.pk])).status_code == 404
    )
    assert client.get(reverse("victims:inbox")).status_code == 404


@pytest.mark.parametrize(
    ("start", "to", "allowed"),
    [
        (start, to, to in services._MOVES[start])
        for start in VictimReferral.State.values
        for to in VictimReferral.State.values
    ],
)
def test_every_state_move_follows_the_table(personas, adviser_a, start, to, allowed):
    info = _refer(personas.officer_a)
    VictimReferral.objects.filter(pk=info.referral.pk).update(state=start)
    referral = VictimReferral.objects.get(pk=info.referral.pk)
    if allowed:
        assert services.victim_referral_move(actor=adviser_a, referral=referral, to=to).state == to
    else:
        with pytest.raises(ValidationError):
            services.victim_referral_move(actor=adviser_a, referral=referral, to=to)
        assert VictimReferral.objects.get(pk=referral.pk).state == start


def test_monthly_counts_replace_the_month_and_say_so(personas, adviser_a):
    unit = adviser_a.membership.organisation
    month = timezone.localdate().replace(day=1)
    services.monthly_counts_save(
        actor=adviser_a, unit=unit, month=month, counts={("violence", "phone_line"): 3}
    )
    services.monthly_counts_save(
        actor=adviser_a, unit=unit, month=month, counts={("violence", "phone_line"): 4}
    )
    assert list(MonthlyCount.objects.values_list("conversations", flat=True)) == [4]
    corrected = AuditEvent.objects.filter(purpose="victim_counts_entered").order_by("pk").last()
    assert corrected.detail == {"corrected": True}


def test_a_future_month_or_negative_count_is_refused(personas, adviser_a):
    unit = adviser_a.membership.organisation
    future = (timezone.localdate().replace(day=1) + dt.timedelta(days=40)).replace(day=1)
    with pytest.raises(ValidationError):
        services.monthly_counts_save(actor=adviser_a, unit=unit, month=future, counts={})
    with pytest.raises(ValidationError):
        services.monthly_counts_save(
            actor=adviser_a,
            unit=unit,
            month=timezone.localdate().replace(day=1),
            counts={("theft", "walk_in"): -1},
        )


def test_the_month_form_saves_the_grid(personas, adviser_a, as_user):
    month = timezone.localdate().strftime("%Y-%m")
    response = as_user(adviser_a).post(
        reverse("victims:month"),
        {"month": month, "n_fraud_walk_in": "2", "n_violence_referral": "5"},
    )
    assert response.status_code == 302
    assert sorted(MonthlyCount.objects.values_list("category", "channel", "conversations")) == [
        ("fraud", "walk_in", 2),
        ("violence", "referral", 5),
    ]


def test_figures_hide_small_counts_and_small_differences(personas, adviser_a):
    for _ in range(8):
        _refer(personas.officer_a, consented=False, name="", phone="")
    for _ in range(6):
        info = _refer(personas.officer_a)
        services.victim_referral_move(actor=adviser_a, referral=info.referral, to="contacted")
    _refer(personas.officer_a, category="fraud")
    rows = dict(
        selectors.district_figures(
            personas.officer_a.membership.organisation.pk,
            timezone.localdate().year,
            for_police=False,
        )
    )
    assert rows["Violence"] == {"informed": 14, "consented": 6, "contacted": 6}
    assert rows["Fraud"] == {"informed": "<5", "consented": "<5", "contacted": 0}


def test_retention_erases_contact_details_and_keeps_the_counts(personas, adviser_a):
    info = _refer(personas.officer_a)
    services.victim_referral_move(actor=adviser_a, referral=info.referral, to="contacted")
    services.victim_referral_move(actor=adviser_a, referral=info.referral, to="closed")
    VictimReferral.objects.update(closed_at=timezone.now() - dt.timedelta(days=31))
    fresh = _refer(personas.officer_a)
    assert retention.victim_referrals_erase_expired() == 1
    erased = VictimReferral.objects.get(pk=info.referral.pk)
    assert (erased.name, erased.phone, erased.email) == ("", "", "")
    assert VictimReferral.objects.get(pk=fresh.referral.pk).name == "Karen Offer"
    assert Information.objects.count() == 2
    assert AuditEvent.objects.filter(purpose="victim_referral_retention_ended").count() == 1


def test_every_look_is_audited(personas, adviser_a, as_user):
    info = _refer(personas.officer_a)
    client = as_user(adviser_a)
    client.get(reverse("victims:inbox"))
    client.get(reverse("victims:referral_detail", args=[info.referral.pk]))
    purposes = list(AuditEvent.objects.order_by("pk").values_list("purpose", flat=True))
    assert purposes[-3:] == ["victim_referred", "victim_referral_list", "victim_referral_page"]


def test_a_swedish_officer_has_no_danish_victim_support_form(personas, as_user):
    from sporskifte.accounts.models import Role
    from sporskifte.testing.factories import district, member

    polis = member("polis_se", district("polisregion-stockholm"), Role.OFFICER)
    client = as_user(polis)
    assert client.get(reverse("victims:information_new")).status_code == 404
    assert (
        reverse("victims:information_new")
        not in client.get(reverse("referrals:overview")).content.decode()
    )
    with pytest.raises(ValidationError):
        services.victim_information_record(actor=polis, category="violence", consented=False)
    assert Information.objects.count() == 0
