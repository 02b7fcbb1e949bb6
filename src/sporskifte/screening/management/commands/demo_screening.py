"""Demo Socialsøg for Midt- og Vestjyllands Politi: a year of made-up incident records, households
across the district's municipalities, three rules, weekly runs and hits in every state.

Idempotent (nothing changes once the demo rules exist) and refused in production. Everyone is
fictitious (Faker, one seed) with CPR numbers in the 9000s serial range like the public sector's
test numbers. Incidents are written with bulk INSERTs, not through the file importer, so the
whole demo loads in seconds; the importer has its own tests and benchmark.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from sporskifte.accounts.models import Membership, Role, User
from sporskifte.core.demo import PASSWORD, demo_refuse_unless_possible
from sporskifte.organisations.models import Municipality, Organisation
from sporskifte.screening import services
from sporskifte.screening.models import (
    DistrictCode,
    Hit,
    HouseholdLink,
    Incident,
    Notification,
    ReasonCategory,
    Rule,
)

SEED = 2026
DISTRICT = "midt-vestjylland"
ACCOUNTS = (
    ("socialsoeg", DISTRICT, Role.SCREENING_OFFICER, "Lene Bach", "Screening officer"),
    ("socialsoeg-godkender", DISTRICT, Role.SCREENING_OFFICER, "Per Holm", "Approver"),
    ("boern-viborg", "kommune-dk-0791", Role.CHILD_SERVICES, "Sara Lund", "Child services"),
    ("boern-herning", "kommune-dk-0657", Role.CHILD_SERVICES, "Mads Friis", "Child services"),
)
INCIDENT_CODES = (
    ("SPIRIT", "Spirituskørsel"),
    ("NARKO", "Narkokørsel"),
    ("VOLD", "Vold i hjemmet"),
    ("HUSSPEKT", "Husspektakel"),
    ("SELVMORD", "Selvmordstrussel"),
    ("TYVERI", "Tyveri"),
    ("FÆRDSEL", "Færdselsuheld"),
)
OFFENCE_CODES = (("STRFL244", "Straffeloven § 244"), ("FL53", "Færdselsloven § 53"))
TEMPLATE = (
    "Politiet har registreret $count hændelser inden for $window_days dage, hvor en voksen i "
    "barnets husstand var involveret:\n$incidents"
)
RULES: tuple[tuple[str, list[str], list[str], int, str], ...] = (
    ("Gentagen spiritus- eller narkokørsel", ["SPIRIT", "NARKO"], [], 2, ReasonCategory.SUBSTANCE),
    (
        "Vold eller husspektakel i hjemmet",
        ["VOLD", "HUSSPEKT"],
        ["STRFL244"],
        2,
        ReasonCategory.VIOLENCE,
    ),
    ("Selvmordstrussel", ["SELVMORD"], [], 1, ReasonCategory.SUICIDE),
)
INCIDENTS = 30_000
REPEAT_ADULTS = 400
REVIEWED = 100


class Demo:
    def __init__(self) -> None:
        self.rng = random.Random(SEED)  # noqa: S311 - demo data, not secrets
        from faker import Faker  # development only: imported after the refusal check

        self.fake = Faker("da_DK")
        self.fake.seed_instance(SEED)
        self.now = timezone.now()
        self.district = Organisation.objects.get(slug=DISTRICT)
        self.municipalities = list(Municipality.objects.filter(police_district=self.district))
        self.users: dict[str, User] = {}

    def cpr(self, age: int) -> str:
        birth = self.now.date() - dt.timedelta(days=int(age * 365.25) + self.rng.randrange(365))
        from sporskifte.testing.factories import fictitious_cpr

        return fictitious_cpr(birth, self.rng.random() < 0.5, self.rng)

    def accounts(self) -> None:
        for username, slug, role, name, title in ACCOUNTS:
            first, _, last = name.partition(" ")
            from sporskifte.testing.factories import member

            user = member(
                username,
                Organisation.objects.get(slug=slug),
                role,
                first_name=first,
                last_name=last,
                password=PASSWORD,
                is_demo=True,
            )
            Membership.objects.filter(user=user).update(title=title)
            TOTPDevice.objects.get_or_create(user=user, confirmed=True, defaults={"name": "Demo"})
            self.users[username] = user

    def rules(self) -> None:
        DistrictCode.objects.bulk_create(
            [
                DistrictCode(police_district=self.district, kind="incident", code=c, label=label)
                for c, label in INCIDENT_CODES
            ]
            + [
                DistrictCode(police_district=self.district, kind="offence", code=c, label=label)
                for c, label in OFFENCE_CODES
            ],
            ignore_conflicts=True,
        )
        admin = User.objects.filter(username="kredsadmin").first() or self.users["socialsoeg"]
        if admin.membership.role != Role.DISTRICT_ADMIN:
            raise CommandError("Run demo_data first: the rules are set by 'kredsadmin'.")
        for name, codes, offences, threshold, reason in RULES:
            services.rule_save(
                actor=admin,
                name=name,
                incident_codes=codes,
                offence_codes=offences,
                window_days=365,
                threshold=threshold,
                reason_category=reason,
                facts_template=TEMPLATE,
            )

    def addresses(self, per_municipality: int = 60) -> dict[int, list[str]]:
        """A pool of made-up street addresses per municipality: Faker's address is slow, and
        30,000 incidents need only a plausible spread of streets, not 30,000 distinct ones."""
        return {
            m.pk: [f"{self.fake.street_address()}, {m.name}" for _ in range(per_municipality)]
            for m in self.municipalities
        }

    def incidents(self) -> None:
        """A year of incidents, ids in time order; a few hundred adults come back repeatedly.

        Written as plain rows with the cursor's executemany (two statements' worth of round
        trips), not as model objects: 60,000 objects cost most of the demo's load time."""
        rng = self.rng
        repeaters = [self.cpr(rng.randrange(22, 55)) for _ in range(REPEAT_ADULTS)]
        times = sorted(
            self.now - dt.timedelta(seconds=rng.randrange(365 * 86400)) for _ in range(INCIDENTS)
        )
        pool = self.addresses()
        plain_codes = [c for c, _l in INCIDENT_CODES]
        at_db = connection.ops.adapt_datetimefield_value
        first = (Incident.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
        incidents, persons = [], []
        for n, at in enumerate(times):
            repeat = rng.random() < 0.04
            code = (
                rng.choice(("SPIRIT", "NARKO", "VOLD", "HUSSPEKT"))
                if repeat
                else rng.choice(plain_codes)
            )
            if code == "SELVMORD" and rng.random() < 0.7:
                code = "TYVERI"
            m = rng.choice(self.municipalities)
            offence = "STRFL244" if code == "VOLD" else ""
            number = rng.choice(repeaters) if repeat else self.cpr(rng.randrange(18, 80))
            when = at_db(at)
            incidents.append(
                (
                    first + n,
                    self.district.pk,
                    f"4100-{80000 + n // 99999:05d}-{n % 99999:05d}-26",
                    1,
                    True,
                    code,
                    offence,
                    when,
                    rng.choice(pool[m.pk]),
                    m.pk,
                    at_db(self.now),
                )
            )
            persons.append(
                (first + n, number, "", "suspect", self.district.pk, True, when, code, offence)
            )
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO screening_incident (id, police_district_id, journal_number, "
                "version, is_current, incident_code, offence_code, occurred_at, address, "
                "municipality_id, received_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                incidents,
            )
            cursor.executemany(
                "INSERT INTO screening_incidentperson (incident_id, id_number, name, "
                "role, police_district_id, is_current, occurred_at, incident_code, offence_code) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                persons,
            )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # the explicit ids passed the sequence by
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence('screening_incident', 'id'), "
                    "(SELECT MAX(id) FROM screening_incident))"
                )
        self.households(repeaters + [p[1] for p in persons[:3000]])

    def households(self, adults: list[str]) -> None:
        """Children with about half the adults; most in Viborg and Herning, where the demo
        child-services accounts work, the rest anywhere in the district."""
        favoured = [m for m in self.municipalities if m.code in ("0791", "0657")]
        links = []
        for adult in dict.fromkeys(adults):
            if self.rng.random() < 0.5:
                continue
            m = self.rng.choice(favoured if self.rng.random() < 0.6 else self.municipalities)
            address = f"{self.fake.street_address()}, {m.name}"
            for _child in range(self.rng.choice((1, 1, 2, 3))):
                age = self.rng.randrange(0, 18)
                number = self.cpr(age)
                birth = dt.datetime.strptime(number[:6], "%d%m%y").date()
                if birth > self.now.date():
                    birth = birth.replace(year=birth.year - 100)
                links.append(
                    HouseholdLink(
                        police_district=self.district,
                        child_id_number=number,
                        child_name=self.fake.name(),
                        child_birth_date=birth,
                        child_sex="F" if int(number[-1]) % 2 == 0 else "M",
                        adult_id_number=adult,
                        address=address,
                        municipality=m,
                        valid_from=self.now.date()
                        - dt.timedelta(days=self.rng.randrange(400, 4000)),
                    )
                )
        HouseholdLink.objects.bulk_create(links, batch_size=2000)

    def runs_and_reviews(self) -> None:
        officer, approver = self.users["socialsoeg"], self.users["socialsoeg-godkender"]
        for weeks_ago in range(3, -1, -1):
            services.screening_run(
                actor=officer if weeks_ago == 0 else None,
                district=self.district,
                mode="full",
                now=self.now - dt.timedelta(weeks=weeks_ago),
            )
        hits = list(Hit.objects.filter(police_district=self.district).order_by("id"))
        self.rng.shuffle(hits)
        reasons = ("Kendt af kommunen i forvejen.", "Barnet bor ikke længere på adressen.")
        # Every review goes through the services (four eyes, clocks, audit rows), which is
        # most of the load time: a hundred is enough for every state and for the figures.
        for i, hit in enumerate(hits[:REVIEWED]):
            if i % 4 == 0:
                services.hit_dismiss(actor=officer, hit=hit, reason=self.rng.choice(reasons))
                continue
            n = services.notification_draft(actor=officer, hit=hit, urgent=i % 23 == 0)
            if i % 7 == 1:
                continue  # a draft waiting for approval
            services.notification_approve(actor=approver, notification=n)
            if i % 7 == 2:
                continue  # approved, not yet sent
            called = self.now - dt.timedelta(hours=1) if n.urgent else None
            channel = "" if services.municipality_has_users(n.municipality_id) else "digital_post"
            services.notification_send(
                actor=officer, notification=n, on_call_called_at=called, channel=channel
            )
            # Spread over two quarters and more: the figures count closed quarters only.
            self.age(n, days=self.rng.randrange(0, 200))

    def age(self, n: Notification, days: int) -> None:
        """Back-date a sent notification and let the municipality answer some of it."""
        from sporskifte.screening import clocks

        sent = self.now - dt.timedelta(days=days, hours=self.rng.randrange(8))
        due = clocks.acknowledge_due_on(timezone.localtime(sent).date(), "DK")
        fields: dict[str, Any] = {
            "drafted_at": sent - dt.timedelta(hours=2),
            "approved_at": sent - dt.timedelta(hours=1),
            "sent_at": sent,
            "acknowledge_due_on": due,
            "assessment_due_at": clocks.assessment_due_at(sent),
        }
        if (days > 10 and self.rng.random() < 0.8) or (days > 3 and self.rng.random() < 0.4):
            fields |= {
                "acknowledged_at": sent + dt.timedelta(days=self.rng.randrange(1, 9)),
                "assessed_at": sent + dt.timedelta(hours=self.rng.randrange(2, 30)),
                "acute_action": self.rng.random() < 0.1,
            }
            if days > 20 and self.rng.random() < 0.6:
                fields |= {
                    "feedback_at": sent + dt.timedelta(days=self.rng.randrange(10, 20)),
                    "investigation_started": self.rng.random() < 0.5,
                }
        Notification.objects.filter(pk=n.pk).update(**fields)

    def run(self) -> None:
        self.accounts()
        self.rules()
        self.incidents()
        self.runs_and_reviews()


class Command(BaseCommand):
    help = "Load demo Socialsøg data for Midt- og Vestjylland (after demo_data; idempotent)."

    def handle(self, *args: object, **options: Any) -> None:
        demo_refuse_unless_possible()
        district = Organisation.objects.filter(slug=DISTRICT).first()
        if district is None:
            raise CommandError("Load the reference data first (load_reference_data).")
        if Rule.objects.filter(police_district=district, name=RULES[0][0]).exists():
            self.stdout.write("Demo Socialsøg is already loaded; nothing changed.")
        else:
            with transaction.atomic():
                Demo().run()
            self.stdout.write(
                f"Demo Socialsøg loaded: {Incident.objects.count()} incidents, "
                f"{HouseholdLink.objects.count()} household links, {Hit.objects.count()} hits, "
                f"{Notification.objects.count()} notifications."
            )
        self.stdout.write(f"Socialsøg accounts (password {PASSWORD}):")
        for username, _slug, _role, _name, title in ACCOUNTS:
            self.stdout.write(f"  {username:<22}{title}")
