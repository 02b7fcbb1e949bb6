"""Issue 13's journeys in a real browser: a member of the public asks for a police visit and
confirms by e-mail, the prevention unit publishes a warning and answers the request, a school
contact reports through a one-time link, an officer refers a victim and the victim-support
adviser takes it up, and an exit coordinator runs a visitation to a signed agreement."""

from __future__ import annotations

import datetime as dt
import re

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from sporskifte.accounts.models import Role
from sporskifte.exit.models import AgreementText, Criterion, ExitCase, ExitCoordinator, ExitUnit
from sporskifte.organisations.models import Organisation
from sporskifte.outreach import schools
from sporskifte.outreach.models import PublicWarning, SchoolConcern, VisitRequest
from sporskifte.testing.factories import district, fictitious_cpr, member, municipality
from sporskifte.testing.jobs import run_queued_jobs
from sporskifte.victims.models import VictimReferral


def choose(page, name: str, value: str) -> None:
    control_id = page.get_attribute(f"input[name={name}][value='{value}']", "id")
    page.click(f"label[for={control_id}]")


def _link(pattern: str) -> str:
    run_queued_jobs()
    for message in reversed(mail.outbox):
        found = re.search(rf"https?://\S*{pattern}\S*", message.body)
        if found:
            return found.group(0)
    raise AssertionError(f"no e-mail with {pattern}")


def test_a_visit_request_from_the_form_to_a_proposed_time(
    page, live_server, personas, login, console_errors
):
    unit = member("forebyggelse", district("midt-vestjylland"), Role.PREVENTION_SECRETARIAT)
    # 1. A school asks for a visit through the public form, without logging in.
    page.goto(reverse("outreach:visit_request_new"))
    page.select_option("select[name=requester_kind]", "school")
    page.fill("input[name=organisation_name]", "Hald Ege Skole")
    page.select_option("select[name=topic]", "traffic")
    page.fill("textarea[name=message]", "Forældremøde om knallertkørsel")
    page.select_option("select[name=municipality]", str(municipality("Viborg").pk))
    page.fill("input[name=place]", "Skolevej 1")
    start = timezone.localdate() + dt.timedelta(days=10)
    page.fill("input[name=wished_from]", start.isoformat())
    page.fill("input[name=wished_to]", (start + dt.timedelta(days=20)).isoformat())
    page.fill("input[name=contact_name]", "Inge Skov")
    page.fill("input[name=contact_email]", "inge@example.dk")
    page.click("main form button[type=submit]")
    page.wait_for_selector("[data-thanks]")
    # 2. The link in the e-mail confirms it (a button, so a mail scanner confirms nothing).
    page.goto(_link("/bekraeft/"))
    page.click("main form button[type=submit]")
    page.wait_for_selector("[data-confirmed]")
    request = VisitRequest.objects.get()
    assert request.state == VisitRequest.State.NEW

    # 3. The unit publishes a warning, then answers the request.
    login(page, unit)
    page.goto(reverse("outreach:warning_new"))
    page.fill("input[name=title]", "Falske webshops")
    page.fill("textarea[name=body]", "Betal aldrig forud til en ukendt webshop.")
    page.click("main form button[type=submit]")
    warning = PublicWarning.objects.get()
    publish = reverse("outreach:warning_publish", args=[warning.pk])
    page.click(f"form[action='{publish}'] [data-confirm-opener]")
    page.click(f".fds-modal[aria-hidden=false] form[action='{publish}'] button[type=submit]")
    page.wait_for_selector("[data-state=published]")
    page.goto(reverse("outreach:visit_request_list"))
    page.click(f"[data-visit='{request.pk}'] a")
    page.select_option("select[name=officer]", str(personas.officer_a.pk))
    page.click(
        f"form[action='{reverse('outreach:visit_request_assign', args=[request.pk])}'] button"
    )
    page.wait_for_selector("[data-state=assigned]")
    when = timezone.localtime() + dt.timedelta(days=14)
    page.fill("input[name=when]", f"{when:%Y-%m-%dT%H:%M}")
    page.click(
        f"form[action='{reverse('outreach:visit_request_propose', args=[request.pk])}'] button"
    )
    page.wait_for_selector("[data-state=time_proposed]")
    run_queued_jobs()
    assert mail.outbox[-1].to == ["inge@example.dk"]

    # 4. The public page shows the warning, without logging in.
    public = page.context.browser.new_context(base_url=live_server.url, locale="da-DK").new_page()
    public.goto(reverse("outreach:public_warnings", args=["midt-vestjylland"]))
    public.wait_for_selector("[data-warning] >> text=Falske webshops")
    public.context.close()


def test_a_school_contact_reports_and_sees_it_handled(page, personas, login, console_errors):
    unit = member("forebyggelse", district("midt-vestjylland"), Role.PREVENTION_SECRETARIAT)
    schools.contact_point_create(
        actor=unit,
        municipality=municipality("Viborg"),
        school="Vestervang Skole",
        contact_name="Pia Lærer",
        contact_email="pia@skole.dk",
        police_contact=personas.officer_a,
    )
    page.goto(reverse("outreach:school_link_request"))
    page.fill("input[name=email]", "pia@skole.dk")
    page.click("main form button[type=submit]")
    page.wait_for_selector("[data-link-sent]")
    page.goto(_link("/meld/"))
    page.fill("input[name=place]", "Cykelskuret ved østlågen")
    page.fill("input[name=observed]", "Tirsdage omkring kl. 15")
    page.fill("textarea[name=description]", "Unge på knallert sælger noget til elever.")
    page.click("main form button[type=submit]")
    page.wait_for_selector("[data-receipt]")
    receipt = page.url
    concern = SchoolConcern.objects.get()

    login(page, personas.officer_a)
    page.goto(reverse("outreach:school_concern_list"))
    page.click(f"[data-concern='{concern.pk}'] a")
    page.fill("textarea[name=note]", "Patruljering øget")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".alert-success")
    page.goto(receipt)
    assert "Patrulje" not in page.content()
    assert SchoolConcern.objects.get().handled_at is not None


def test_an_officer_refers_a_victim_and_the_adviser_takes_it_up(
    page, browser, live_server, personas, login, console_errors
):
    unit = Organisation.objects.create(
        name="Offerrådgivningen Midt- og Vestjylland",
        slug="offerraadgivning-mv",
        kind=Organisation.Kind.VICTIM_SUPPORT,
        country="DK",
        parent=district("midt-vestjylland"),
    )
    adviser = member("offerraadgiver", unit, Role.VICTIM_ADVISER)
    login(page, personas.officer_a)
    page.goto(reverse("victims:information_new"))
    page.select_option("select[name=category]", "violence")
    choose(page, "consented", "yes")
    page.fill("input[name=name]", "Karen Offer")
    page.fill("input[name=phone]", "20 30 40 50")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".alert-success")
    referral = VictimReferral.objects.get()

    other = browser.new_context(base_url=live_server.url, locale="da-DK").new_page()
    login(other, adviser)
    other.goto(reverse("victims:inbox"))
    other.click(f"[data-referral='{referral.pk}'] a")
    other.click("form:has(input[value=contacted]) button")
    other.wait_for_selector("[data-state=contacted]")
    other.context.close()


def test_an_exit_coordinator_runs_a_visitation_to_a_signed_agreement(
    page, personas, login, console_errors
):
    unit = ExitUnit.objects.create(district=district("midt-vestjylland"), name="Exitenheden")
    coordinator = member(
        "exit_kommune", Organisation.objects.get(slug="kommune-dk-0791"), Role.EXIT_COORDINATOR
    )
    ExitCoordinator.objects.create(unit=unit, user=coordinator)
    Criterion.objects.create(unit=unit, text="Ønsker selv at komme ud", weight=5)
    AgreementText.objects.create(unit=unit, version=1, text="Jeg deltager frivilligt.")
    login(page, coordinator)
    page.goto(reverse("exit:case_new"))
    page.fill("input[name=full_name]", "Kasper Exit")
    page.fill("input[name=id_number]", fictitious_cpr(dt.date(1995, 3, 4), female=False))
    page.select_option("select[name=referred_by]", "police")
    choose(page, "in_custody", "no")
    page.click("main form button[type=submit]")
    page.wait_for_selector("[data-state=visitation]")
    case = ExitCase.objects.get()
    choose(page, "admitted", "yes")
    page.click(f"form[action='{reverse('exit:case_action', args=[case.pk, 'decide'])}'] button")
    page.wait_for_selector("[data-state=admitted]")
    page.fill("input[name=signed_on]", timezone.localdate().isoformat())
    page.click(f"form[action='{reverse('exit:case_action', args=[case.pk, 'sign'])}'] button")
    page.wait_for_selector("[data-state=active]")
    page.fill("input[name=address]", "Hemmelig Vej 1, 7400 Herning")
    page.click(f"form[action='{reverse('exit:case_action', args=[case.pk, 'address'])}'] button")
    page.click("[data-address-link]")
    page.wait_for_selector("[data-address] >> text=Hemmelig Vej 1")
