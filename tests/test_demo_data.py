"""The demo command: every account logs in, every state is there, a second run changes nothing,
and production refuses it."""

import random
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from stdnum.dk import cpr

from sporskifte.accounts.demo import ACCOUNTS
from sporskifte.accounts.models import User
from sporskifte.accounts.totp import next_usable_code
from sporskifte.audit.models import AuditEvent
from sporskifte.core.demo import PASSWORD
from sporskifte.core.identity import parse_personnummer
from sporskifte.people.models import Person
from sporskifte.referrals.demo import CASE_JOURNAL, fictitious_personnummer
from sporskifte.referrals.models import Case, Offer, Programme, Referral, Step
from sporskifte.referrals.selectors import INBOX_BUCKETS, inbox_bucket_q


def _code(user: User) -> str:
    return next_usable_code(TOTPDevice.objects.get(user=user, confirmed=True)).code


def _counts() -> dict[str, int]:
    return {
        m.__name__: m.objects.count()
        for m in (User, Person, Programme, Case, Offer, Referral, AuditEvent, TOTPDevice)
    }


@pytest.mark.django_db
def test_demo_data_has_every_state_and_loads_only_once():
    # Another app's demo command may have made a demo account first.
    User.objects.create(username="ssp-koordinator", is_demo=True)
    out = StringIO()
    call_command("demo_data", stdout=out)

    assert "betjent" in out.getvalue() and PASSWORD in out.getvalue()
    assert Programme.objects.count() == 3
    offers = Offer.objects.all()
    assert {o.answer for o in offers} == set(Offer.Answer.values)
    assert set(Referral.objects.values_list("status", flat=True)) == set(Referral.Status.values)
    closing = set(
        Referral.objects.filter(status=Referral.Status.CLOSED).values_list("last_step", flat=True)
    )
    assert closing == {Step.DECLINED, Step.UNREACHABLE, Step.CLOSED}
    now = timezone.now()
    for centre in ("Rusmiddelcenter Viborg", "Rusmiddelcenter Herning"):
        inbox = Referral.objects.filter(partner__name=centre)
        assert set(inbox.values_list("status", flat=True)) == set(Referral.Status.values)
        for bucket in INBOX_BUCKETS:
            if bucket == "follow_up":  # contact through a prison term: X-Cons, below
                continue
            assert inbox.filter(inbox_bucket_q(bucket, now)).exists(), (centre, bucket)
    xcons = Referral.objects.filter(partner__slug="x-cons-stockholm")
    assert xcons.filter(inbox_bucket_q("follow_up", now)).exists()
    # seeds/004: in detention, the prosecutor agreed first; visits and letters; relatives too.
    detained = Offer.objects.filter(programme__for_detained=True, relative_of=None)
    assert not detained.filter(detention_facility="").exists()
    assert not detained.filter(referral__isnull=False, prosecutor_consultations=None).exists()
    assert Offer.objects.filter(relative_of__isnull=False, referral__isnull=False).exists()
    methods = set(xcons.filter(offer__relative_of=None).values_list("attempts__method", flat=True))
    assert methods - {None} <= {"visit", "letter"}
    new = Referral.objects.filter(status=Referral.Status.NEW)
    assert new.filter(due_at__lt=now).exists()  # overdue
    assert new.filter(due_at__gte=now, due_at__lt=now + timezone.timedelta(days=2)).exists()
    # A year of history, and nothing in the future.
    oldest = offers.order_by("created_at").first().created_at
    assert now - oldest > timezone.timedelta(days=300)
    assert not AuditEvent.objects.filter(at__gt=now).exists()
    assert not Referral.objects.filter(last_step_at__gt=now).exists()

    # Made oldest first, as in real use, so the lists that go newest first by id read by date.
    for programme in Programme.objects.all():
        dates = list(
            offers.filter(programme=programme, case=None)
            .order_by("id")
            .values_list("created_at", flat=True)
        )
        assert dates == sorted(dates), programme.name

    case = Case.objects.get(journal_number=CASE_JOURNAL)
    assert case.offers.count() == 100
    asked = case.offers.exclude(answer=Offer.Answer.NOT_ASKED).count()
    assert 0 < asked < 100

    # Fictitious people with test-style numbers, and an audit row for every offer made.
    people = Person.objects.all()
    assert people.count() >= 300
    assert not people.filter(is_test_data=False).exists()
    for p in people.filter(id_kind=Person.IdKind.CPR):
        assert cpr.is_valid(p.id_number) and int(p.id_number[6:]) >= 9000
    created = set(
        AuditEvent.objects.filter(object_type="offer", action=AuditEvent.Action.CREATE).values_list(
            "object_id", flat=True
        )
    )
    assert created == {str(pk) for pk in offers.values_list("pk", flat=True)}

    before = _counts()
    call_command("demo_data", stdout=StringIO())
    assert _counts() == before


@pytest.mark.django_db
def test_every_demo_account_logs_in_with_password_and_code(settings):
    settings.DEMO = True
    call_command("demo_data", stdout=StringIO())

    for account in ACCOUNTS:
        user = User.objects.get(username=account.username, is_demo=True)
        client = Client()
        client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
        response = client.post(reverse("accounts:verify"), {"token": _code(user)})

        assert response.status_code == 302, account.username
        assert DEVICE_ID_SESSION_KEY in client.session, account.username


def test_fictitious_personnummers_pass_the_luhn_check():

    rng = random.Random(1)
    for _ in range(200):
        birth = timezone.localdate() - timezone.timedelta(days=rng.randint(6000, 20000))
        number = fictitious_personnummer(birth, female=rng.random() < 0.5, rng=rng)
        parsed = parse_personnummer(number)
        assert parsed.birth_date == birth and 980 <= int(number[7:10]) <= 999


def test_demo_data_is_refused_in_production(settings):
    settings.PRODUCTION = True

    with pytest.raises(CommandError, match="never loaded in production"):
        call_command("demo_data", stdout=StringIO())


# A base-only install (requirements/lock-base.txt) has no Faker and no factory_boy: importing
# either fails, as when they are not installed. Each command runs as `manage.py <command>` does.
DEMO_COMMANDS = (
    "demo_data",
    "demo_accounts",
    "demo_referrals",
    "demo_fora",
    "demo_concerns",
    "demo_councils",
    "demo_mediation",
    "demo_screening",
    "demo_outreach",
    "demo_victims",
    "demo_exit",
)
WITHOUT_DEV_PACKAGES = """
import sys
sys.modules["faker"] = None
sys.modules["factory"] = None
sys.path.insert(0, "src")
import os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sporskifte.settings")
from django.core.management import ManagementUtility
for name in sys.argv[1:]:
    try:
        ManagementUtility(["manage.py", name]).execute()
    except SystemExit as e:
        print(name, "exit", e.code, flush=True)
"""


def test_a_base_only_install_gets_the_demo_commands_own_refusal():
    root = Path(__file__).resolve().parent.parent
    result = subprocess.run(
        [sys.executable, "-c", WITHOUT_DEV_PACKAGES, *DEMO_COMMANDS],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout.split("\n")[:-1] == [f"{name} exit 1" for name in DEMO_COMMANDS]
    refusal = "CommandError: Demo data needs the development packages (requirements/lock.txt); "
    assert result.stderr.count(refusal + "not installed: faker, factory.") == len(DEMO_COMMANDS)
