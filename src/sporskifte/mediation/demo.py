"""Demo konfliktråd for Sydøstjyllands Politi ([S3]: four mediators) with about 40 cases in
every state, and one Swedish medling in Stockholm, written through the services.

Builds on ``demo_data``'s police accounts (``betjent-sydoest``, ``polis-stockholm``) and adds its
own: ``koordinator`` (coordinator), ``maegler`` and three more mediators,
``koordinator-stockholm`` and the prosecutor ``aklagare-stockholm``. Idempotent and refused in
production. The parties are fictitious (Faker, one seed), marked as test data, with CPR numbers
in the 9000s like the public sector's test numbers.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from faker import Faker

from sporskifte.accounts.models import Role, User
from sporskifte.core.demo import PASSWORD
from sporskifte.mediation import services
from sporskifte.mediation.models import (
    CaseFigures,
    ConsentText,
    EndReason,
    MediationCase,
    MediatorProfile,
    OffenceCategory,
    Party,
    Source,
    State,
)
from sporskifte.organisations.models import Municipality, Organisation
from sporskifte.people.models import Person
from sporskifte.people.services import person_build
from sporskifte.referrals.demo import fictitious_personnummer
from sporskifte.referrals.models import Offence
from sporskifte.testing.factories import fictitious_cpr, member
from sporskifte.testing.personas import mediation_service

SEED = 2026
DISTRICT = "sydoestjylland"
POLICE = "betjent-sydoest"
# (user name, role, name, areas)
ACCOUNTS = (
    ("koordinator", Role.MEDIATION_COORDINATOR, "Karen Koordinator", ()),
    ("maegler", Role.MEDIATOR, "Mads Mægler", ("Horsens", "Hedensted", "Skanderborg")),
    ("maegler-vejle", Role.MEDIATOR, "Vibeke Vestergaard", ("Vejle", "Billund")),
    ("maegler-kolding", Role.MEDIATOR, "Kasper Kold", ("Kolding", "Fredericia")),
    ("maegler-horsens", Role.MEDIATOR, "Hanne Holm", ("Horsens", "Vejle")),
)
CONSENT_DK = (
    "Jeg har fået information om konfliktråd og vil gerne deltage. Jeg ved, at deltagelse er "
    "frivillig, at jeg når som helst kan trække mit samtykke tilbage, og at konfliktrådet ikke "
    "træder i stedet for straf (lov om konfliktråd §§ 2-4)."
)
CONSENT_SE = (
    "Jag har fått information om medling och vill delta. Jag vet att medlingen är frivillig och "
    "att jag när som helst kan avstå (lag 2002:445, 5 §)."
)
# How many cases end in each state.
PLAN = {
    State.PROPOSED: 5,
    State.UNSUITABLE: 3,
    State.SUITABLE: 3,
    State.CONTACTING: 3,
    State.AWAITING_CONSENT: 4,
    State.READY: 3,
    State.ASSIGNED: 3,
    State.MEETING_BOOKED: 4,
    State.MEETING_HELD: 2,
    State.AGREEMENT: 4,
    State.COMPLETED: 4,
    State.WITHDRAWN: 3,
    State.ENDED: 2,
}
ORDER: list[str] = list(PLAN)
OFFENCES = ("STRL244", "STRL244", "STRL276", "STRL291", "STRL288", "STRL266")
PLACES = ("Horsens Bibliotek, mødelokale 1", "Vejle Rådhus, lokale 12", "Kolding Medborgerhus")


class Demo:
    def __init__(self, district: Organisation, police: User) -> None:
        self.rng = random.Random(SEED)  # noqa: S311 - demo data, not secrets
        self.fake = Faker("da_DK")
        self.fake.seed_instance(SEED)
        self.district = district
        self.police = police
        self.now = timezone.now()
        self.users: dict[str, User] = {}

    def account(self, username: str, org: Organisation, role: str, name: str) -> User:
        first, _, last = name.partition(" ")
        user = member(
            username, org, role, first_name=first, last_name=last, password=PASSWORD, is_demo=True
        )
        TOTPDevice.objects.get_or_create(user=user, confirmed=True, defaults={"name": "Demo"})
        return user

    def accounts(self) -> None:
        service = mediation_service(self.district)
        for username, role, name, areas in ACCOUNTS:
            user = self.account(username, service, role, name)
            self.users[username] = user
            if role == Role.MEDIATOR:
                profile, _ = MediatorProfile.objects.get_or_create(user=user)
                profile.areas.set(Municipality.objects.filter(country="DK", name__in=areas))
        ConsentText.objects.get_or_create(
            district=self.district, version=1, defaults={"text": CONSENT_DK}
        )
        # The national konfliktråd secretariat: a mediation service above the districts.
        national, _ = Organisation.objects.get_or_create(
            slug="konfliktraad-sekretariat",
            defaults={
                "name": "Sekretariatet for konfliktråd, Rigspolitiet (demo)",
                "kind": Organisation.Kind.MEDIATION_SERVICE,
                "country": "DK",
            },
        )
        self.account(
            "konfliktraad-sekretariat", national, Role.MEDIATION_COORDINATOR, "Sofie Sekretær"
        )

    def person(self, age: int, female: bool) -> Person:
        birth = self.now.date().replace(year=self.now.year - age) - dt.timedelta(
            days=self.rng.randrange(1, 300)
        )
        return person_build(
            police_district_id=self.district.pk,
            full_name=self.fake.name_female() if female else self.fake.name_male(),
            id_kind=Person.IdKind.CPR,
            id_number=fictitious_cpr(birth, female, self.rng),
            is_test_data=True,
        )

    def propose(self, i: int) -> MediationCase:
        offender_age = self.rng.choice((14, 15, 16, 17, 19, 23, 31, 45))
        victim = (
            services.PartyInput(role=Party.Role.VICTIM, organisation_name="Netto, Søndergade")
            if i % 7 == 3
            else services.PartyInput(
                role=Party.Role.VICTIM,
                person=self.person(self.rng.choice((15, 34, 52, 70)), self.rng.random() < 0.5),
            )
        )
        return services.proposal_create(
            actor=self.police,
            district=self.district,
            offence=Offence.objects.get(code=self.rng.choice(OFFENCES)),
            offence_date=self.now.date() - dt.timedelta(days=self.rng.randrange(30, 200)),
            journal_number=f"3700-{10000 + i:05d}-00001-26",
            summary=self.fake.sentence(nb_words=10),
            area=Municipality.objects.filter(police_district=self.district).order_by("name")[i % 7],
            neighbour_dispute=i % 9 == 4,
            parties=[
                services.PartyInput(
                    role=Party.Role.OFFENDER, person=self.person(offender_age, i % 4 == 0)
                ),
                victim,
            ],
        )

    def ready(self, c: User, case: MediationCase) -> None:
        services.case_screen(actor=c, case=case, suitable=True)
        services.case_contact(actor=c, case=case)
        services.case_ask_consent(actor=c, case=case)
        for party in case.parties.all():
            services.consent_record(
                actor=c, party=party, method=self.rng.choice(("signed", "oral"))
            )
            if services.needs_custody_holder(party):
                holder = services.custody_holder_add(
                    actor=c, party=party, full_name=self.fake.name()
                )
                services.consent_record(
                    actor=c, party=party, method="signed", custody_holder=holder
                )
            if party.role == Party.Role.OFFENDER:
                services.confession_record(actor=c, party=party)
        services.case_mark_ready(actor=c, case=case)

    def advance(self, case: MediationCase, target: str, i: int) -> None:
        c = self.users["koordinator"]
        if target == State.PROPOSED:
            return
        if target == State.UNSUITABLE:
            services.case_screen(actor=c, case=case, suitable=False, note="Ingen tilståelse.")
            return
        steps = ORDER.index(target)
        if target == State.WITHDRAWN:
            steps = ORDER.index(State.MEETING_BOOKED)
        if target == State.ENDED:
            steps = ORDER.index(State.ASSIGNED)
        if steps >= ORDER.index(State.READY):
            self.ready(c, case)
        else:
            services.case_screen(actor=c, case=case, suitable=True)
            if steps >= ORDER.index(State.CONTACTING):
                services.case_contact(actor=c, case=case)
            if steps >= ORDER.index(State.AWAITING_CONSENT):
                services.case_ask_consent(actor=c, case=case)
        if steps >= ORDER.index(State.ASSIGNED):
            suggested = next(ch for ch in services.mediator_choices(case) if ch.suggested)
            mediator = self.users["maegler"] if i % 3 == 0 else suggested.user
            services.mediator_assign(actor=c, case=case, mediator=mediator)
            case.refresh_from_db()
        m = case.mediator
        if m is None:  # not yet as far as a mediator
            return
        if target == State.ENDED:
            services.case_end(actor=m, case=case, note="Parterne var ikke klar til at mødes.")
            return
        if steps >= ORDER.index(State.MEETING_BOOKED):
            held = steps >= ORDER.index(State.MEETING_HELD)
            when = self.now + dt.timedelta(days=self.rng.randrange(1, 6), hours=2)
            if held:
                when = self.now - dt.timedelta(days=self.rng.randrange(10, 60))
            meeting = services.meeting_book(
                actor=m, case=case, kind="mediation", place=self.rng.choice(PLACES), starts_at=when
            )
            for party in case.parties.all():
                services.pre_meeting_record(
                    actor=m,
                    party=party,
                    held_on=min(when.date(), self.now.date()) - dt.timedelta(days=3),
                )
            if target == State.WITHDRAWN:
                services.case_withdraw(
                    actor=m, party=case.parties.all()[0], note="Ønskede ikke at mødes alligevel."
                )
                return
            if held:
                services.meeting_hold(actor=m, meeting=meeting, attendees=list(case.parties.all()))
        if steps >= ORDER.index(State.AGREEMENT):
            day = timezone.localdate(case.meetings.get(status="held").starts_at)
            if target == State.COMPLETED and i % 2:
                services.no_agreement_record(actor=m, case=case)
                return
            agreement = services.agreement_record(
                actor=m,
                case=case,
                text="Gerningsmanden undskylder og betaler for skaden.",
                terms=[
                    services.TermInput(
                        "apology", "Skriftlig undskyldning", day + dt.timedelta(days=7)
                    ),
                    services.TermInput(
                        "payment",
                        "Betaling for skaden",
                        day + dt.timedelta(days=self.rng.choice((20, 45, 70))),
                        Decimal(self.rng.choice((300, 800, 1500))),
                    ),
                ],
            )
            for party in case.parties.all():
                services.file_yes_record(actor=m, party=party)
            if target == State.COMPLETED:
                for term in agreement.terms.all():
                    services.term_mark(actor=m, term=term, kept=True)

    def backdate(self, case: MediationCase, days: int) -> None:
        proposed = self.now - dt.timedelta(days=days)
        first = case.meetings.order_by("starts_at").first()
        if first is not None:  # a proposal comes before its meeting
            proposed = min(
                proposed, first.starts_at - dt.timedelta(days=self.rng.randrange(14, 60))
            )
        waited = self.now - dt.timedelta(days=self.rng.randrange(0, max(1, min(days, 20))))
        MediationCase.objects.filter(pk=case.pk).update(
            proposed_at=proposed, state_changed_at=waited
        )
        case.refresh_from_db()
        services.figures_refresh(case)

    def sweden(self) -> None:
        stockholm = Organisation.objects.get(slug="polisregion-stockholm")
        ConsentText.objects.get_or_create(
            district=stockholm, version=1, defaults={"text": CONSENT_SE}
        )
        c = self.account(
            "koordinator-stockholm",
            mediation_service(stockholm),
            Role.MEDIATION_COORDINATOR,
            "Sara Samordnare",
        )
        proposer = User.objects.filter(username="polis-stockholm").first() or c
        birth = self.now.date().replace(year=self.now.year - 15)
        case = services.proposal_create(
            actor=proposer,
            district=stockholm,
            offence=Offence.objects.get(code="BRB-12-1"),
            offence_date=self.now.date() - dt.timedelta(days=25),
            journal_number="5000-K40001-26",
            summary="Klotter på skolans fasad.",
            source="social_services",
            parties=[
                services.PartyInput(
                    role=Party.Role.OFFENDER,
                    person=person_build(
                        police_district_id=stockholm.pk,
                        full_name="Olle Provsson",
                        id_kind=Person.IdKind.PERSONNUMMER,
                        id_number=fictitious_personnummer(birth, False, self.rng),
                        is_test_data=True,
                    ),
                ),
                services.PartyInput(role=Party.Role.VICTIM, organisation_name="Provskolan"),
            ],
        )
        services.case_screen(actor=c, case=case, suitable=True)
        services.case_contact(actor=c, case=case)
        services.case_ask_consent(actor=c, case=case)
        office, _ = Organisation.objects.get_or_create(
            slug="aklagarkammaren-stockholm",
            defaults={
                "name": "Åklagarkammaren i Stockholm (demo)",
                "kind": Organisation.Kind.PROSECUTION,
                "country": "SE",
                "parent": stockholm,
            },
        )
        self.account("aklagare-stockholm", office, Role.PROSECUTOR, "Eva Åklagare")

    def last_year(self) -> None:
        """Last year's name-free counts for three districts, as erasure leaves them: the national
        secretariat's page shows finished years only."""
        year = self.now.year - 1
        if CaseFigures.objects.filter(year=year).exists():
            return
        sources = [*Source.values, *[Source.POLICE] * 6, *[Source.SOCIAL_SERVICES] * 2]
        rows = []
        for slug, n in (("sydoestjylland", 160), ("midt-vestjylland", 90), ("fyn", 45)):
            district = Organisation.objects.get(slug=slug)
            mediation_service(district)
            for _ in range(n):
                suitable = self.rng.random() < 0.8
                consented = suitable and self.rng.random() < 0.75
                held = consented and self.rng.random() < 0.85
                made = held and self.rng.random() < 0.8
                end = "" if held else self.rng.choice(EndReason.values)
                rows.append(
                    CaseFigures(
                        district=district,
                        year=year,
                        source=self.rng.choice(sources),
                        category=self.rng.choice(OffenceCategory.values),
                        age_band=self.rng.choice(("12-14", "15-17", "15-17", "18-24", "25+")),
                        suitable=suitable if consented or self.rng.random() < 0.95 else None,
                        both_consented=consented,
                        meeting_held=held,
                        agreement_made=made,
                        agreement_kept=(self.rng.random() < 0.85) if made else None,
                        days_to_meeting=self.rng.randrange(14, 120) if held else None,
                        end_reason=end,
                    )
                )
        CaseFigures.objects.bulk_create(rows)

    def run(self) -> int:
        self.accounts()
        self.last_year()
        i = 0
        for state, count in PLAN.items():
            for _ in range(count):
                case = self.propose(i)
                self.advance(case, state, i)
                self.backdate(case, self.rng.randrange(5, 25) + 5 * ORDER.index(state))
                i += 1
        self.sweden()
        return i + 1
