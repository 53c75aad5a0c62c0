"""An ALIS who changes municipality loses nothing: the old municipality (or the ALIS) asks,
the new one accepts, and the whole record follows the doctor."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from veiviser.audit.models import AuditEvent
from veiviser.core.models import Office
from veiviser.training.models import (
    GoalEvent,
    Mentorship,
    PlanGoal,
    ServicePeriod,
    SupervisionSession,
    Transfer,
)
from veiviser.training.services import create_plan

pytestmark = pytest.mark.django_db
OSLO = ZoneInfo("Europe/Oslo")


def ask(client, actors, **changes):
    data = {"to_municipality": actors.bergen.pk, "effective": "2026-12-01", "note": "Flytter"}
    data.update(changes)
    return client.post(reverse("trainee_transfer", args=[actors.trainee.pk]), data)


def record_counts(trainee):
    return {
        "goals": PlanGoal.objects.filter(plan__trainee=trainee).count(),
        "approved": PlanGoal.objects.filter(plan__trainee=trainee, status="approved").count(),
        "events": GoalEvent.objects.filter(plan_goal__plan__trainee=trainee).count(),
        "service": ServicePeriod.objects.filter(trainee=trainee).count(),
        "sessions": SupervisionSession.objects.filter(trainee=trainee).count(),
    }


@time_machine.travel(datetime(2026, 12, 5, 9, tzinfo=OSLO), tick=False)
def test_the_whole_record_follows_the_alis_to_the_new_municipality(client, actors):
    trainee = actors.trainee
    plan = create_plan(trainee=trainee, by=actors["leader"])
    PlanGoal.objects.filter(pk=plan.goals.first().pk).update(status="approved")
    ServicePeriod.objects.create(
        trainee=trainee,
        start=date(2022, 9, 1),
        percent=100,
        arena="open_practice",
        municipality=actors.laerdal,
    )
    SupervisionSession.objects.create(trainee=trainee, date=date(2022, 10, 3), hours=4)
    before = record_counts(trainee)
    actors["foreign_leader"].email = "leder@bergen.invalid"
    actors["foreign_leader"].save()
    bergen_office = Office.objects.create(municipality=actors.bergen, name="Bergen legevakt")

    client.force_login(actors["leader"])
    assert client.get(reverse("trainee_transfer", args=[trainee.pk])).status_code == 200
    response = ask(client, actors)
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["leder@bergen.invalid"]]
    page = client.get(reverse("trainee_detail", args=[trainee.pk])).content.decode()
    assert "venter på bekreftelse" in page

    from veiviser.reminders.registry import collect

    items = collect(actors["foreign_leader"], date(2026, 11, 20))
    assert [i.kind for i in items if i.kind == "transfer"] == ["transfer"]
    assert not [i for i in collect(actors["leader"], date(2026, 11, 20)) if i.kind == "transfer"]
    client.force_login(actors["foreign_leader"])
    listing = client.get(reverse("transfer_list"))
    assert len(listing.context["incoming"]) == 1
    transfer = Transfer.objects.get()
    response = client.post(
        reverse("transfer_accept", args=[transfer.pk]), {"office": bergen_office.pk}
    )
    assert response.status_code == 302
    trainee.refresh_from_db()
    assert (trainee.municipality, trainee.office) == (actors.bergen, bergen_office)
    assert record_counts(trainee) == before
    assert not Mentorship.objects.filter(trainee=trainee, ended__isnull=True).exists()
    assert set(Mentorship.objects.filter(trainee=trainee).values_list("ended", flat=True)) == {
        date(2026, 11, 30)
    }
    assert client.get(reverse("trainee_detail", args=[trainee.pk])).status_code == 200
    assert AuditEvent.objects.filter(
        summary__startswith="Overtatt fra", summary__contains="Lærdal"
    ).exists()

    # the old municipality no longer sees the record, but still certifies its period
    client.force_login(actors["leader"])
    assert client.get(reverse("trainee_detail", args=[trainee.pk])).status_code == 404
    certificate = reverse("service_certificate_pdf", args=[trainee.pk, actors.laerdal.number])
    assert client.get(certificate).status_code == 200
    assert certificate in client.get(reverse("transfer_list")).content.decode()
    # a second acceptance is refused, nothing changes
    client.force_login(actors["foreign_leader"])
    again = client.post(reverse("transfer_accept", args=[transfer.pk]), {"office": ""})
    assert again.status_code == 400
    trainee.refresh_from_db()
    assert trainee.office == bergen_office


def test_the_alis_may_ask_and_the_sending_side_may_withdraw(client, actors):
    client.force_login(actors["alis"])
    assert ask(client, actors).status_code == 302
    transfer = Transfer.objects.get()
    client.force_login(actors["leader"])
    assert client.post(reverse("transfer_close", args=[transfer.pk])).status_code == 302
    transfer.refresh_from_db()
    assert transfer.status == "cancelled"
    assert ask(client, actors).status_code == 302  # a new request after the withdrawal
    client.force_login(actors["foreign_leader"])
    second = Transfer.objects.get(status="pending")
    assert client.post(reverse("transfer_close", args=[second.pk])).status_code == 302
    second.refresh_from_db()
    assert second.status == "declined"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"to_municipality": "4642"}, "to_municipality"),  # the municipality it is in (pk below)
        ({"effective": "31.02.2026"}, "effective"),
        ({"to_municipality": "999999"}, "to_municipality"),
        ({"effective": ""}, "effective"),
    ],
)
def test_bad_requests_are_refused_naming_the_field(client, actors, changes, field):
    if changes.get("to_municipality") == "4642":
        changes = {"to_municipality": actors.laerdal.pk}
    client.force_login(actors["leader"])
    response = ask(client, actors, **changes)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Transfer.objects.exists()


def test_only_one_pending_transfer_at_a_time(client, actors):
    client.force_login(actors["leader"])
    assert ask(client, actors).status_code == 302
    response = ask(client, actors, to_municipality=actors.bodo.pk)
    assert response.status_code == 400 and "to_municipality" in response.context["form"].errors
    assert Transfer.objects.count() == 1


def test_only_the_receiving_municipality_accepts(client, actors):
    client.force_login(actors["leader"])
    ask(client, actors)
    transfer = Transfer.objects.get()
    assert client.post(reverse("transfer_accept", args=[transfer.pk]), {}).status_code == 403
    client.force_login(actors["veileder"])
    assert client.get(reverse("trainee_transfer", args=[actors.trainee.pk])).status_code == 403
    assert client.post(reverse("transfer_accept", args=[transfer.pk]), {}).status_code == 404
    client.force_login(actors["foreign_leader"])
    other = Office.objects.create(municipality=actors.laerdal, name="Ikke i Bergen")
    response = client.post(reverse("transfer_accept", args=[transfer.pk]), {"office": other.pk})
    assert response.status_code == 400
    transfer.refresh_from_db()
    assert transfer.status == "pending"


@time_machine.travel(datetime(2026, 11, 20, 9, tzinfo=OSLO), tick=False)
def test_a_move_accepted_before_its_date_happens_on_the_date(client, actors):
    """Until the effective date the old municipality stays responsible (its leader still signs
    off goals); on the day the move is carried out (daily job, or the pages that run it)."""
    trainee = actors.trainee
    client.force_login(actors["leader"])
    assert ask(client, actors, effective="2027-01-01").status_code == 302
    transfer = Transfer.objects.get()
    client.force_login(actors["foreign_leader"])
    response = client.post(reverse("transfer_accept", args=[transfer.pk]), {"office": ""})
    assert response.status_code == 302
    transfer.refresh_from_db()
    trainee.refresh_from_db()
    assert transfer.status == "scheduled"
    assert trainee.municipality == actors.laerdal
    assert Mentorship.objects.filter(trainee=trainee, ended__isnull=True).exists()
    # the old leader still has the record and sees the move coming
    client.force_login(actors["leader"])
    page = client.get(reverse("trainee_detail", args=[trainee.pk])).content.decode()
    assert "er godtatt og trer i kraft 01.01.2027" in page
    # no second transfer while one is scheduled
    assert ask(client, actors, effective="2027-02-01").status_code == 400
    from veiviser.training.transfers import apply_due_transfers

    assert apply_due_transfers(date(2026, 12, 31)) == 0
    assert apply_due_transfers(date(2027, 1, 1)) == 1
    assert apply_due_transfers(date(2027, 1, 1)) == 0  # idempotent
    transfer.refresh_from_db()
    trainee.refresh_from_db()
    assert transfer.status == "accepted"
    assert trainee.municipality == actors.bergen
    assert set(Mentorship.objects.filter(trainee=trainee).values_list("ended", flat=True)) == {
        date(2026, 12, 31)
    }


@time_machine.travel(datetime(2026, 11, 20, 9, tzinfo=OSLO), tick=False)
def test_a_scheduled_move_can_be_called_off_or_brought_forward(client, actors):
    from veiviser.reminders.services import send_due_reminders

    client.force_login(actors["leader"])
    ask(client, actors, effective="2027-01-01")
    transfer = Transfer.objects.get()
    client.force_login(actors["foreign_leader"])
    client.post(reverse("transfer_accept", args=[transfer.pk]), {"office": ""})
    # the sending side withdraws it before the date: nothing moves, ever
    client.force_login(actors["leader"])
    assert client.post(reverse("transfer_close", args=[transfer.pk])).status_code == 302
    transfer.refresh_from_db()
    assert transfer.status == "cancelled"
    send_due_reminders(today=date(2027, 1, 2))
    actors.trainee.refresh_from_db()
    assert actors.trainee.municipality == actors.laerdal
    # a new request, accepted for later, then taken over at once by the receiving side
    ask(client, actors, effective="2027-01-01")
    again = Transfer.objects.get(status="pending")
    client.force_login(actors["foreign_leader"])
    client.post(reverse("transfer_accept", args=[again.pk]), {"office": ""})
    listing = client.get(reverse("transfer_list"))
    assert [t.pk for t in listing.context["scheduled"]] == [again.pk]
    assert (
        client.post(reverse("transfer_accept", args=[again.pk]), {"office": ""}).status_code == 302
    )
    again.refresh_from_db()
    actors.trainee.refresh_from_db()
    assert (again.status, again.effective) == ("accepted", date(2026, 11, 20))
    assert actors.trainee.municipality == actors.bergen


def test_the_daily_job_carries_out_due_moves(actors):
    from veiviser.reminders.services import send_due_reminders
    from veiviser.training.models import TransferStatus

    transfer = Transfer.objects.create(
        trainee=actors.trainee,
        from_municipality=actors.laerdal,
        to_municipality=actors.bergen,
        effective=date(2027, 1, 1),
        status=TransferStatus.SCHEDULED,
    )
    send_due_reminders(today=date(2027, 1, 1))
    transfer.refresh_from_db()
    actors.trainee.refresh_from_db()
    assert transfer.status == TransferStatus.ACCEPTED
    assert actors.trainee.municipality == actors.bergen
