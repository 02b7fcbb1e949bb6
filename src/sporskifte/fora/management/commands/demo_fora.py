"""Demo fora: Viborg's SSP and PSP groups and Midt- og Vestjylland's visitation group, with a
quarter of meetings, made-up persons (marked as test data), agreed actions and one escalation.

Everything goes through the services, so the audit trail is real; each meeting's rows are then
back-dated to when it happened. Deterministic (one seed), idempotent (a database that already
has the demo fora is left alone) and refused in production.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from sporskifte.accounts.models import Membership, Role, User
from sporskifte.audit.models import AuditEvent
from sporskifte.core.demo import PASSWORD, demo_refuse_unless_possible
from sporskifte.fora import exchange, meetings, services
from sporskifte.fora.frame import ForumKind, PspSign
from sporskifte.fora.models import Action, Forum, ForumPerson, Meeting, Share
from sporskifte.organisations.models import Organisation

SEED = 2026
SSP_NAME = "SSP Viborg"
PSP_NAME = "PSP Viborg"
VISITATION_NAME = "Visitations- og koordinationsgruppen, Midt- og Vestjyllands Politi"
PSYCHIATRY = ("psykiatrien-region-midtjylland", "Psykiatrien i Region Midtjylland")

# username, organisation slug, role, name, job title
ACCOUNTS = (
    (
        "demo-fora-admin",
        "midt-vestjylland",
        Role.DISTRICT_ADMIN,
        "Bente Lund",
        "Kredsadministrator",
    ),
    (
        "demo-forebyggelse",
        "midt-vestjylland-forebyggelse",
        Role.OFFICER,
        "Rasmus Vinther",
        "Forebyggelsesbetjent",
    ),
    ("demo-visitation", "midt-vestjylland", Role.OFFICER, "Tina Krogh", "Politikommissær"),
    ("demo-ssp-skole", "kommune-dk-0791", Role.COUNSELLOR, "Morten Bak", "Skoleleder"),
    ("demo-ssp-social", "kommune-dk-0791", Role.COUNSELLOR, "Louise Friis", "SSP-konsulent"),
    ("demo-psp-social", "kommune-dk-0791", Role.COUNSELLOR, "Anja Holt", "Socialrådgiver"),
    ("demo-psykiatri", PSYCHIATRY[0], Role.COUNSELLOR, "Jesper Ravn", "Sygeplejerske"),
)

SSP_CONCERNS = (
    (
        "Bekymring for kriminalitet og højt skolefravær",
        "Ses ofte sammen med ældre unge ved banegården om aftenen; fravær over 20 % i år.",
    ),
    ("Mistanke om salg af hash på skolen", "Flere elever nævner den unge som den, man køber af."),
    ("Uro og trusler mod lærere", "To episoder med trusler mod en lærer siden efterårsferien."),
    ("Kontakt til bandemiljø", "Set i bil med kendte medlemmer af en gruppering flere gange."),
)
PSP_CONCERNS = (
    (
        "Gentagne henvendelser fra naboer",
        "Råb og trusler i opgangen; politiet har været på adressen fire gange på en måned.",
    ),
    (
        "Afbrudt behandling, risiko for udsættelse",
        "Er udeblevet fra ambulant behandling; boligselskabet varsler opsigelse.",
    ),
    (
        "Usynlig borger",
        "Har ikke åbnet for hjemmeplejen i tre uger; familien er bekymret.",
    ),
)
ACTIONS = (
    "Skolen indkalder forældrene til møde",
    "SSP-konsulenten tager kontakt til den unge",
    "Politiet gennemfører bekymringssamtale",
    "Socialforvaltningen vurderer behov for underretning",
    "Psykiatrien tilbyder opsøgende besøg",
    "Bostøtte kontakter boligselskabet",
)


class Demo:
    def __init__(self) -> None:
        # Development packages: imported once the command has checked they are installed.
        from faker import Faker

        self.rng = random.Random(SEED)  # noqa: S311 - demo data, not secrets
        self.fake = Faker("da_DK")
        self.fake.seed_instance(SEED)
        self.now = timezone.now()
        self.users: dict[str, User] = {}
        self.audit_mark = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()

    def stamp(self, when: dt.datetime) -> None:
        rows = AuditEvent.objects.filter(id__gt=self.audit_mark or 0)
        ids = list(rows.values_list("id", flat=True))
        if ids:
            AuditEvent.objects.filter(id__in=ids).update(at=min(when, self.now))
            self.audit_mark = max(ids)

    def accounts(self) -> None:
        from sporskifte.testing.factories import member

        Organisation.objects.get_or_create(
            slug=PSYCHIATRY[0],
            defaults={
                "name": PSYCHIATRY[1],
                "kind": Organisation.Kind.PSYCHIATRY,
                "country": "DK",
            },
        )
        for username, slug, role, name, title in ACCOUNTS:
            first, _, last = name.partition(" ")
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

    def forum(self, name: str, kind: str, orgs: list[str], members: dict[str, bool]) -> Forum:
        from sporskifte.testing.factories import municipality

        admin = self.users["demo-fora-admin"]
        forum = services.forum_create(
            actor=admin,
            name=name,
            kind=kind,
            municipality=municipality("Viborg") if kind != ForumKind.PSP_VISITATION else None,
            organisations=list(Organisation.objects.filter(slug__in=orgs)),
            is_test_data=True,
        )
        for username, coordinator in members.items():
            services.forum_member_add(
                actor=admin, forum=forum, user=self.users[username], is_coordinator=coordinator
            )
        return forum

    def person(self, forum: Forum, by: str, concern: tuple[str, str], age: int) -> ForumPerson:
        birth = (self.now - dt.timedelta(days=age * 365 + self.rng.randint(0, 300))).date()
        details: dict[str, Any] = {}
        if forum.rule.section == "psp":
            details["psp_signs"] = self.rng.sample(PspSign.values, k=self.rng.randint(2, 4))
        return services.forum_person_share(
            actor=self.users[by],
            forum=forum,
            full_name=f"{self.fake.first_name()} {self.fake.last_name()}",
            birth_date=birth,
            legal_basis=forum.default_basis,
            reason=concern[0],
            information=concern[1],
            details=details,
            is_test_data=True,
        )

    def meeting(
        self, forum: Forum, coordinator: str, days: int, persons: list[ForumPerson], theme: str
    ) -> Meeting:
        actor = self.users[coordinator]
        local = timezone.localtime(self.now + dt.timedelta(days=days))
        starts = local.replace(hour=9, minute=0, second=0, microsecond=0)
        m = meetings.meeting_plan(
            actor=actor,
            forum=forum,
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=2),
            place=self.rng.choice(["Viborg Rådhus, mødelokale 3", "Viborg Politistation"]),
            notice="Dagsorden og opfølgning på aftalte handlinger.",
        )
        for p in persons:
            meetings.agenda_item_add(
                actor=actor, meeting=m, kind="person", person=p, reason="Status og næste skridt"
            )
        meetings.agenda_item_add(actor=actor, meeting=m, kind="theme", title=theme)
        if days < 0:
            self.hold(m, actor, persons)
        self.stamp(starts)
        return m

    def hold(self, m: Meeting, actor: User, persons: list[ForumPerson]) -> None:
        members = list(m.forum.members.filter(left_at__isnull=True))
        present = [x for x in members if self.rng.random() < 0.85] or members
        meetings.attendance_set(actor=actor, meeting=m, present=present)
        orgs = list(m.forum.organisations.all())
        for p in persons:
            deadline = timezone.localdate(m.starts_at) + dt.timedelta(days=self.rng.randint(10, 30))
            action = meetings.action_add(
                actor=actor,
                meeting=m,
                description=self.rng.choice(ACTIONS),
                owner=self.rng.choice(orgs),
                deadline=deadline,
                person=p,
            )
            self.close_maybe(action, actor, deadline)
        meetings.minutes_save(
            actor=actor,
            meeting=m,
            minutes="Gennemgang af personsager og opfølgning. Næste møde som planlagt.",
        )
        meetings.meeting_close(actor=actor, meeting=m)
        Meeting.objects.filter(pk=m.pk).update(held_at=m.ends_at)

    def close_maybe(self, action: Action, actor: User, deadline: dt.date) -> None:
        """Most actions are done on time, some late, some are still open (a few overdue)."""
        roll = self.rng.random()
        if roll > 0.8:
            return
        late = roll > 0.6
        day = deadline + dt.timedelta(days=self.rng.randint(1, 10) if late else -2)
        closed = timezone.make_aware(dt.datetime.combine(day, dt.time(14)))
        if closed >= self.now:
            return
        meetings.action_close(actor=actor, action=action, status=Action.Status.DONE)
        Action.objects.filter(pk=action.pk).update(closed_at=closed)

    def run(self) -> None:
        self.accounts()
        district, kommune = "midt-vestjylland", "kommune-dk-0791"
        ssp = self.forum(
            SSP_NAME,
            ForumKind.SSP,
            [district, kommune],
            {"demo-forebyggelse": True, "demo-ssp-skole": False, "demo-ssp-social": False},
        )
        psp = self.forum(
            PSP_NAME,
            ForumKind.PSP,
            [district, kommune, PSYCHIATRY[0]],
            {"demo-forebyggelse": True, "demo-psp-social": False, "demo-psykiatri": False},
        )
        visitation = self.forum(
            VISITATION_NAME,
            ForumKind.PSP_VISITATION,
            [district, kommune, PSYCHIATRY[0]],
            {"demo-visitation": True, "demo-forebyggelse": False, "demo-psykiatri": False},
        )
        young = [
            self.person(ssp, self.rng.choice(["demo-ssp-skole", "demo-ssp-social"]), c, age)
            for c, age in zip(SSP_CONCERNS, (14, 15, 13, 16), strict=True)
        ]
        adults = [
            self.person(psp, self.rng.choice(["demo-psp-social", "demo-psykiatri"]), c, age)
            for c, age in zip(PSP_CONCERNS, (34, 52, 71), strict=True)
        ]
        brought = self.now - dt.timedelta(days=90)
        ForumPerson.objects.filter(forum__in=[ssp, psp]).update(created_at=brought)
        Share.objects.filter(person__forum__in=[ssp, psp]).update(created_at=brought)
        self.stamp(brought)
        for days in (-84, -56, -28, 14):
            persons = self.rng.sample(young, k=3)
            self.meeting(ssp, "demo-forebyggelse", days, persons, "Tryghed ved banegården")
        for days in (-80, -60, -40, -20, 7):
            persons = self.rng.sample(adults, k=2)
            self.meeting(psp, "demo-forebyggelse", days, persons, "Samarbejde med boligselskaber")
        exchange.forum_person_escalate(
            actor=self.users["demo-forebyggelse"],
            person=adults[0],
            to_forum=visitation,
            reason="Operativgruppen har afprøvet bostøtte og opsøgende psykiatri uden effekt; "
            "sagen kræver en drøftelse på tværs af kommune og region.",
        )
        self.stamp(self.now - dt.timedelta(days=19))
        moved = ForumPerson.objects.get(escalated_in__from_person=adults[0])
        self.meeting(visitation, "demo-visitation", -14, [moved], "Kapacitet i opsøgende team")
        self.meeting(visitation, "demo-visitation", 21, [moved], "Erfaringer fra operativgrupperne")


class Command(BaseCommand):
    help = "Load demo cooperation fora for Viborg and Midt- og Vestjylland (idempotent)."

    def handle(self, *args: object, **options: Any) -> None:
        demo_refuse_unless_possible()
        from sporskifte.testing.personas import ensure_reference_data

        if Forum.objects.filter(name=SSP_NAME, is_test_data=True).exists():
            self.stdout.write("Demo fora are already loaded; nothing changed.")
        else:
            ensure_reference_data()
            with transaction.atomic():
                Demo().run()
            self.stdout.write(
                f"Demo fora loaded: {Forum.objects.filter(is_test_data=True).count()} fora, "
                f"{ForumPerson.objects.filter(is_test_data=True).count()} made-up persons."
            )
        self.stdout.write(f"Fora accounts (password {PASSWORD}):")
        for username, _slug, _role, _name, title in ACCOUNTS:
            self.stdout.write(f"  {username:<22}{title}")
