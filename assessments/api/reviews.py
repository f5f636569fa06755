"""The reviews API: the same scoping and the same service as the web."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from assessments.models import Concern, Progress, Review
from assessments.services import reviews as services
from programmes.api import RefusesUnknownFields, VisibleRelatedField
from programmes.models import Enrolment


class ConcernSerializer(serializers.ModelSerializer):
    """A concern opened at the review, as read."""

    outcome = serializers.CharField(read_only=True, allow_blank=True)

    class Meta:
        model = Concern
        fields = ["id", "opened_on", "reason", "action_plan", "review_on", "status", "outcome"]
        read_only_fields = fields


class ReviewSerializer(serializers.ModelSerializer):
    """A review as read: the point it answers, the judgement, and any concern it opened."""

    recorded_by = serializers.CharField(source="recorded_by.full_name", read_only=True)
    # Read-only model fields lose allow_blank, so the schema would deny the "" they may hold.
    actions = serializers.CharField(read_only=True, allow_blank=True)
    concerns = ConcernSerializer(many=True, read_only=True)

    class Meta:
        model = Review
        fields = [
            "id",
            "enrolment",
            "months",
            "is_final",
            "held_on",
            "attendees",
            "progress",
            "summary",
            "actions",
            "recorded_by",
            "recorded_at",
            "concerns",
        ]
        read_only_fields = fields


def _text(**kwargs: object) -> serializers.CharField:
    """Free text; DRF refuses NUL characters, which PostgreSQL cannot store."""
    return serializers.CharField(**kwargs)


class ReviewCreateSerializer(RefusesUnknownFields):
    """A review at a review point, as the assessor, the supervisor or a lead records it."""

    unknown_field_message = "This field cannot be set here."

    enrolment = VisibleRelatedField(scope=Enrolment)
    months = serializers.IntegerField(
        min_value=0, max_value=120, help_text="The review point, in programme months."
    )
    held_on = serializers.DateField()
    attendees = _text()
    progress = serializers.ChoiceField(choices=Progress.choices)
    summary = _text()
    actions = _text(required=False, default="", allow_blank=True)
    concern_reason = _text(
        required=False,
        default="",
        allow_blank=True,
        help_text="When progress is causing-concern: what the concern is (else the summary).",
    )
    action_plan = _text(
        required=False,
        default="",
        allow_blank=True,
        help_text="Needed when progress is causing-concern.",
    )
    review_on = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Needed when progress is causing-concern: when the plan is reviewed.",
    )


@extend_schema_view(
    list=extend_schema(description="Reviews on the enrolments this person may see."),
    retrieve=extend_schema(description="One review, with any concern it opened."),
    create=extend_schema(
        description=(
            "Record a review at one of the programme's review points not yet recorded (the "
            "enrolment's assessor or supervisor, or a lead). Progress causing-concern opens a "
            "concern with its action plan."
        ),
        request=ReviewCreateSerializer,
        responses={status.HTTP_201_CREATED: ReviewSerializer},
    ),
)
class ReviewViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ReviewSerializer
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[Review]:
        return (
            Review.objects.visible_to(self.request.user)
            .select_related("recorded_by")
            .prefetch_related(Prefetch("concerns", queryset=Concern.objects.order_by("pk")))
            .order_by("enrolment_id", "months", "pk")
        )

    def create(self, request: Request, *args: object, **kwargs: object) -> Response:
        incoming = ReviewCreateSerializer(data=request.data, context=self.get_serializer_context())
        incoming.is_valid(raise_exception=True)
        values = dict(incoming.validated_data)
        if values["progress"] != Progress.CAUSING_CONCERN:
            values.update(concern_reason="", action_plan="", review_on=None)
        review = services.record_review(recorded_by=request.user, **values)
        review = self.get_queryset().get(pk=review.pk)
        return Response(self.get_serializer(review).data, status=status.HTTP_201_CREATED)


def register(router: DefaultRouter) -> None:
    """Adds this part's viewsets to the router."""
    router.register("reviews", ReviewViewSet, basename="review")
