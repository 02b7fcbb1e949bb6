"""Demo outreach for Midt- og Vestjylland: the prevention unit's account, warnings in every state
(one updated, one withdrawn) and visit requests from schools, clubs and citizens in every state.
Written through the services, so the audit trail is real. Idempotent; refused in production."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from sporskifte.accounts.models import Membership, Role, User
from sporskifte.core.demo import PASSWORD, demo_refuse_unless_possible
from sporskifte.organisations.models import Municipality, Organisation
from sporskifte.outreach import schools, selectors, services
from sporskifte.outreach.models import (
    PublicWarning,
    SchoolContactPoint,
    SchoolLink,
    VisitRequest,
)

DISTRICT = "midt-vestjylland"
UNIT_USER = ("forebyggelse", "Birgitte Lund")
OFFICER = "betjent"  # made by demo_data

WARNINGS = [
    (
        "Falske webshops sælger billige sneakers",
        "Flere borgere i Herning og Ikast har betalt for sko fra webshops, der aldrig leverer. "
        "Tjek e-mærket, betal med kort og søg efter anmeldelser, før du køber.\n\n"
        "Har du handlet i en falsk webshop, så kontakt din bank og anmeld det til politiet.",
        "Herning og Ikast-Brande",
        ["https://www.forbrug.dk/", "https://politi.dk/"],
    ),
    (
        "Opkald fra falske bankrådgivere",
        "Svindlere ringer og udgiver sig for at være fra din bank. Din bank beder dig aldrig om "
        "at godkende med MitID i telefonen.",
        "Hele politikredsen",
        [],
    ),
    (
        "Indbrud i kolonihaver",
        "Der har været en række indbrud i kolonihaver i Viborg. Lås redskabsskure og "
        "notér serienumre på værktøj.",
        "Viborg",
        [],
    ),
]

# (topic, kind, organisation, municipality code, state, days ago)
REQUESTS = [
    ("traffic", "school", "Hald Ege Skole", "0791", "new", 2),
    ("online", "school", "Katrinedalskolen", "0791", "assigned", 6),
    ("drugs", "association", "Herning Håndboldklub", "0657", "time_proposed", 9),
    ("nightlife", "workplace", "Bar Mejeriet", "0657", "done", 40),
    ("traffic", "citizen", "Lars Mikkelsen", "0661", "declined", 55),
    ("online", "school", "Struer Statsgymnasium", "0671", "new", 1),
    ("drugs", "school", "Skive Gymnasium", "0779", "done", 80),
    ("other", "association", "Lemvig Seniorklub", "0665", "assigned", 12),
]


def _unit_user(district: Organisation) -> User:
    username, name = UNIT_USER
    first, _, last = name.partition(" ")
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "email": f"{username}@demo.sporskifte.invalid",
            "password": make_password(PASSWORD),
            "is_demo": True,
        },
    )
    if created:
        Membership.objects.create(
            user=user, organisation=district, role=Role.PREVENTION_SECRETARIAT
        )
        TOTPDevice.objects.create(user=user, confirmed=True, name="Demo")
    return user


def _warnings(actor: User, district: Organisation, today: dt.date) -> None:
    made = []
    for i, (title, body, area, links) in enumerate(WARNINGS):
        made.append(
            services.warning_create(
                actor=actor,
                district=district,
                title=title,
                body=body,
                area=area,
                starts_on=today - dt.timedelta(days=20 - 5 * i),
                ends_on=today + dt.timedelta(days=60),
                links=links,
            )
        )
    for w in made:
        services.warning_publish(actor=actor, warning=w)
    changed = made[1]
    services.warning_change(
        actor=actor,
        warning=changed,
        title=changed.title,
        body=changed.body + " Læg på, og ring selv til banken på det nummer, du kender.",
        area=changed.area,
        starts_on=changed.starts_on,
        ends_on=changed.ends_on,
        links=changed.links,
    )
    services.warning_publish(actor=actor, warning=changed)
    services.warning_withdraw(
        actor=actor, warning=made[2], reason="Gerningsmændene er anholdt; der har ikke været flere."
    )
    services.warning_create(
        actor=actor,
        district=district,
        title="Tricktyveri ved pengeautomater (kladde)",
        body="Kladde: skrives færdig, når vi kender mønsteret.",
        area="Holstebro",
        starts_on=today,
        ends_on=None,
        links=[],
    )


def _requests(actor: User, officer: User | None, today: dt.date) -> None:
    for n, (topic, kind, org, code, state, days) in enumerate(REQUESTS):
        municipality = Municipality.objects.get(country="DK", code=code)
        request, token = services.visit_request_submit(
            municipality=municipality,
            confirm_url="https://demo.invalid/{token}",
            language="da",
            topic=topic,
            requester_kind=kind,
            organisation_name=org,
            place=f"{org}, {municipality.name}",
            wished_from=today + dt.timedelta(days=14),
            wished_to=today + dt.timedelta(days=45),
            message="Vi vil gerne have besøg til et forældremøde eller en temadag.",
            contact_name="Demo Kontakt",
            contact_email=f"kontakt{n}@demo.sporskifte.invalid",
            contact_phone="",
        )
        services.visit_request_confirm(token=token, unit_link="https://demo.invalid/")
        if state != "new" and officer is not None:
            services.visit_request_assign(actor=actor, request=request, officer=officer)
        if state in ("time_proposed", "done"):
            services.visit_request_propose_time(
                actor=actor,
                request=request,
                when=timezone.now() + dt.timedelta(days=20),
                note="Passer det jer?",
            )
        if state in ("done", "declined"):
            services.visit_request_close(
                actor=actor,
                request=request,
                held=state == "done",
                reason="" if state == "done" else "Vi har ikke betjente til det i den periode.",
            )
        # Back-dated after the services stamped "now", so the list and figures look lived in.
        at = timezone.now() - dt.timedelta(days=days)
        VisitRequest.objects.filter(pk=request.pk).update(submitted_at=at, confirmed_at=at)


def _schools(actor: User, officer: User | None) -> None:
    if officer is None:
        return
    for n, (school, code) in enumerate([("Vestervang Skole", "0791"), ("Holtbjergskolen", "0657")]):
        point = schools.contact_point_create(
            actor=actor,
            municipality=Municipality.objects.get(country="DK", code=code),
            school=school,
            contact_name="Demo Skolekontakt",
            contact_email=f"skole{n}@demo.sporskifte.invalid",
            police_contact=officer,
        )
        schools.school_link_send(
            email=point.contact_email, report_url="https://demo.invalid/{token}", language="da"
        )
    # The links' tokens are only in the e-mails; the demo reports through fresh ones.
    for n, link_point in enumerate(SchoolContactPoint.objects.order_by("pk")):
        token = f"demo-school-link-{n}"
        SchoolLink.objects.create(
            contact_point=link_point,
            token_hash=selectors.token_hash(token),
            created_at=timezone.now(),
        )
        concern, _receipt = schools.school_concern_report(
            token=token,
            place="Ved cykelskuret",
            observed="Eftermiddage efter skoletid",
            description="Unge på knallert sælger noget til elever. Ingen navne.",
            unit_link="https://demo.invalid/",
        )
        if n == 0:
            schools.school_concern_handle(actor=officer, concern=concern, note="Patruljering øget.")


class Command(BaseCommand):
    help = "Load demo outreach for Midt- og Vestjylland (idempotent)."

    def handle(self, *args: object, **options: Any) -> None:
        demo_refuse_unless_possible()
        district = Organisation.objects.get(slug=DISTRICT)
        if PublicWarning.objects.filter(district=district).exists():
            self.stdout.write("Demo outreach is already loaded; nothing changed.")
        else:
            with transaction.atomic():
                actor = _unit_user(district)
                today = timezone.localdate()
                _warnings(actor, district, today)
                officer = User.objects.filter(username=OFFICER).first()
                _requests(actor, officer, today)
                _schools(actor, officer)
            self.stdout.write("Demo outreach loaded: warnings and visit requests.")
        self.stdout.write(f"Outreach account (password {PASSWORD}): {UNIT_USER[0]}")
