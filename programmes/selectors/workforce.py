"""Reads for the workforce summary: who is on each programme, how they are employed, their
caseloads, who left, and the agency workers the agency rule flags.

The counts reuse `programmes.selectors.figures`; the rule itself is `rules.agency_rule_reasons`.
A fixed number of queries per programme shown, whatever the number of people.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from people.models import ServiceArea, User
from programmes import rules
from programmes.models import Enrolment, Programme
from programmes.selectors import managed_enrolments
from programmes.selectors.figures import CaseloadBands, Outcomes, caseload_bands, outcome_counts

AGENCY_RULE_REASON_LABELS = {
    rules.UNDER_FIVE_YEARS_PQE: _("Under five years' post-qualifying experience"),
    rules.NO_COMPLETED_ASYE: _("No completed ASYE"),
    rules.QUALIFICATION_DATE_NOT_RECORDED: _("Qualification date not recorded"),
}


@dataclass(frozen=True)
class AgencyRuleFlag:
    enrolment: Enrolment
    reasons: tuple[str, ...]

    @property
    def reasons_in_words(self) -> str:
        return "; ".join(str(AGENCY_RULE_REASON_LABELS[reason]) for reason in self.reasons)

    @property
    def is_flagged(self) -> bool:
        return rules.QUALIFICATION_DATE_NOT_RECORDED not in self.reasons


@dataclass(frozen=True)
class ProgrammeWorkforce:
    programme: Programme
    outcomes: Outcomes
    permanent: int  # active participants
    agency: int
    caseloads: CaseloadBands
    flags: tuple[AgencyRuleFlag, ...]  # flagged, and those whose qualification date is unknown

    @property
    def flagged(self) -> tuple[AgencyRuleFlag, ...]:
        return tuple(flag for flag in self.flags if flag.is_flagged)

    @property
    def qualification_not_recorded(self) -> tuple[AgencyRuleFlag, ...]:
        return tuple(flag for flag in self.flags if not flag.is_flagged)

    def flagged_for(self, reason: str) -> int:
        return sum(1 for flag in self.flags if reason in flag.reasons)


def with_completed_asye(enrolments: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    """Each enrolment annotated `has_completed_asye`: its worker has completed an ASYE (or its
    successor), on a seeded programme or a local variant of one."""
    asye = Q(cohort__programme__code__in=rules.ASYE_PROGRAMME_CODES) | Q(
        cohort__programme__based_on__code__in=rules.ASYE_PROGRAMME_CODES
    )
    completed = Enrolment.objects.filter(
        asye, worker=OuterRef("worker_id"), status=Enrolment.Status.COMPLETED
    )
    return enrolments.annotate(has_completed_asye=Exists(completed))


def agency_rule_flags(enrolments: QuerySet[Enrolment], *, on: date) -> list[AgencyRuleFlag]:
    """The active agency workers in children's teams the rule flags, or whose qualification
    date is not recorded, by name. One query."""
    candidates = with_completed_asye(
        enrolments.current().filter(
            worker__employment_type=User.EmploymentType.AGENCY,
            worker__team__service_area=ServiceArea.CHILDREN,
        )
    ).select_related("worker__team", "cohort__programme")
    flags = []
    for enrolment in candidates.order_by("worker__full_name", "pk"):
        worker = enrolment.worker
        reasons = rules.agency_rule_reasons(
            employment_type=worker.employment_type,
            service_area=worker.team.service_area if worker.team else None,
            qualified_on=worker.qualified_on,
            on=on,
            has_completed_asye=enrolment.has_completed_asye,
        )
        if reasons:
            flags.append(AgencyRuleFlag(enrolment=enrolment, reasons=reasons))
    return flags


def programme_workforce(
    enrolments: QuerySet[Enrolment], programme: Programme, *, on: date
) -> ProgrammeWorkforce:
    """One programme's figures over the enrolments given. Seven queries."""
    on_programme = enrolments.filter(cohort__programme=programme)
    employment = dict(
        on_programme.current()
        .order_by()
        .values_list("worker__employment_type")
        .annotate(count=Count("pk"))
    )
    return ProgrammeWorkforce(
        programme=programme,
        outcomes=outcome_counts(on_programme),
        permanent=employment.get(User.EmploymentType.PERMANENT, 0),
        agency=employment.get(User.EmploymentType.AGENCY, 0),
        caseloads=caseload_bands(on_programme, on=on),
        flags=tuple(agency_rule_flags(on_programme, on=on)),
    )


def workforce_summary(user: User, *, on: date) -> list[ProgrammeWorkforce]:
    """Each programme with enrolments this person may see in the summary, by code."""
    enrolments = managed_enrolments(user)
    programmes = Programme.objects.filter(
        pk__in=enrolments.order_by().values("cohort__programme_id")
    ).order_by("code")
    return [programme_workforce(enrolments, programme, on=on) for programme in programmes]
