"""factory_boy factories for tests and the demo. People are fictitious, marked as test data,
and get CPR numbers with very high serial numbers, as the public sector's test numbers do."""

from __future__ import annotations

import datetime as dt
import random

import factory
from django.utils import timezone

from sporskifte.accounts.models import Membership, Role, User
from sporskifte.organisations.models import Municipality, Organisation
from sporskifte.people.models import Person
from sporskifte.referrals.models import Case, ConsentText, Offence, Offer, Programme, Step


def fictitious_cpr(
    birth: dt.date, female: bool, rng: random.Random | None = None, serial: int | None = None
) -> str:
    """A syntactically valid CPR in the 9000s serial range (no modulus-11), like MedCom's list.

    The 7th digit 4 or 9 with the year gives 1937-2036 for 4000-9999 serials; we use 9xxx for
    people born 1937-2036, which the century rule maps back to the same birth year.
    """
    rng = rng or random.Random()  # noqa: S311 - test data, not secrets
    serial = rng.randrange(9000, 10000) if serial is None else serial
    if (serial % 2 == 0) != female:
        serial = serial + 1 if serial < 9999 else serial - 1
    return f"{birth:%d%m%y}{serial:04d}"


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="da_DK")
    last_name = factory.Faker("last_name", locale="da_DK")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.invalid")
    password = factory.django.Password("korrekt-hest-batteri-42")


def member(username: str, organisation: Organisation, role: str, **user_fields: object) -> User:
    user = UserFactory.create(username=username, **user_fields)
    Membership.objects.update_or_create(
        user=user, defaults={"organisation": organisation, "role": role}
    )
    return user


def district(slug: str) -> Organisation:
    return Organisation.objects.get(slug=slug)


def municipality(name: str) -> Municipality:
    return Municipality.objects.get(name=name)


def centre(municipality_name: str) -> Organisation:
    return Organisation.objects.get(
        kind=Organisation.Kind.SUBSTANCE_ABUSE_CENTRE, municipality__name=municipality_name
    )


class ProgrammeFactory(factory.django.DjangoModelFactory[Programme]):
    class Meta:
        model = Programme
        skip_postgeneration_save = True

    police_district = factory.LazyFunction(lambda: district("midt-vestjylland"))
    name = factory.Sequence(lambda n: f"Program {n}")
    destination = Programme.Destination.HOME_CENTRE
    feedback_level = Programme.Feedback.CONTACT_MADE
    contact_deadline_days = 5
    outcome_steps = factory.LazyFunction(lambda: list(Step.values))
    has_prevention_conversation = True

    @factory.post_generation
    def consent(
        programme: Programme, create: bool, extracted: str | None, **kwargs: object
    ) -> None:
        # A post-generation hook is called with the made object, not the factory.
        if create:
            ConsentText.objects.create(
                programme=programme,
                version=1,
                text=extracted
                or "Jeg giver samtykke til, at politiet giver mine kontaktoplysninger videre.",
            )
            programme.offences.set(Offence.objects.filter(country="DK")[:3])


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    full_name = factory.Faker("name", locale="da_DK")
    birth_date = factory.Faker("date_of_birth", minimum_age=16, maximum_age=70)
    sex = factory.Iterator([Person.Sex.FEMALE, Person.Sex.MALE])
    id_kind = Person.IdKind.CPR
    # The serial follows the sequence, so two people made in one test never share a number
    # (one person per identity number) even when their random birth dates coincide.
    id_number = factory.LazyAttributeSequence(
        lambda p, n: fictitious_cpr(
            p.birth_date, p.sex == Person.Sex.FEMALE, serial=9000 + 2 * n % 1000
        )
    )
    phone = factory.Sequence(lambda n: f"+45{21234000 + n}")
    home_municipality = factory.LazyFunction(lambda: municipality("Viborg"))
    police_district = factory.LazyFunction(lambda: district("midt-vestjylland"))
    is_test_data = True


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    police_district = factory.SelfAttribute("programme.police_district")
    journal_number = factory.Sequence(lambda n: f"4100-{80000 + n}-00{n % 10}-25")
    programme = factory.SubFactory(ProgrammeFactory)
    offence = factory.LazyFunction(lambda: Offence.objects.get(code="ESL-KOEB"))


class OfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offer

    programme = factory.SubFactory(ProgrammeFactory)
    person = factory.SubFactory(
        PersonFactory, police_district=factory.SelfAttribute("..programme.police_district")
    )
    police_district = factory.SelfAttribute("programme.police_district")
    journal_number = factory.Sequence(lambda n: f"4100-{70000 + n}-00123-25")
    offence = factory.LazyFunction(lambda: Offence.objects.get(code="ESL-KOEB"))
    offence_date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=3))
    birth_year = factory.LazyAttribute(lambda o: o.person.birth_date.year)
    sex = factory.LazyAttribute(lambda o: o.person.sex)
    home_municipality = factory.LazyAttribute(lambda o: o.person.home_municipality)


ROLES = Role
