"""Exit interviews and stay surveys, aggregated without exposing anyone: no group smaller
than 5 is ever shown (docs/adr/0053-small-groups-in-exit-interviews-and-stay-surveys.md)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from veiviser.core.models import Municipality
from veiviser.web.forms import apply_errors as _apply_errors
from veiviser.workforce.access import get_survey_for_user, require_reader, selection
from veiviser.workforce.figures import SMALL_GROUP, distribution, stay_years
from veiviser.workforce.forms import StaySurveyAnswerForm, StaySurveyForm, person_candidates
from veiviser.workforce.models import (
    INTENTION_CHOICES,
    EndReason,
    ExitInterview,
    ExitReason,
    NextWork,
    Occupancy,
    OccupancyRole,
    StayFactor,
    StaySurvey,
    StaySurveyAnswer,
)
from veiviser.workforce.services import can_manage, save_stay_answer, save_stay_survey

EXIT_FILTERS = ("kommune", "region", "fra", "til")
NOT_GIVEN = ("", gettext_lazy("ikke oppgitt"))


def _in_selection(qs: Any, ids: list[int] | None, path: str) -> Any:
    return qs if ids is None else qs.filter(**{f"{path}__in": ids})


@login_required
def exits(request: HttpRequest) -> HttpResponse:
    """Why holders leave (coded exit interviews, end reasons, next work) and what keeps the
    stable ones (stay surveys), counted over the user's municipalities."""
    sel = selection(request, EXIT_FILTERS)
    context: dict[str, Any] = {"form": sel.form, "small": SMALL_GROUP}
    if not sel.valid:
        return render(request, "workforce/exits.html", context, status=400)
    start, end = sel.get("fra"), sel.get("til")
    ids = sel.municipality_ids
    interviews = list(
        _in_selection(
            ExitInterview.objects.aggregated_for(request.user).filter(
                held_on__gte=start, held_on__lte=end
            ),
            ids,
            "occupancy__position__municipality_id",
        ).values_list("reasons", "occupancy__position__municipality__number")
    )
    ended = list(
        _in_selection(
            Occupancy.objects.visible_to(request.user).filter(
                role=OccupancyRole.HOLDER, end__gte=start, end__lte=end
            ),
            ids,
            "position__municipality_id",
        ).values_list("end_reason", "next_work")
    )
    answers = list(
        _in_selection(
            StaySurveyAnswer.objects.aggregated_for(request.user).filter(
                survey__year__gte=start.year, survey__year__lte=end.year
            ),
            ids,
            "survey__municipality_id",
        ).values_list("survey__year", "survey_id", "keeps", "intention_to_stay", "satisfaction")
    )
    numbers = sorted({n for _r, n in interviews}, key=lambda n: sel.names.get(n, n))
    context.update(
        {
            "start": start,
            "end": end,
            "reasons": distribution(
                (r for reasons, _n in interviews for r in set(reasons)),
                ExitReason.choices,
                total=len(interviews),
                exclusive=False,
            ),
            "interviews_by_municipality": distribution(
                (n for _r, n in interviews),
                [(n, sel.names.get(n, n)) for n in numbers],
                exclusive=True,
            ),
            "end_reasons": distribution(
                (r for r, _w in ended), [*EndReason.choices, NOT_GIVEN], exclusive=True
            ),
            "next_work": distribution(
                (w for r, w in ended if r), [*NextWork.choices, NOT_GIVEN], exclusive=True
            ),
            "stay_years": stay_years(answers, INTENTION_CHOICES, StayFactor.choices),
        }
    )
    return render(request, "workforce/exits.html", context)


@login_required
def stay_survey_list(request: HttpRequest) -> HttpResponse:
    """Rounds of the stay survey; managers start a new round here."""
    require_reader(request.user)
    surveys = (
        StaySurvey.objects.visible_to(request.user)
        .select_related("municipality")
        .annotate(answer_count=Count("answers"))
        .order_by("-year", "municipality__name")[:200]
    )
    managed = Municipality.objects.managed_by(request.user).order_by("name")
    form = None
    if managed.exists():
        form = StaySurveyForm(request.POST or None, municipalities=managed)
        if request.method == "POST" and form.is_valid():
            survey = form.save(commit=False)
            try:
                save_stay_survey(survey=survey, by=request.user)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Runden er opprettet."))
                return redirect("stay_survey_detail", pk=survey.pk)
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "workforce/stay_survey_list.html",
        {"surveys": surveys, "form": form, "small": SMALL_GROUP},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def stay_survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One round: how many answered, the protected aggregate, the answer form (managers)."""
    survey = get_survey_for_user(request.user, pk)
    manager = can_manage(request.user, survey.municipality_id)
    return _survey_page(request, survey, manager, None)


def _survey_page(
    request: HttpRequest, survey: StaySurvey, manager: bool, form: Any, status: int = 200
) -> HttpResponse:
    rows = list(
        survey.answers.values_list(
            "survey__year", "survey_id", "keeps", "intention_to_stay", "satisfaction", "comment"
        )
    )
    years = stay_years([r[:5] for r in rows], INTENTION_CHOICES, StayFactor.choices)
    comments: list[str] = []
    if manager and len(rows) >= SMALL_GROUP:
        comments = sorted(r[5].strip() for r in rows if r[5].strip())
    if manager and form is None:
        form = StaySurveyAnswerForm(candidates=person_candidates(request.user, survey.municipality))
    return render(
        request,
        "workforce/stay_survey_detail.html",
        {
            "survey": survey,
            "answers": len(rows),
            "year": years[0] if years else None,
            "comments": comments,
            "can_manage": manager,
            "form": form,
            "small": SMALL_GROUP,
        },
        status=status,
    )


@login_required
def stay_answer_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Enter one GP's answer (managers; from a paper form or a conversation)."""
    survey = get_survey_for_user(request.user, pk, manage=True)
    if request.method != "POST":
        return redirect("stay_survey_detail", pk=survey.pk)
    form = StaySurveyAnswerForm(
        request.POST, candidates=person_candidates(request.user, survey.municipality)
    )
    if form.is_valid():
        answer = form.save(commit=False)
        answer.survey = survey
        try:
            save_stay_answer(answer=answer, by=request.user)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Svaret er lagret."))
            return redirect("stay_survey_detail", pk=survey.pk)
    return _survey_page(request, survey, True, form, status=400)
