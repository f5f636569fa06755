"""The observations API: the same scoping and the same service as the web."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from assessments.models import Evidence, Observation, ObservationJudgement
from assessments.services import observations as services
from programmes.api import RefusesUnknownFields, VisibleRelatedField
from programmes.models import Enrolment


class JudgementSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="statement.code", read_only=True)

    class Meta:
        model = ObservationJudgement
        fields = ["statement", "code", "judgement"]
        read_only_fields = fields


class ObservationSerializer(serializers.ModelSerializer):
    """An observation as read: its evidence's date and status, and a judgement per statement."""

    enrolment = serializers.IntegerField(source="evidence.enrolment_id", read_only=True)
    occurred_on = serializers.DateField(source="evidence.occurred_on", read_only=True)
    status = serializers.ChoiceField(
        source="evidence.status", choices=Evidence.Status.choices, read_only=True
    )
    observer = serializers.CharField(source="observer.full_name", read_only=True)
    # Read-only model fields lose allow_blank, so the schema would deny the "" they may hold.
    feedback = serializers.CharField(read_only=True, allow_blank=True)
    worker_reflection = serializers.CharField(read_only=True, allow_blank=True)
    judgements = JudgementSerializer(many=True, read_only=True)

    class Meta:
        model = Observation
        fields = [
            "id",
            "evidence",
            "enrolment",
            "occurred_on",
            "status",
            "observer",
            "setting",
            "what_was_observed",
            "feedback",
            "worker_reflection",
            "worker_reflected_at",
            "judgements",
        ]
        read_only_fields = fields


JUDGEMENT_ROW_SCHEMA = {
    "type": "array",
    "minItems": 1,
    "items": {
        "type": "object",
        "properties": {
            "statement": {"type": "integer", "description": "A statement of the framework."},
            "judgement": {"type": "string", "enum": list(ObservationJudgement.Judgement.values)},
        },
        "required": ["statement", "judgement"],
        "additionalProperties": False,
    },
}


@extend_schema_field(JUDGEMENT_ROW_SCHEMA)
class JudgementsField(serializers.Field):
    """A list of {statement, judgement}, read into {statement id: judgement}.

    Its errors are one flat list of sentences, as every other field's, not nested by row.
    """

    def to_internal_value(self, data: object) -> dict[int, str]:
        if not isinstance(data, list) or not data:
            raise serializers.ValidationError("Give at least one judgement.")
        chosen: dict[int, str] = {}
        for row in data:
            if not isinstance(row, dict) or set(row) != {"statement", "judgement"}:
                raise serializers.ValidationError(
                    "Give each judgement as a statement and a judgement, and nothing else."
                )
            statement, judgement = row["statement"], row["judgement"]
            if type(statement) is not int or not 0 < statement < 2**31:
                raise serializers.ValidationError("A statement is given by its id, a number.")
            if judgement not in ObservationJudgement.Judgement.values:
                raise serializers.ValidationError("A judgement is meets, not-yet or not-seen.")
            if statement in chosen:
                raise serializers.ValidationError("Judge each statement once.")
            chosen[statement] = judgement
        return chosen

    def to_representation(self, value: object) -> object:
        return value


class ObservationCreateSerializer(RefusesUnknownFields):
    """An observation as its observer records it; the keywords of the service."""

    unknown_field_message = "This field cannot be set here."

    enrolment = VisibleRelatedField(scope=Enrolment)
    occurred_on = serializers.DateField()
    setting = serializers.CharField(max_length=200)
    what_was_observed = serializers.CharField()
    feedback = serializers.CharField(allow_blank=True, required=False, default="")
    judgements = JudgementsField()


@extend_schema_view(
    list=extend_schema(description="Direct observations this person may see, the latest first."),
    retrieve=extend_schema(description="One observation, with its judgements."),
    create=extend_schema(
        description=(
            "Record a direct observation (the enrolment's assessor or supervisor, or a lead). "
            "It is submitted for sign-off straight away; statements judged `meets` are tagged."
        ),
        request=ObservationCreateSerializer,
        responses={status.HTTP_201_CREATED: ObservationSerializer},
    ),
)
class ObservationViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ObservationSerializer

    def get_queryset(self) -> QuerySet[Observation]:
        judgements = ObservationJudgement.objects.select_related("statement__standard")
        return (
            Observation.objects.visible_to(self.request.user)
            .select_related("evidence", "observer")
            .prefetch_related(Prefetch("judgements", queryset=judgements))
            .order_by("-evidence__occurred_on", "-pk")
        )

    def create(self, request: Request, *args: object, **kwargs: object) -> Response:
        incoming = ObservationCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        incoming.is_valid(raise_exception=True)
        evidence = services.record_observation(recorded_by=request.user, **incoming.validated_data)
        observation = self.get_queryset().get(evidence=evidence)
        return Response(self.get_serializer(observation).data, status=status.HTTP_201_CREATED)


def register(router: DefaultRouter) -> None:
    """Adds this part's viewsets to the router."""
    router.register("observations", ObservationViewSet, basename="observation")
