"""The moderation sample: a lead chooses finished portfolios, keeps the key, downloads the pack.

Nothing is stored between the pages: the choice comes back from the confirmation page as
hidden fields, and the service checks it again before rendering a single portfolio.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from assessments.forms_samples import SampleChoiceForm, SampleFilterForm
from assessments.selectors.samples import can_prepare_moderation_sample, finished_portfolios
from assessments.services import samples as services
from programmes.models import Enrolment
from programmes.views.common import add_service_errors


def _listed(request: HttpRequest) -> tuple[SampleFilterForm, list[Enrolment]]:
    filters = SampleFilterForm(request.GET, finished=finished_portfolios(request.user))
    return filters, list(finished_portfolios(request.user, **filters.chosen()))


def _list_page(
    request: HttpRequest,
    *,
    filters: SampleFilterForm,
    listed: list[Enrolment],
    form: SampleChoiceForm,
    status: int = 200,
) -> HttpResponse:
    context = {
        "filters": filters,
        "form": form,
        "listed": listed,
        "ticked": set(form["enrolments"].value() or []) if form.is_bound else set(),
        "query": request.GET.urlencode(),
    }
    return render(request, "assessments/samples/moderation_sample.html", context, status=status)


def moderation_sample(request: HttpRequest) -> HttpResponse:
    """The finished portfolios, filtered; POST: the ones chosen, each under a candidate label."""
    if not can_prepare_moderation_sample(request.user):
        raise PermissionDenied
    filters, listed = _listed(request)
    form = SampleChoiceForm(request.POST if request.method == "POST" else None, listed=listed)
    if form.is_valid():
        try:
            ids = services.choose_sample(
                listed=[enrolment.pk for enrolment in listed],
                ticked=form.cleaned_data["enrolments"],
                count=form.cleaned_data["count"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            by_id = {enrolment.pk: enrolment for enrolment in listed}
            candidates = services.label_candidates([by_id[pk] for pk in ids])
            context = {"candidates": candidates, "query": request.GET.urlencode()}
            return render(request, "assessments/samples/moderation_sample_confirm.html", context)
    return _list_page(request, filters=filters, listed=listed, form=form)


@require_POST
def moderation_sample_pack(request: HttpRequest) -> HttpResponse:
    """The zip of anonymised portfolios, once the posted sample passes its checks again."""
    if not can_prepare_moderation_sample(request.user):
        raise PermissionDenied
    try:
        candidates = services.confirmed_sample(
            request.user,
            enrolment_ids=request.POST.getlist("enrolment"),
            letters=request.POST.getlist("letter"),
        )
    except ValidationError as refusal:
        filters, listed = _listed(request)
        form = SampleChoiceForm({}, listed=listed)
        form.add_error(None, refusal)
        return _list_page(request, filters=filters, listed=listed, form=form, status=400)
    on = timezone.localdate()
    pack = services.moderation_sample_pack(candidates, on=on)
    response = HttpResponse(pack, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="moderation-sample-{on:%Y-%m-%d}.zip"'
    response["Cache-Control"] = "no-store"
    return response
