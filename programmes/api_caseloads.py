"""The caseload API: figures sent in bulk by a case-management system, and the breaches found.

The same scoping and services as the web and the CSV import: figures go through
`ingest_caseload_snapshots` (all or nothing, idempotent per enrolment and day), breaches are
read through `breaches_for` and worked through the acknowledge and resolve services.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet, prefetch_related_objects
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import ISO_8601

from people.models import Role, User
from programmes.api import PersonSummarySerializer, RefusesUnknownFields
from programmes.models import CaseloadBreach, CaseloadSnapshot, Enrolment
from programmes.models.caseloads import MOST_CASES
from programmes.rules import CASELOAD_LIMITS
from programmes.selectors.caseloads import breaches_for, can_record_caseload, can_work_breach
from programmes.services.caseloads import (
    SnapshotRow,
    _check_figures,
    acknowledge_caseload_breach,
    enrolment_on,
    enrolments_by_worker,
    ingest_caseload_snapshots,
    resolve_caseload_breach,
)

# A day's export for a large authority is a few thousand workers; more in one request is a
# mistake (or a file sent whole instead of by day), and would hold the snapshot rows locked.
MOST_FIGURES_PER_REQUEST = 5000
# Who may send figures at all; each figure is then checked against `can_record_caseload`.
SENDING_ROLES = (Role.LEAD, Role.SUPERVISOR, Role.MANAGER)

# An error answer this module declares itself: a filter on a list can be refused. The component
# is the one config.api.ApiSchema registers for every operation that reads a body.
REFUSED = OpenApiResponse(
    response={"$ref": "#/components/schemas/FieldErrors"},
    description="The input was refused; nothing was changed.",
)
_MESSAGES = {"type": "array", "items": {"type": "string"}}
FIGURES_REFUSED = OpenApiResponse(
    response={
        "type": "object",
        "description": (
            "What is wrong with each refused figure, by its position in the list (from 0) and "
            "then by field name; `non_field_errors` for the list as a whole, or `detail` when "
            "the body could not be read at all."
        ),
        "additionalProperties": {
            "oneOf": [
                {"type": "string"},
                _MESSAGES,
                {"type": "object", "additionalProperties": _MESSAGES},
            ]
        },
    },
    description="One or more figures were refused; none was saved.",
)


class CaseloadSnapshotSerializer(serializers.ModelSerializer):
    """A day's caseload figures as stored, whichever way they arrived."""

    worker = PersonSummarySerializer(source="enrolment.worker", read_only=True)
    recorded_by = PersonSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = CaseloadSnapshot
        fields = [
            "id",
            "enrolment",
            "worker",
            "as_of",
            "open_cases",
            "child_protection_cases",
            "complex_cases",
            "weighted_complexity",
            "source",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields


class CaseloadFigureSerializer(serializers.Serializer):
    """One worker's figures for one day, as a case-management system sends them."""

    unknown_field_message = "This field cannot be set here."

    worker = serializers.CharField(
        max_length=254, help_text="The worker's email address, or Social Work England number."
    )
    as_of = serializers.DateField(
        input_formats=[ISO_8601], help_text="The day the figures are for (YYYY-MM-DD)."
    )
    open_cases = serializers.IntegerField(min_value=0, max_value=MOST_CASES)
    child_protection_cases = serializers.IntegerField(
        min_value=0,
        max_value=MOST_CASES,
        required=False,
        allow_null=True,
        default=0,
        help_text="Child-protection cases held as lead; 0 if left out.",
    )
    complex_cases = serializers.IntegerField(
        min_value=0,
        max_value=MOST_CASES,
        required=False,
        allow_null=True,
        default=None,
        help_text="Care proceedings (or safeguarding enquiries) held as lead; unknown if left out.",
    )
    weighted_complexity = serializers.DecimalField(
        max_digits=6,
        decimal_places=2,
        min_value=0,
        required=False,
        allow_null=True,
        default=None,
    )

    def to_internal_value(self, data: object) -> dict:
        # RefusesUnknownFields reads `initial_data`, which a serializer reused for every item of
        # a list does not have: the same refusal, made from the item itself.
        if isinstance(data, Mapping):
            unknown = set(data) - set(self.fields)
            if unknown:
                raise serializers.ValidationError(
                    {name: [self.unknown_field_message] for name in sorted(unknown)}
                )
        return super().to_internal_value(data)


class IngestSummarySerializer(serializers.Serializer):
    created = serializers.IntegerField(help_text="Figures for a day that had none.")
    updated = serializers.IntegerField(help_text="Corrections: a day's figures replaced.")
    unchanged = serializers.IntegerField(help_text="The same figures as already stored.")


class SnapshotFilterSerializer(serializers.Serializer):
    enrolment = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False)


def _may_send_figures(user: User) -> bool:
    return any(user.has_role(role) for role in SENDING_ROLES)


def _snapshot_rows(user: User, items: list) -> list[SnapshotRow]:
    """Each figure checked and matched to the enrolment it belongs to, or every refusal at once.

    A worker is looked for only among the enrolments this person may see, so a refusal says
    nothing about anyone else's. Five queries whatever the number of figures.
    """
    item = CaseloadFigureSerializer()
    errors: dict[str, dict] = {}
    figures: dict[int, dict] = {}
    for index, data in enumerate(items):
        try:
            figures[index] = item.run_validation(data)
        except serializers.ValidationError as error:
            errors[str(index)] = error.detail
    visible = Enrolment.objects.visible_to(user).values("pk")
    by_worker = enrolments_by_worker((v["worker"] for v in figures.values()), within=visible)
    prefetch_related_objects(
        list({e.pk: e for found in by_worker.values() for e in found}.values()), "worker__team"
    )
    rows = []
    for index, values in figures.items():
        row = SnapshotRow(
            enrolment_id=0,
            as_of=values["as_of"],
            open_cases=values["open_cases"],
            child_protection_cases=values["child_protection_cases"] or 0,
            complex_cases=values["complex_cases"],
            weighted_complexity=values["weighted_complexity"],
        )
        problems = dict(_check_figures(row))
        enrolment = None
        found = by_worker.get(values["worker"].strip().lower())
        if not found:
            problems.setdefault(
                "worker",
                _("No worker you may see has this email address or Social Work England number."),
            )
        elif (enrolment := enrolment_on(found, row.as_of)) is None:
            problems.setdefault(
                "as_of",
                _("This worker was not on a programme on this date: check it against their start."),
            )
        elif enrolment.status != Enrolment.Status.ACTIVE:
            problems.setdefault(
                "worker", _("This worker's programme has ended: figures are no longer recorded.")
            )
        elif not can_record_caseload(user, enrolment):
            problems.setdefault(
                "worker", _("You may send figures only for workers you supervise or manage.")
            )
        if problems:
            errors[str(index)] = {field: [str(message)] for field, message in problems.items()}
        else:
            rows.append(replace(row, enrolment_id=enrolment.pk))
    if errors:
        raise serializers.ValidationError({key: errors[key] for key in sorted(errors, key=int)})
    return rows


@extend_schema_view(
    list=extend_schema(
        description="Caseload figures of the enrolments this person may see, the latest first.",
        parameters=[
            OpenApiParameter(
                "enrolment", OpenApiTypes.INT, description="Only this enrolment's figures."
            )
        ],
        responses={status.HTTP_200_OK: CaseloadSnapshotSerializer, 400: REFUSED},
    ),
    retrieve=extend_schema(description="One day's caseload figures for one enrolment."),
    create=extend_schema(
        description=(
            "Send a list of caseload figures, at most "
            f"{MOST_FIGURES_PER_REQUEST:,}: a programme lead (a system integration holds a "
            "lead's token) for anyone, a supervisor or manager for the workers they supervise "
            "or manage. Each figure is matched to the worker's enrolment on its date. All or "
            "nothing: one refused figure and none is saved. Sending the same figures again "
            "changes nothing; different figures for a day already stored replace them (the "
            "history keeps the old ones). Two figures for the same worker and day: the later "
            "one counts. Answers 201 when a day had no figures before, 200 otherwise."
        ),
        request={"application/json": CaseloadFigureSerializer(many=True)},
        responses={
            status.HTTP_200_OK: IngestSummarySerializer,
            status.HTTP_201_CREATED: IngestSummarySerializer,
            400: FIGURES_REFUSED,
        },
    ),
)
class CaseloadSnapshotViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = CaseloadSnapshotSerializer
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[CaseloadSnapshot]:
        snapshots = (
            CaseloadSnapshot.objects.visible_to(self.request.user)
            .select_related("enrolment__worker", "recorded_by")
            .order_by("-as_of", "-pk")
        )
        if self.action == "list":
            wanted = SnapshotFilterSerializer(data=self.request.query_params.dict())
            wanted.is_valid(raise_exception=True)
            if "enrolment" in wanted.validated_data:
                snapshots = snapshots.filter(enrolment_id=wanted.validated_data["enrolment"])
        return snapshots

    def create(self, request: Request, *args: object, **kwargs: object) -> Response:
        if not _may_send_figures(request.user):
            raise PermissionDenied  # say so before judging a payload they may not send at all
        items = request.data
        if not isinstance(items, list):
            message = _("Send a JSON list of caseload figures, one object for each worker and day.")
            raise serializers.ValidationError({"non_field_errors": [message]})
        if not items:
            raise serializers.ValidationError(
                {"non_field_errors": [_("Send at least one caseload figure.")]}
            )
        if len(items) > MOST_FIGURES_PER_REQUEST:
            message = _("Send at most %(most)s figures at a time: split the list by day.") % {
                "most": f"{MOST_FIGURES_PER_REQUEST:,}"
            }
            raise serializers.ValidationError({"non_field_errors": [message]})
        rows = _snapshot_rows(request.user, items)
        result = ingest_caseload_snapshots(
            rows=rows, source=CaseloadSnapshot.Source.API, recorded_by=request.user
        )
        summary = IngestSummarySerializer(result).data  # created, updated, unchanged
        answer = status.HTTP_201_CREATED if result.created else status.HTTP_200_OK
        return Response(summary, status=answer)


class CaseloadBreachSerializer(serializers.ModelSerializer):
    """A caseload over its cap: the figures that opened it, the caps that day, and its working."""

    worker = PersonSummarySerializer(source="enrolment.worker", read_only=True)
    team = serializers.CharField(
        source="enrolment.worker.team.name", read_only=True, allow_null=True
    )
    limits = serializers.ListField(
        child=serializers.ChoiceField(choices=CASELOAD_LIMITS),
        read_only=True,
        help_text="The caps that were exceeded.",
    )
    # Read-only model fields lose allow_blank, so the schema would deny the "" they may hold.
    plan = serializers.CharField(read_only=True, allow_blank=True)
    resolution_note = serializers.CharField(read_only=True, allow_blank=True)
    acknowledged_by = PersonSummarySerializer(read_only=True, allow_null=True)
    resolved_by = PersonSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = CaseloadBreach
        fields = [
            "id",
            "enrolment",
            "worker",
            "team",
            "detected_on",
            "snapshot_on",
            "open_cases",
            "cap",
            "child_protection_cases",
            "child_protection_cap",
            "complex_cases",
            "complex_cap",
            "limits",
            "status",
            "plan",
            "plan_due_on",
            "acknowledged_by",
            "acknowledged_at",
            "ended_on",
            "resolved_by",
            "resolved_at",
            "resolution_note",
            "escalated_at",
        ]
        read_only_fields = fields


class BreachFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=CaseloadBreach.Status.choices, required=False)
    enrolment = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False)


class AcknowledgeSerializer(RefusesUnknownFields):
    # Blank is let through so that the service says what to write, as on the web.
    plan = serializers.CharField(
        allow_blank=True, help_text="How the caseload will come back within the cap."
    )
    plan_due_on = serializers.DateField(
        input_formats=[ISO_8601], help_text="The day it will be back within the cap by."
    )


class ResolveSerializer(RefusesUnknownFields):
    resolution_note = serializers.CharField(
        allow_blank=True, help_text="How the breach was resolved."
    )


@extend_schema_view(
    list=extend_schema(
        description=(
            "Breaches this person may see, the oldest first: a manager's teams', a lead's all "
            "(as on the web's breach list)."
        ),
        parameters=[
            OpenApiParameter(
                "status",
                OpenApiTypes.STR,
                enum=CaseloadBreach.Status.values,
                description="Only breaches in this state.",
            ),
            OpenApiParameter(
                "enrolment", OpenApiTypes.INT, description="Only this enrolment's breaches."
            ),
        ],
        responses={status.HTTP_200_OK: CaseloadBreachSerializer, 400: REFUSED},
    ),
    retrieve=extend_schema(description="One breach."),
)
class CaseloadBreachViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CaseloadBreachSerializer
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[CaseloadBreach]:
        if not self.request.user.is_authenticated:
            return CaseloadBreach.objects.none()  # only the schema generator asks unsigned
        breaches = breaches_for(self.request.user)
        if self.action == "list":
            wanted = BreachFilterSerializer(data=self.request.query_params.dict())
            wanted.is_valid(raise_exception=True)
            if "status" in wanted.validated_data:
                breaches = breaches.filter(status=wanted.validated_data["status"])
            if "enrolment" in wanted.validated_data:
                breaches = breaches.filter(enrolment_id=wanted.validated_data["enrolment"])
        return breaches

    def _answer(self, breach: CaseloadBreach) -> Response:
        """The breach as read now, through the same scope as every other read."""
        return Response(self.get_serializer(self.get_queryset().get(pk=breach.pk)).data)

    def _incoming(self, serializer_class: type[serializers.Serializer]) -> dict:
        incoming = serializer_class(data=self.request.data, context=self.get_serializer_context())
        incoming.is_valid(raise_exception=True)
        return incoming.validated_data

    def _workable(self) -> CaseloadBreach:
        breach = self.get_object()
        if not can_work_breach(self.request.user, breach):
            raise PermissionDenied  # resolved already: say so before judging the payload
        return breach

    @extend_schema(
        description=(
            "The worker's manager (or a lead) owns an open breach: how the caseload comes "
            "down, and by when. Past that date it goes to the programme leads."
        ),
        request=AcknowledgeSerializer,
        responses=CaseloadBreachSerializer,
    )
    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, pk: str | None = None) -> Response:
        breach = self._workable()
        values = self._incoming(AcknowledgeSerializer)
        acknowledge_caseload_breach(acknowledged_by=request.user, breach=breach, **values)
        return self._answer(breach)

    @extend_schema(
        description=(
            "Close a breach by hand, for instance when the figure that opened it was wrong. "
            "If the caseload is in fact still over the cap, the next detection opens a new one."
        ),
        request=ResolveSerializer,
        responses=CaseloadBreachSerializer,
    )
    @action(detail=True, methods=["post"])
    def resolve(self, request: Request, pk: str | None = None) -> Response:
        breach = self._workable()
        values = self._incoming(ResolveSerializer)
        resolve_caseload_breach(resolved_by=request.user, breach=breach, **values)
        return self._answer(breach)
