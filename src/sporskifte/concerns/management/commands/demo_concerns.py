"""Demo worry cases for Midt- og Vestjyllands Politi, written through the services.

Uses the demo officer ``betjent`` made by ``demo_data``; without that account it creates nothing
and says what to run. Idempotent: when the officer's demo cases exist, nothing changes. The young
people and parents are fictitious (Faker, one seed), marked as test data, and have CPR numbers
with very high serial numbers like the public sector's test numbers.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from sporskifte.accounts.access import police_district_of
from sporskifte.accounts.models import User
from sporskifte.concerns import services
from sporskifte.concerns.models import ConcernCase, ConcernCategory, Conversation, CustodyHolder
from sporskifte.concerns.tasks import render_letter
from sporskifte.core.demo import demo_refuse_unless_possible
from sporskifte.organisations.models import Municipality, Organisation
from sporskifte.people.models import Person
from sporskifte.people.services import person_build

SEED = 2026
DISTRICT = "midt-vestjylland"
OFFICER = "betjent"

# (age in years, female, municipality, days since the concern, summary)
CASES = (
    (
        16,
        False,
        "Holstebro",
        30,
        "Set flere gange sammen med kendte bandemedlemmer ved en "
        "banderelateret café i midtbyen, senest en fredag aften efter kl. 23.",
    ),
    (
        15,
        True,
        "Herning",
        12,
        "Fundet med en mindre mængde hash til en privatfest; forældrene var ikke klar over festen.",
    ),
    (14, False, "Viborg", 60, "Har lagt billeder på sociale medier, hvor han poserer med en kniv."),
)


class Command(BaseCommand):
    help = "Create a few fictitious worry cases for the demo officer (after demo_data)."

    def handle(self, *args: object, **options: Any) -> None:
        demo_refuse_unless_possible()
        officer = User.objects.filter(username=OFFICER).first()
        district = Organisation.objects.filter(slug=DISTRICT).first()
        if officer is None or district is None or police_district_of(officer) != district.pk:
            self.stdout.write(
                f"No demo officer '{OFFICER}' of {DISTRICT}: run `manage.py demo_data` first. "
                "Nothing was created."
            )
            return
        mine = ConcernCase.objects.filter(
            police_district=district, created_by=officer, person__is_test_data=True
        )
        if mine.exists():
            self.stdout.write("Demo worry cases already exist; nothing changed.")
            return
        with transaction.atomic():
            count = Demo(officer, district).run()
        self.stdout.write(f"{count} demo worry cases created for '{OFFICER}'.")


class Demo:
    def __init__(self, officer: User, district: Organisation) -> None:
        self.officer, self.district = officer, district
        # Development packages: imported once the command has checked they are installed.
        from faker import Faker

        self.rng = random.Random(SEED)  # noqa: S311 - demo data, not secrets
        self.faker = Faker("da_DK")
        self.faker.seed_instance(SEED)
        self.today = timezone.localdate()

    def run(self) -> int:
        cases = [self.case(*spec) for spec in CASES]
        gang, hash_, knife = cases
        self.gang_story(gang)
        self.hash_story(hash_)
        self.knife_story(knife)
        return len(cases)

    def case(self, age: int, female: bool, town: str, days: int, summary: str) -> ConcernCase:
        from sporskifte.testing.factories import fictitious_cpr

        birth = self.today - dt.timedelta(days=365 * age + self.rng.randrange(30, 300))
        first = self.faker.first_name_female() if female else self.faker.first_name_male()
        surname = self.faker.last_name()
        person = person_build(
            police_district_id=self.district.pk,
            full_name=f"{first} {surname}",
            id_kind=Person.IdKind.CPR,
            id_number=fictitious_cpr(birth, female, self.rng),
            home_municipality=Municipality.objects.filter(name=town, country="DK").first(),
            is_test_data=True,
        )
        case = services.concern_case_create(
            actor=self.officer,
            person=person,
            concern_date=self.today - dt.timedelta(days=days),
            summary=summary,
        )
        street, postcode = self.faker.street_address(), self.faker.postcode()
        for relation, name in (
            (CustodyHolder.Relation.MOTHER, self.faker.first_name_female()),
            (CustodyHolder.Relation.FATHER, self.faker.first_name_male()),
        ):
            services.custody_holder_add(
                actor=self.officer,
                case=case,
                full_name=f"{name} {surname}",
                relation=relation,
                address=street,
                postal_code=postcode,
                city=town,
            )
        return case

    def officer_name(self) -> str:
        return self.officer.get_full_name() or self.officer.username

    def gang_story(self, case: ConcernCase) -> None:
        holders = list(case.custody_holders.all())
        services.conversation_record(
            actor=self.officer,
            case=case,
            custody_holders=holders,
            held_on=self.today - dt.timedelta(days=21),
            place="Holstebro Politistation",
            status=Conversation.Status.HELD,
            young_person_present=True,
            police_participants=self.officer_name(),
            other_participants="SSP-konsulent (Holstebro Kommune)",
            categories=[ConcernCategory.GANG_CONTACT, ConcernCategory.GANG_PLACES],
            concern="Kontakt til bandemiljøet; forældrene kendte ikke til det.",
            agreements="Hjemme senest kl. 22 på hverdage. Starter i den lokale fodboldklub.",
            follow_up_on=self.today + dt.timedelta(days=14),
            follow_up_by="SSP-konsulenten",
        )
        letter = services.letter_generate(
            actor=self.officer,
            case=case,
            recipients=holders,
            observation=(
                "Politiet har flere gange i den seneste måned set jeres søn sammen med personer, "
                "som vi kender fra bandemiljøet, ved en café i midtbyen sent om aftenen."
            ),
            contact_name=self.officer_name(),
            contact_phone="114",
            contact_email="",
            offer_conversation=True,
        )
        # Rendered here, so the demo letter downloads before a worker has started.
        render_letter.call(letter_id=letter.pk)

    def hash_story(self, case: ConcernCase) -> None:
        services.conversation_record(
            actor=self.officer,
            case=case,
            custody_holders=list(case.custody_holders.all()[:1]),
            held_on=self.today + dt.timedelta(days=5),
            place="Hjemme hos familien",
            status=Conversation.Status.PLANNED,
            young_person_present=True,
            police_participants=self.officer_name(),
            other_participants="",
            categories=[ConcernCategory.DRUGS],
            concern="Hash til en privatfest.",
            agreements="",
            follow_up_on=None,
            follow_up_by="",
        )

    def knife_story(self, case: ConcernCase) -> None:
        services.conversation_record(
            actor=self.officer,
            case=case,
            custody_holders=list(case.custody_holders.all()),
            held_on=self.today - dt.timedelta(days=50),
            place="Viborg Politistation",
            status=Conversation.Status.COMPLETED,
            young_person_present=True,
            police_participants=self.officer_name(),
            other_participants="Socialrådgiver, Viborg Kommune",
            categories=[ConcernCategory.WEAPONS, ConcernCategory.ONLINE],
            concern="Billeder med kniv på sociale medier.",
            agreements="Billederne slettes. Forældrene følger med i brugen af sociale medier.",
            follow_up_on=self.today - dt.timedelta(days=20),
            follow_up_by=self.officer_name(),
        )
