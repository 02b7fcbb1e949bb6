"""Demo referrals: the seeds' three programmes and a year of made-up people met by their police,
with offers and referrals in every state, and a seized sales phone's case
(``manage.py demo_referrals``, run by ``demo_data`` after ``demo_accounts``).

Everything is written through the services, so the audit trail is as real as the rest. The
services stamp "now"; each row is back-dated right after its service call, before the next
call checks times against it. Deterministic (one seed) and idempotent (a database that already
has the programmes is left alone). The people are fictitious and marked as test data; their
identity numbers use very high serial numbers, like the public sector's test numbers, and their
phone numbers come from one block (Sweden: the block PTS reserves for fiction).

Imported by the command only after ``core.demo.demo_refuse_unless_possible``: Faker and the test
factories are development packages.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Max
from django.utils import timezone
from faker import Faker

from sporskifte.accounts.models import Membership, Role, User
from sporskifte.audit.models import AuditEvent
from sporskifte.core.demo import ascii_slug
from sporskifte.organisations.models import Municipality, Organisation
from sporskifte.people.models import Person
from sporskifte.people.services import person_build
from sporskifte.referrals import services as rs
from sporskifte.referrals.models import (
    Case,
    Consent,
    ConsentText,
    ContactAttempt,
    Offence,
    Offer,
    OutcomeStep,
    Programme,
    ProsecutorConsultation,
    Referral,
    Step,
)
from sporskifte.referrals.selectors import consent_text_current
from sporskifte.testing.factories import fictitious_cpr

SEED = 2026
CASE_JOURNAL = "4100-80000-00001-25"
CASE_SIZE, CASE_ANSWERED, CASE_AGE_DAYS = 100, 40, 24


@dataclass(frozen=True)
class Population:
    """A programme and the made-up people its police meet in a year."""

    admin: str
    officer: str
    name: str
    description: str
    destination: str
    partner: str | None
    offences: tuple[str, ...]
    prevention: bool
    deadline: int
    consent: str
    country: str
    journal: str  # format with n (serial) and yy
    size: int
    municipalities: tuple[tuple[str, int], ...]  # name, weight
    featured: tuple[str, ...] = ()  # municipalities whose demo counsellor sees every state
    detained: bool = False  # [S4]: häktade, the prosecutor consulted, relatives offered too


POPULATIONS = (
    Population(
        admin="kredsadmin",
        officer="betjent",
        name="Skift spor – misbrugsrådgivning ved sigtelse",  # noqa: RUF001
        description=(
            "Ved sigtelse for køb af euforiserende stoffer eller kørsel i påvirket tilstand "
            "tilbydes en samtale med politiets forebyggelsesfolk og kontakt til rusmiddelcentret "
            "i borgerens egen kommune."
        ),
        destination=Programme.Destination.HOME_CENTRE,
        partner=None,
        offences=("ESL-KOEB", "FL53", "FL54"),
        prevention=True,
        deadline=5,
        consent=(
            "Jeg giver samtykke til, at politiet giver mit navn og telefonnummer videre til "
            "rusmiddelcentret i min kommune, så en rådgiver kan kontakte mig om et tilbud om "
            "rådgivning. Politiet får kun at vide, om kontakten er skabt – ikke hvad vi taler "  # noqa: RUF001
            "om. Jeg kan altid trække samtykket tilbage hos politiet eller rusmiddelcentret."
        ),
        country="DK",
        journal="4100-{n:05d}-00{s:03d}-{yy}",
        size=200,
        municipalities=(
            ("Viborg", 30),
            ("Herning", 25),
            ("Holstebro", 8),
            ("Silkeborg", 8),
            ("Skive", 6),
            ("Ikast-Brande", 5),
            ("Ringkøbing-Skjern", 5),
            ("Thisted", 4),
            ("Struer", 3),
            ("Lemvig", 3),
            ("Morsø", 3),
        ),
        featured=("Viborg", "Herning"),
    ),
    Population(
        admin="kredsadmin-vestegn",
        officer="betjent-vestegn",
        name="Lommevending til Behandling",
        description=(
            "Lokalbetjente møder unge stofbrugere med en forstående tilgang og tilbyder "
            "kontakt til behandlingsstedet Brydehuset i Ballerup."
        ),
        destination=Programme.Destination.FIXED_PARTNER,
        partner="brydehuset",
        offences=("ESL-KOEB",),
        prevention=False,
        deadline=5,
        consent=(
            "Jeg giver samtykke til, at politiet giver mit navn og telefonnummer videre til "
            "Brydehuset, så en behandler kan kontakte mig. Politiet får kun at vide, om "
            "kontakten er skabt. Jeg kan altid trække samtykket tilbage."
        ),
        country="DK",
        journal="0900-{n:05d}-00{s:03d}-{yy}",
        size=70,
        municipalities=(
            ("Ballerup", 6),
            ("Albertslund", 4),
            ("Brøndby", 4),
            ("Glostrup", 3),
            ("Høje-Taastrup", 5),
            ("Ishøj", 3),
            ("Vallensbæk", 2),
            ("Rødovre", 4),
            ("Hvidovre", 5),
            ("Herlev", 3),
        ),
    ),
    Population(
        admin="kredsadmin-stockholm",
        officer="polis-stockholm",
        name="X-Cons: stöd vid häktning",
        description=(
            "Alla som häktats för grovt narkotikabrott och utreds vid länsnarkotikaroteln "
            "erbjuds, i samråd med åklagare, ett möte med X-Cons Stockholm – även under "  # noqa: RUF001
            "fängelsetiden."
        ),
        destination=Programme.Destination.FIXED_PARTNER,
        partner="x-cons-stockholm",
        offences=("NSL-GROVT",),
        prevention=False,
        deadline=10,
        consent=(
            "Jag samtycker till att polisen lämnar mitt namn och telefonnummer till X-Cons "
            "Stockholm, så att de kan kontakta mig och erbjuda stöd. Polisen får bara veta om "
            "kontakt har tagits. Jag kan när som helst återkalla samtycket."
        ),
        country="SE",
        journal="5000-K{n:06d}-{yy}",
        size=50,
        municipalities=(
            ("Stockholm", 12),
            ("Huddinge", 3),
            ("Botkyrka", 3),
            ("Södertälje", 3),
            ("Solna", 2),
            ("Nacka", 2),
            ("Järfälla", 2),
            ("Haninge", 2),
        ),
        detained=True,
    ),
)

# Stockholm's remand prisons and the prisons a long sentence is served in ([S4]: the
# contact goes on through the prison term).
HAEKTEN = ("Häktet Kronoberg", "Häktet Huddinge", "Häktet Sollentuna", "Häktet Storboda")
RESTRICTIONS = (
    "",
    "Restriktioner: besök, brev och telefon endast efter åklagarens medgivande.",
    "Restriktioner: inga besök utom av försvarare; brev granskas.",
)
PROSECUTORS = ("Kammaråklagare Lisa Holm", "Kammaråklagare Anders Wik", "Åklagare Sara Nyström")
RELATIONS = ("mamma", "pappa", "sambo", "syster", "bror")

# States of an offer (and of its referral) and how many days ago the person was met for each,
# as a function of the programme's contact deadline.
Days = Callable[[int], tuple[int, int]]
STATES: dict[str, tuple[int, Days]] = {  # weight, days-ago range
    "not_asked": (5, lambda d: (0, 14)),
    "thinking": (5, lambda d: (0, 30)),
    "no": (22, lambda d: (0, 360)),
    "new": (3, lambda d: (0, 1)),
    "due_soon": (3, lambda d: (d - 2, d - 1)),
    "overdue": (4, lambda d: (d + 1, d + 30)),
    "attempted": (4, lambda d: (2, 30)),
    "conversation": (6, lambda d: (5, 60)),
    "further": (5, lambda d: (20, 120)),
    "completed": (20, lambda d: (30, 360)),
    "declined": (8, lambda d: (10, 360)),
    "unreachable": (9, lambda d: (15, 360)),
    "withdrawn": (5, lambda d: (10, 360)),
}
YES_STATES = tuple(s for s in STATES if s not in {"not_asked", "thinking", "no"})


def fictitious_personnummer(birth: dt.date, female: bool, rng: random.Random) -> str:
    """YYMMDD-NNNC with a birth number in 980-999 and a valid Luhn digit."""
    serial = rng.randrange(980, 1000)
    if (serial % 2 == 0) != female:
        serial = serial + 1 if serial < 999 else serial - 1
    body = f"{birth:%y%m%d}{serial:03d}"
    total = 0
    for i, ch in enumerate(body):
        product = int(ch) * (2 if i % 2 == 0 else 1)
        total += product // 10 + product % 10
    return f"{body[:6]}-{body[6:]}{(10 - total % 10) % 10}"


class Demo:
    """Writes the demo through the services and back-dates what they stamp "now"."""

    def __init__(self) -> None:
        self.rng = random.Random(SEED)  # noqa: S311 - made-up data, not secrets
        self.faker = {"DK": Faker("da_DK"), "SE": Faker("sv_SE")}
        for i, f in enumerate(self.faker.values()):
            f.seed_instance(SEED + i)
        self.now = timezone.now()
        # The accounts demo_accounts made; the first counsellor of each partner works its
        # referrals.
        self.users = {u.username: u for u in User.objects.filter(is_demo=True)}
        self.staff_of: dict[int, User] = {}  # partner organisation id -> its counsellor
        for m in (
            Membership.objects.filter(user__is_demo=True, role=Role.COUNSELLOR)
            .select_related("user")
            .order_by("user_id")
        ):
            self.staff_of.setdefault(m.organisation_id, m.user)
        self.phones = {"DK": 0, "SE": 0}
        self.audit_mark = AuditEvent.objects.aggregate(m=Max("id"))["m"] or 0
        self.consent_texts: dict[int, ConsentText | None] = {}

    # Time -----------------------------------------------------------------------------------

    def at(self, days_ago: int) -> dt.datetime:
        """A time in office hours on the day ``days_ago`` days back, never in the future."""
        day = timezone.localtime(self.now) - dt.timedelta(days=days_ago)
        t = day.replace(hour=self.rng.randint(8, 16), minute=self.rng.randint(0, 59))
        return min(t, self.now - dt.timedelta(minutes=self.rng.randint(20, 120)))

    def when(self, state: str, days_ago: int, deadline: int) -> dt.datetime:
        if state == "due_soon":  # office hours could push it out of the two-day window
            return self.now - dt.timedelta(days=deadline - self.rng.uniform(0.2, 1.8))
        return self.at(days_ago)

    def after(self, t: dt.datetime, low: float, high: float) -> dt.datetime:
        later = t + dt.timedelta(days=self.rng.uniform(low, high))
        return max(t, min(later, self.now - dt.timedelta(minutes=2)))

    def stamp(self, when: dt.datetime) -> None:
        """Give the audit rows written since the last stamp the time their action happened."""
        ids = list(AuditEvent.objects.filter(id__gt=self.audit_mark).values_list("id", flat=True))
        if ids:
            AuditEvent.objects.filter(id__in=ids).update(at=when)
            self.audit_mark = max(ids)

    # Programmes -----------------------------------------------------------------------------
    def programme(self, pop: Population) -> Programme:
        admin = self.users[pop.admin]
        partner = Organisation.objects.get(slug=pop.partner) if pop.partner else None
        programme = rs.programme_create(
            actor=admin,
            consent_text=pop.consent,
            offences=list(Offence.objects.filter(code__in=pop.offences)),
            name=pop.name,
            description=pop.description,
            destination=pop.destination,
            fixed_partner=partner,
            feedback_level=Programme.Feedback.CONTACT_MADE,
            contact_deadline_days=pop.deadline,
            outcome_steps=list(Step.values),
            has_prevention_conversation=pop.prevention,
            for_detained=pop.detained,
            prosecutor_consultation=pop.detained,
            offers_relatives=pop.detained,
        )
        start = self.now - dt.timedelta(days=395)
        Programme.objects.filter(pk=programme.pk).update(created_at=start)
        ConsentText.objects.filter(programme=programme).update(created_at=start)
        self.stamp(start)
        return programme

    # People and offers ----------------------------------------------------------------------

    def person(self, pop: Population, district: Organisation, home_name: str | None) -> Person:
        rng, fake = self.rng, self.faker[pop.country]
        female = rng.random() < 0.25
        first = fake.first_name_female() if female else fake.first_name_male()
        full_name = f"{first} {fake.last_name()}"
        birth = (self.now - dt.timedelta(days=rng.randint(16 * 365, 62 * 365))).date()
        names = [m for m, _ in pop.municipalities]
        weights = [w for _, w in pop.municipalities]
        home_name = home_name or rng.choices(names, weights=weights)[0]
        home = Municipality.objects.get(country=pop.country, name=home_name)
        self.phones[pop.country] += 1
        n = self.phones[pop.country]
        if pop.country == "SE":
            kind, number = Person.IdKind.PERSONNUMMER, fictitious_personnummer(birth, female, rng)
            phone = f"+4670174{605 + n % 95:04d}"
        else:
            kind, number = Person.IdKind.CPR, fictitious_cpr(birth, female, rng)
            phone = f"+452099{n:04d}"
        email = f"{ascii_slug(full_name)}.{n}@example.invalid" if rng.random() < 0.3 else ""
        return person_build(
            police_district_id=district.pk,
            full_name=full_name,
            id_kind=kind,
            id_number=number,
            phone=phone if rng.random() < 0.92 else "",
            email=email,
            home_municipality=home,
            is_test_data=True,
        )

    def journal(self, pop: Population, when: dt.datetime) -> str:
        yy = f"{when:%y}"
        return pop.journal.format(
            n=self.rng.randint(10000, 99999), s=self.rng.randint(1, 999), yy=yy
        )

    def register(
        self,
        pop: Population,
        programme: Programme,
        officer: User,
        when: dt.datetime,
        case: Case | None = None,
        home: str | None = None,
    ) -> Offer:
        offence = case.offence if case else self.rng.choice(list(programme.offences.all()))
        offence_date = (when - dt.timedelta(days=self.rng.randint(0, 20))).date()
        person = self.person(pop, programme.police_district, home)
        if pop.detained:
            person.phone = ""  # a detained person usually has no phone: visits and letters
        offer = rs.offer_register(
            actor=officer,
            programme=programme,
            person=person,
            offence=offence,
            offence_date=offence_date,
            journal_number="" if case else self.journal(pop, when),
            case=case,
            detention_facility=self.rng.choice(HAEKTEN) if pop.detained else "",
            restrictions=self.rng.choice(RESTRICTIONS) if pop.detained else "",
        )
        Offer.objects.filter(pk=offer.pk).update(created_at=when)
        Person.objects.filter(pk=person.pk).update(created_at=when)
        self.stamp(when)
        return offer

    def answer(
        self, pop: Population, offer: Offer, officer: User, state: str, when: dt.datetime
    ) -> None:
        if state == "not_asked":
            return
        answer = {"thinking": Offer.Answer.THINKING, "no": Offer.Answer.NO}.get(
            state, Offer.Answer.YES
        )
        prevention = None
        if pop.prevention:
            accepted = self.rng.random() < 0.8  # "4 of 5" ([S0])
            prevention = Offer.Prevention.ACCEPTED if accepted else Offer.Prevention.DECLINED
        if pop.detained and offer.relative_of_id is None:
            consultation = rs.prosecutor_consultation_record(
                actor=officer,
                offer=offer,
                prosecutor=self.rng.choice(PROSECUTORS),
                consulted_at=when - dt.timedelta(hours=self.rng.randint(2, 48)),
                answer=ProsecutorConsultation.Answer.AGREED,
            )
            ProsecutorConsultation.objects.filter(pk=consultation.pk).update(created_at=when)
            self.stamp(when)
        method = self.rng.choice(
            [Consent.Method.ORAL, Consent.Method.SIGNED, Consent.Method.SIGNED]
            + ([Consent.Method.DIGITAL] if pop.country == "DK" else [])
        )
        rs.offer_answer(
            actor=officer,
            offer=offer,
            answer=answer,
            prevention_conversation=prevention,
            consent_method=method if answer == Offer.Answer.YES else None,
            consent_text=self.consent_text(offer.programme),
            consent_given_at=when,
        )
        Offer.objects.filter(pk=offer.pk).update(offered_at=when, answered_at=when)
        self.stamp(when)
        if answer == Offer.Answer.YES:
            self.partner_work(offer, officer, state, when)

    def consent_text(self, programme: Programme) -> ConsentText | None:
        if programme.pk not in self.consent_texts:
            self.consent_texts[programme.pk] = consent_text_current(programme)
        return self.consent_texts[programme.pk]

    def partner_work(self, offer: Offer, officer: User, state: str, when: dt.datetime) -> None:
        referral = Referral.objects.select_related("programme").get(offer=offer)
        Referral.objects.filter(pk=referral.pk).update(
            created_at=when,
            due_at=when + dt.timedelta(days=referral.programme.contact_deadline_days),
        )
        staff = self.staff_of[referral.partner_id]
        t = when
        # In detention there is no phone: X-Cons visits and writes letters ([S4]).
        detained = {
            ContactAttempt.Method.PHONE: ContactAttempt.Method.VISIT,
            ContactAttempt.Method.SMS: ContactAttempt.Method.LETTER,
        }

        in_detention = referral.programme.for_detained and offer.relative_of_id is None

        def attempt(reached: bool, method: str = ContactAttempt.Method.PHONE) -> None:
            nonlocal t
            t = self.after(t, 0.5, 4)
            if in_detention:
                method = detained.get(ContactAttempt.Method(method), method)
            a = rs.referral_record_attempt(
                actor=staff, referral=referral, at=t, method=method, reached=reached
            )
            ContactAttempt.objects.filter(pk=a.pk).update(created_at=t)
            self.stamp(t)

        def step(name: str, low: float = 1, high: float = 14) -> None:
            nonlocal t
            t = self.after(t, low, high)
            s = rs.referral_record_step(actor=staff, referral=referral, step=name, at=t)
            OutcomeStep.objects.filter(pk=s.pk).update(created_at=t)
            self.stamp(t)

        if state == "attempted":
            attempt(False)
        elif state in {"conversation", "further", "completed", "declined"}:
            if self.rng.random() < 0.4:
                attempt(False, ContactAttempt.Method.SMS)
            attempt(True)
            if state == "declined":
                step(Step.DECLINED, 0, 1)
                return
            step(Step.FIRST_CONVERSATION)
            if state == "further" or (state == "completed" and self.rng.random() < 0.5):
                step(Step.FURTHER_SESSIONS, 7, 30)
            if state == "completed":
                step(Step.CLOSED, 14, 90)
            elif state == "further" and in_detention:
                # Sentenced: contact goes on through the prison term, next visit planned.
                rs.referral_follow_up_set(
                    actor=staff,
                    referral=referral,
                    next_contact_on=timezone.localdate() + dt.timedelta(self.rng.randint(7, 90)),
                )
                self.stamp(t)
        elif state == "unreachable":
            for method in (
                ContactAttempt.Method.PHONE,
                ContactAttempt.Method.SMS,
                ContactAttempt.Method.LETTER,
            )[: self.rng.randint(2, 3)]:
                attempt(False, method)
            step(Step.UNREACHABLE, 3, 10)
        elif state == "withdrawn":
            if self.rng.random() < 0.5:
                attempt(True)
            t = self.after(t, 1, 10)
            rs.consent_withdraw(actor=self.rng.choice([staff, officer]), offer=offer)
            Consent.objects.filter(offer=offer).update(withdrawn_at=t)
            Referral.objects.filter(pk=referral.pk).update(withdrawn_at=t)
            self.stamp(t)

    def population(self, pop: Population, programme: Programme) -> None:
        officer = self.users[pop.officer]
        names = list(STATES)
        weights = [w for w, _ in STATES.values()]
        # Every state once (per featured municipality), the rest drawn by weight.
        planned: list[tuple[str, str | None]] = [
            (state, home) for home in pop.featured or (None,) for state in names
        ]
        drawn = self.rng.choices(names, weights=weights, k=pop.size - len(planned))
        planned += [(state, None) for state in drawn]
        dated = []
        for state, home in planned:
            low, high = STATES[state][1](pop.deadline)
            dated.append((self.when(state, self.rng.randint(low, high), pop.deadline), state, home))
        # Registered oldest first, so ids rise with time as in real use: the lists that show the
        # newest first go by id.
        for when, state, home in sorted(dated, key=lambda d: d[0]):
            offer = self.register(pop, programme, officer, when, home=home)
            self.answer(pop, offer, officer, state, when)
            if pop.detained and state in YES_STATES and self.rng.random() < 0.3:
                self.relative(pop, offer, officer, when)

    def relative(self, pop: Population, offer: Offer, officer: User, when: dt.datetime) -> None:
        """[S4]: support to relatives too, asked and consenting on their own. Offered the
        same day, so the demo's ids still rise with time."""
        later = when
        relative = rs.relative_offer_register(
            actor=officer,
            offer=offer,
            person=self.person(pop, offer.programme.police_district, None),
            relation=self.rng.choice(RELATIONS),
        )
        Offer.objects.filter(pk=relative.pk).update(created_at=later)
        # By primary key: a join-UPDATE planned on empty statistics takes seconds per row on
        # PostgreSQL inside a test transaction.
        assert relative.person_id is not None
        Person.objects.filter(pk=relative.person_id).update(created_at=later)
        self.stamp(later)
        state = self.rng.choice(["no", "thinking", "conversation", "conversation", "further"])
        self.answer(pop, relative, officer, state, later)

    def seized_phone(self, programme: Programme) -> Case:
        """[S0]: 100 buyers found on one seized sales phone, met one by one at the station."""
        pop = POPULATIONS[0]
        investigator, officer = self.users["efterforsker"], self.users["betjent"]
        opened = self.at(CASE_AGE_DAYS)
        case = rs.case_create(
            actor=investigator,
            journal_number=CASE_JOURNAL,
            title="100 købere fra én beslaglagt salgstelefon",
            programme=programme,
            offence=Offence.objects.get(code="ESL-KOEB"),
        )
        Case.objects.filter(pk=case.pk).update(created_at=opened)
        self.stamp(opened)
        offers = [
            self.register(pop, programme, investigator, opened, case=case) for _ in range(CASE_SIZE)
        ]
        for i, offer in enumerate(offers[:CASE_ANSWERED]):
            days_ago = CASE_AGE_DAYS - 1 - i * (CASE_AGE_DAYS - 1) // CASE_ANSWERED
            if i % 4 == 1:  # "further 1 of 4" said yes to the counsellors
                fitting = [s for s in YES_STATES if self.fits(s, days_ago, pop.deadline)]
                state = self.rng.choice(fitting)
            else:
                state = "thinking" if i % 9 == 8 else "no"
            when = self.when(state, days_ago, pop.deadline)
            self.answer(pop, offer, officer, state, when)
        return case

    @staticmethod
    def fits(state: str, days_ago: int, deadline: int) -> bool:
        low, high = STATES[state][1](deadline)
        return low <= days_ago <= high

    def run(self) -> None:
        programmes = [self.programme(pop) for pop in POPULATIONS]
        for pop, programme in zip(POPULATIONS, programmes, strict=True):
            self.population(pop, programme)
        self.seized_phone(programmes[0])
