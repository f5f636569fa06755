"""The dashboard and its figures are kept until something they read changes, and never shown
to anyone but the person they were worked out for."""

from __future__ import annotations

import importlib
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from programmes.models import Cohort
from tests.factories import EnrolmentFactory, SupervisionSessionFactory
from tests.programmes.test_dashboard import TODAY, breach, healthy

URL = reverse("programmes:dashboard")
FIGURES_URL = reverse("programmes:dashboard-figures")


@pytest.fixture(autouse=True)
def _today(monkeypatch) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


def _get(client, url: str = URL, **params) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def _main(page: str) -> str:
    """The page without its header, whose sign-out form carries a fresh CSRF token each time."""
    return page[page.index("<main") : page.index("</main>")]


@pytest.mark.parametrize("url", [URL, FIGURES_URL], ids=["dashboard", "figures"])
def test_an_unchanged_page_is_served_again_without_being_worked_out(client, lead, url):
    for enrolment in EnrolmentFactory.create_batch(3):
        breach(enrolment)
    client.force_login(lead)

    first, worked_out = _get(client, url)
    again, served = _get(client, url)

    assert _main(again) == _main(first)
    # Session, user, roles (3); the page's key: the revision of what the reader may see, which
    # with no filter chosen is also what the page shows (1); the unread count in the header
    # (1); SAVEPOINT, session UPDATE, RELEASE (3). Nothing the page itself shows.
    assert served == 8 < worked_out


def test_a_record_of_someone_the_filters_leave_out_leaves_the_page_kept(client, lead):
    shown, elsewhere = EnrolmentFactory.create_batch(2)
    client.force_login(lead)
    first, _ = _get(client, cohort=shown.cohort_id)

    SupervisionSessionFactory(enrolment=elsewhere, held_on=TODAY - timedelta(days=1))
    again, served = _get(client, cohort=shown.cohort_id)

    assert served == 9  # as below, and the revision of the cohort the filter leaves
    assert _main(again) == _main(first)
    assert escape(elsewhere.worker.full_name) not in _main(again)


def test_a_session_recorded_since_shows_on_the_next_view(client, lead):
    enrolment = EnrolmentFactory(started_on=date(2026, 9, 7), cohort__intake_on=date(2026, 9, 7))
    client.force_login(lead)
    assert "Supervision overdue" in _get(client)[0]

    SupervisionSessionFactory(enrolment=enrolment, held_on=TODAY - timedelta(days=1))

    page = _get(client)[0]
    assert escape(enrolment.worker.full_name) in page
    assert "Supervision overdue" not in page


def test_a_breach_opened_since_shows_on_the_next_view_of_the_figures(client, lead):
    enrolment = healthy()
    client.force_login(lead)
    before = _get(client, FIGURES_URL)[0]

    breach(enrolment)

    assert _get(client, FIGURES_URL)[0] != before
    assert "Caseload over the protected cap" in _get(client, attention="on")[0]


def test_a_renamed_cohort_shows_on_the_next_view(client, lead):
    enrolment = healthy()
    client.force_login(lead)
    _get(client)

    Cohort.objects.filter(pk=enrolment.cohort_id).update(name="Renamed intake")

    assert "Renamed intake" in _get(client)[0]


def test_a_page_kept_for_one_reader_is_never_shown_to_another(client, lead, manager, outsider):
    elsewhere = escape(outsider.supervised_enrolments.get().worker.full_name)
    client.force_login(lead)
    assert elsewhere in _get(client)[0]
    client.force_login(manager)

    mine = _get(client)[0]

    assert "Everyone on a programme in the teams you manage" in mine
    assert elsewhere not in mine


def test_the_next_day_the_page_is_worked_out_again(client, lead, monkeypatch):
    EnrolmentFactory(started_on=date(2026, 9, 7), cohort__intake_on=date(2026, 9, 7))
    client.force_login(lead)
    assert "Week 10 of 52" in _get(client)[0]

    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY + timedelta(days=7))

    assert "Week 11 of 52" in _get(client)[0]


def test_filters_in_error_are_worked_out_each_time_and_say_so_in_the_title(client, lead):
    EnrolmentFactory()
    client.force_login(lead)
    counts = []
    for _attempt in range(2):
        page, count = _get(client, supervisor="999999999")
        assert "<title>Error: Cohort dashboard" in page
        counts.append(count)
    assert counts[0] == counts[1] > 9


@pytest.mark.parametrize(
    "params",
    [{"utm_source": "email"}, {"sort": ["name", "-name"]}],
    ids=["unknown-parameter", "parameter-twice"],
)
def test_an_unexpected_query_string_is_worked_out_and_not_kept(client, lead, params):
    EnrolmentFactory()
    client.force_login(lead)

    counts = [_get(client, **params)[1] for _attempt in range(2)]

    assert counts[0] == counts[1] > 9


def test_each_sort_and_page_is_kept_on_its_own(client, lead, monkeypatch):
    monkeypatch.setattr(importlib.import_module("programmes.views.dashboard"), "ROWS_PER_PAGE", 2)
    EnrolmentFactory.create_batch(3)
    client.force_login(lead)

    first = _main(_get(client, sort="-name", page="2")[0])
    second, served = _get(client, sort="-name", page="2")

    assert _main(second) == first
    assert served == 8  # as above: sorting and pages choose no enrolments
    assert _main(_get(client, sort="name", page="2")[0]) != first


def test_keeping_turned_off_works_every_view_out(client, lead, settings):
    settings.DASHBOARD_CACHE_SECONDS = 0
    EnrolmentFactory()
    client.force_login(lead)

    first, worked_out = _get(client)
    again, counted = _get(client)

    assert _main(again) == _main(first)
    assert counted == worked_out


def test_a_cache_that_is_down_slows_the_page_but_does_not_break_it(client, lead, settings):
    # Nothing listens on port 1: every cache call fails as it would with Redis stopped.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    enrolment = EnrolmentFactory()
    client.force_login(lead)

    assert escape(enrolment.worker.full_name) in _get(client)[0]
    assert "Cohort figures" in _get(client, FIGURES_URL)[0]
