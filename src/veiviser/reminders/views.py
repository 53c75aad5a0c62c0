"""The administrator's job page: recent background job results with status and error, and a
button that enqueues the reminder run now."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from veiviser.core.access import require_admin
from veiviser.reminders.tasks import send_reminders

JOB_LIMIT = 100


def _last_line(traceback: str) -> str:
    lines = [line for line in traceback.strip().splitlines() if line.strip()]
    return lines[-1] if lines else ""


@login_required
@require_http_methods(["GET", "POST"])
def job_list(request: HttpRequest) -> HttpResponse:
    require_admin(request.user)
    from django_tasks_db.models import DBTaskResult

    if request.method == "POST":
        send_reminders.enqueue()
        messages.success(request, _("Påminnelsesjobben er lagt i køen."))
        return redirect("job_list")
    results = list(
        DBTaskResult.objects.order_by("-enqueued_at").only(
            "id",
            "status",
            "enqueued_at",
            "started_at",
            "finished_at",
            "run_after",
            "task_path",
            "args_kwargs",
            "worker_ids",
            "exception_class_path",
            "traceback",
            "return_value",
        )[:JOB_LIMIT]
    )
    rows = [
        {
            "result": r,
            "name": r.task_path.rsplit(".", 1)[-1],
            "attempt": (r.args_kwargs or {}).get("kwargs", {}).get("attempt", 1),
            "error": _last_line(r.traceback) if r.status == "FAILED" else "",
            "waiting": r.status == "READY",
        }
        for r in results
    ]
    return render(request, "reminders/job_list.html", {"rows": rows, "limit": JOB_LIMIT})
