"""The programmes API: the same scoping and the same services as the web."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from people.models import Role, ServiceArea, Team, User
from programmes import selectors, services
from programmes.models import Cohort, Enrolment, Programme
from programmes.rules import MAXIMUM_FTE, MINIMUM_FTE


class ProgrammeSerializer(serializers.ModelSerializer):
    # Read-only model fields lose allow_blank, so the schema would deny the "" (serves both).
    service_area = serializers.ChoiceField(
        choices=ServiceArea.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = Programme
        fields = [
            "id",
            "code",
            "name",
            "description",
            "status",
            "in_force_from",
            "in_force_to",
            "based_on",
            *Programme.RULE_FIELDS,
        ]
        read_only_fields = fields


class CohortSerializer(serializers.ModelSerializer):
    programme_code = serializers.CharField(source="programme.code", read_only=True)

    class Meta:
        model = Cohort
        fields = ["id", "name", "programme", "programme_code", "intake_on"]
        read_only_fields = fields


class PersonSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "full_name", "email"]
        read_only_fields = fields


class MilestoneSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    due_on = serializers.DateField()


class EnrolmentSerializer(serializers.ModelSerializer):
    """An enrolment as read: its people, and its derived end date and milestones."""

    worker = PersonSummarySerializer(read_only=True)
    supervisor = PersonSummarySerializer(read_only=True, allow_null=True)
    assessor = PersonSummarySerializer(read_only=True, allow_null=True)
    team = serializers.CharField(source="worker.team.name", read_only=True, allow_null=True)
    programme_code = serializers.CharField(source="cohort.programme.code", read_only=True)
    expected_end_on = serializers.SerializerMethodField()
    milestones = serializers.SerializerMethodField()

    class Meta:
        model = Enrolment
        fields = [
            "id",
            "worker",
            "cohort",
            "programme_code",
            "team",
            "started_on",
            "fte",
            "supervisor",
            "assessor",
            "status",
            "ended_on",
            "expected_end_on",
            "milestones",
        ]
        read_only_fields = fields

    def _timeline(self, enrolment: Enrolment) -> selectors.Timeline:
        cache = self.context.setdefault("timelines", {})
        if enrolment.pk not in cache:
            cache[enrolment.pk] = selectors.enrolment_timeline(enrolment, on=timezone.localdate())
        return cache[enrolment.pk]

    @extend_schema_field(serializers.DateField())
    def get_expected_end_on(self, enrolment: Enrolment) -> str:
        return self._timeline(enrolment).expected_end_on.isoformat()

    @extend_schema_field(MilestoneSerializer(many=True))
    def get_milestones(self, enrolment: Enrolment) -> list[dict]:
        return [
            {
                "key": milestone.key,
                "label": selectors.milestone_label(milestone),
                "due_on": milestone.due_on.isoformat(),
            }
            for milestone in self._timeline(enrolment).milestones
        ]


@extend_schema_field(OpenApiTypes.INT)  # an id; the schema cannot see a queryset made per call
class VisibleRelatedField(serializers.PrimaryKeyRelatedField):
    """A related field whose choices are what the caller may see, and no more."""

    def __init__(self, *, scope: type, role: str | None = None, **kwargs: object) -> None:
        self.scope, self.role = scope, role
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet:
        user = self.context["request"].user
        queryset = self.scope.objects.visible_to(user)
        if self.role is not None:
            queryset = queryset.filter(role_memberships__role=self.role)
        return queryset


class RefusesUnknownFields(serializers.Serializer):
    """A field the caller may not set is refused with its name, not silently ignored."""

    unknown_field_message = "This field cannot be changed here."

    def validate(self, attrs: dict) -> dict:
        unknown = set(self.initial_data) - set(self.fields)
        if unknown:
            raise serializers.ValidationError(
                {name: [self.unknown_field_message] for name in sorted(unknown)}
            )
        return attrs


class EnrolmentCreateSerializer(RefusesUnknownFields):
    """A lead enrols a person, found by email or created, exactly as the web form does."""

    unknown_field_message = "This field cannot be set here."

    cohort = VisibleRelatedField(scope=Cohort)
    email = serializers.EmailField(max_length=254)
    full_name = serializers.CharField(max_length=200)
    team = VisibleRelatedField(scope=Team)
    started_on = serializers.DateField()
    fte = serializers.DecimalField(
        max_digits=3, decimal_places=2, min_value=MINIMUM_FTE, max_value=MAXIMUM_FTE
    )
    supervisor = VisibleRelatedField(
        scope=User, role=Role.SUPERVISOR, required=False, allow_null=True
    )
    assessor = VisibleRelatedField(scope=User, role=Role.ASSESSOR, required=False, allow_null=True)
    swe_registration_number = serializers.CharField(max_length=20, required=False, default="")
    employment_type = serializers.ChoiceField(
        choices=User.EmploymentType.choices, required=False, default=User.EmploymentType.PERMANENT
    )


class EnrolmentUpdateSerializer(RefusesUnknownFields):
    """What a lead may change on an enrolment; anything else is refused, not ignored."""

    started_on = serializers.DateField(required=False)
    fte = serializers.DecimalField(
        max_digits=3,
        decimal_places=2,
        min_value=MINIMUM_FTE,
        max_value=MAXIMUM_FTE,
        required=False,
    )
    supervisor = VisibleRelatedField(
        scope=User, role=Role.SUPERVISOR, required=False, allow_null=True
    )
    assessor = VisibleRelatedField(scope=User, role=Role.ASSESSOR, required=False, allow_null=True)
    reason = serializers.CharField(max_length=500)


@extend_schema_view(
    create=extend_schema(request=EnrolmentCreateSerializer, responses=EnrolmentSerializer),
    partial_update=extend_schema(request=EnrolmentUpdateSerializer, responses=EnrolmentSerializer),
)
class EnrolmentViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    serializer_class = EnrolmentSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Enrolment]:
        visible = Enrolment.objects.visible_to(self.request.user)
        return selectors.enrolments_for_list(visible).order_by("pk")

    def create(self, request: Request, *args: object, **kwargs: object) -> Response:
        if not selectors.can_manage_cohorts(request.user):
            raise PermissionDenied  # say so before judging a payload they may not send at all
        incoming = EnrolmentCreateSerializer(data=request.data, context={"request": request})
        incoming.is_valid(raise_exception=True)
        enrolment = services.enrol_worker(enrolled_by=request.user, **incoming.validated_data)
        enrolment = self.get_queryset().get(pk=enrolment.pk)
        return Response(self.get_serializer(enrolment).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: object, **kwargs: object) -> Response:
        enrolment = self.get_object()
        if not selectors.can_change_enrolment(request.user, enrolment):
            raise PermissionDenied
        incoming = EnrolmentUpdateSerializer(data=request.data, context={"request": request})
        incoming.is_valid(raise_exception=True)
        changes = {
            "started_on": enrolment.started_on,
            "fte": enrolment.fte,
            "supervisor": enrolment.supervisor,
            "assessor": enrolment.assessor,
            **incoming.validated_data,
        }
        services.update_enrolment(changed_by=request.user, enrolment=enrolment, **changes)
        enrolment = self.get_queryset().get(pk=enrolment.pk)
        return Response(self.get_serializer(enrolment).data)


class ProgrammeViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ProgrammeSerializer

    def get_queryset(self) -> QuerySet[Programme]:
        return Programme.objects.visible_to(self.request.user).order_by("pk")


class CohortViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CohortSerializer

    def get_queryset(self) -> QuerySet[Cohort]:
        return (
            Cohort.objects.visible_to(self.request.user).select_related("programme").order_by("pk")
        )
