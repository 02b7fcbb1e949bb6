"""The notifications' figures are counted per closed quarter: a quarter is published once it has
ended and nothing approved in it waits to be sent, its lists never change afterwards, and an
open quarter or one past retention is never shown."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from sporskifte.insights.tests.linear_attacker import Attacker
from sporskifte.screening import services
from sporskifte.screening.figures import Quarter, figures_for, published_quarters
from sporskifte.screening.models import Hit, Notification, ReasonCategory
from sporskifte.screening.tests.conftest import municipality, screened
from sporskifte.screening.tests.conftest import sent as send

pytestmark = pytest.mark.django_db

ADULT = "0101809000"


@pytest.fixture
def sent(personas, district_a, rule):
    """One notification sent today to Holstebro, the template the tests copy into quarters."""
    screened(personas, district_a, ADULT, ("0101159000", "0661"))
    return send(personas, Hit.objects.get())


def _noon(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def copies(
    template: Notification, day: dt.date, n: int, *, code: str = "0661", reason: str = ""
) -> None:
    """``n`` notifications sent on ``day`` to the municipality ``code``."""
    for _i in range(n):
        template.pk = None
        template.sent_at = template.approved_at = _noon(day)
        template.municipality = municipality(code)
        template.reason_category = reason or template.reason_category
        template.save()


def _municipalities(district_id: int, quarter: Quarter) -> dict[str, object]:
    return dict(figures_for(district_id, quarter=quarter).municipalities)


def test_quarter_boundaries():
    q = Quarter.of(dt.date(2026, 12, 31))
    assert (q.start, q.end, q.previous()) == (
        dt.date(2026, 10, 1),
        dt.date(2027, 1, 1),
        Quarter(2026, 3),
    )
    assert Quarter(2026, 1).previous() == Quarter(2025, 4)


def test_the_open_quarter_is_never_published(sent):
    this = Quarter.of(timezone.localdate())
    assert this not in published_quarters(sent.police_district_id)


def test_a_closed_quarters_lists_do_not_change_as_later_notifications_are_sent(sent):
    today = timezone.localdate()
    last = Quarter.of(today).previous()
    copies(sent, last.start, 7, code="0661")
    copies(sent, last.start, 6, code="0791")
    district = sent.police_district_id
    before = _municipalities(district, last)
    assert published_quarters(district)[0] == last
    # More notifications this quarter, to the same municipalities: the closed one stays put.
    copies(sent, today, 3, code="0791")
    copies(sent, today, 9, code="0661")
    assert _municipalities(district, last) == before == {"Holstebro": 7, "Viborg": 6}


def test_a_quarter_waits_while_a_notification_approved_in_it_is_unsent(sent):
    last = Quarter.of(timezone.localdate()).previous()
    copies(sent, last.start, 5)
    district = sent.police_district_id
    assert last in published_quarters(district)
    Notification.objects.filter(pk=sent.pk).update(
        state=Notification.State.APPROVED,
        sent_at=None,
        approved_at=_noon(last.end) - dt.timedelta(days=1),
    )
    assert last not in published_quarters(district)


def test_the_page_says_which_approved_notifications_hold_the_last_quarter_back(
    personas, as_user, sent
):
    last = Quarter.of(timezone.localdate()).previous()
    copies(sent, last.start, 5)
    Notification.objects.filter(pk=sent.pk).update(
        state=Notification.State.APPROVED, sent_at=None, approved_at=_noon(last.start)
    )
    page = as_user(personas.screening_a).get(
        reverse("screening:figures"), HTTP_ACCEPT_LANGUAGE="da"
    )
    text = page.content.decode()
    assert "data-held-back" in text and "(1 venter)" in text


def test_a_quarter_past_retention_is_not_offered(sent, settings):
    old = Quarter.of(timezone.localdate()).previous().previous()
    copies(sent, old.start, 5)
    district = sent.police_district_id
    assert old in published_quarters(district)
    settings.SCREENING_RETENTION_DAYS = {
        "notification": (timezone.localdate() - old.start).days - 1
    }
    assert old not in published_quarters(district)


def test_age_band_is_the_age_when_sent(sent):
    last = Quarter.of(timezone.localdate()).previous()
    copies(sent, last.start, 5)
    # Born so that the child was 14 when sent and is 15 today at the latest.
    birth = last.start.replace(year=last.start.year - 15) + dt.timedelta(days=1)
    Notification.objects.filter(sent_at__lt=_noon(last.end)).update(child_birth_date=birth)
    table = figures_for(sent.police_district_id, quarter=last).age_sex["table"]
    assert table.row_totals["12-14"] == 5


def test_a_send_cannot_be_recorded_before_its_approval(personas, sent):
    sent.pk = None
    sent.state, sent.sent_at = Notification.State.APPROVED, None
    sent.save()
    personas.child_services_holstebro.is_active = False  # sent outside, its time recorded
    personas.child_services_holstebro.save()
    with pytest.raises(ValidationError, match="between the approval and now"):
        services.notification_send(
            actor=personas.screening_a,
            notification=sent,
            channel=Notification.Channel.SECURE_MAIL,
            sent_at=sent.approved_at - dt.timedelta(days=100),
        )
    sent.refresh_from_db()
    assert sent.state == Notification.State.APPROVED and sent.sent_at is None


def test_the_page_offers_only_published_quarters_and_refuses_others(personas, as_user, sent):
    today = timezone.localdate()
    last = Quarter.of(today).previous()
    copies(sent, last.start, 6)
    url = reverse("screening:figures")
    page = as_user(personas.screening_a).get(url).content.decode()
    assert f'value="{last.slug}"' in page and Quarter.of(today).slug not in page
    response = as_user(personas.screening_a).get(url, {"kvartal": Quarter.of(today).slug})
    assert response.status_code == 400
    assert b"Choose a closed quarter" in response.content
    export = reverse("screening:figures_export", args=["csv"])
    assert as_user(personas.screening_a).get(export, {"kvartal": "2026-7"}).status_code == 400
    csv = as_user(personas.screening_a).get(export, {"kvartal": last.slug})
    assert csv.status_code == 200 and last.slug in csv["Content-Disposition"]


def test_the_page_says_so_in_danish_when_no_quarter_is_closed(personas, as_user, sent):
    page = as_user(personas.screening_a).get(
        reverse("screening:figures"), HTTP_ACCEPT_LANGUAGE="da"
    )
    assert page.status_code == 200
    assert "kvartal" in page.content.decode().lower()


def test_a_hidden_reason_cannot_be_pinned_by_lining_up_exports_a_quarter_apart(sent):
    # Before, the lists counted all time: three exports of counts that only grew, 7-4-1-0,
    # 7-4-3-0 and 7-5-3-0, each with its complement chosen anew, pinned the second export's 4
    # and 3 (each a bound on the next). Now the same lists are three closed quarters: every
    # export shows a quarter the same, and no quarter's count bounds another's.
    sent.delete()
    reasons = list(ReasonCategory.values)[:4]
    today = timezone.localdate()
    q3 = Quarter.of(today).previous()
    q2 = q3.previous()
    q1 = q2.previous()
    template = Notification.objects.model(**{**_fields(sent), "state": Notification.State.SENT})
    for quarter, added in ((q1, [7, 4, 1, 0]), (q2, [7, 4, 3, 0]), (q3, [7, 5, 3, 0])):
        for reason, n in zip(reasons, added, strict=True):
            copies(template, quarter.start, n, reason=reason)
    district = sent.police_district_id
    seen: dict[Quarter, list[tuple[str, object]]] = {}
    a = Attacker()
    for export_day in (q2.start, q3.start, today):
        now = _noon(export_day + dt.timedelta(days=1))
        for quarter in published_quarters(district, now=now):
            shown = figures_for(district, quarter=quarter).reasons[:4]
            assert seen.setdefault(quarter, shown) == shown  # the same in every export
            for (_label, value), reason in zip(shown, reasons, strict=True):
                a.see((quarter, reason), value)
            total = Notification.objects.filter(
                sent_at__date__gte=quarter.start, sent_at__date__lt=quarter.end
            ).count()
            a.see(("total", quarter), total)  # the strongest reader knows every total
            a.total(("total", quarter), [(quarter, r) for r in reasons])
    assert set(seen) == {q1, q2, q3}
    assert not a.pinned()


def _fields(n: Notification) -> dict[str, object]:
    return {f.attname: getattr(n, f.attname) for f in n._meta.concrete_fields if f.attname != "id"}
