"""The sign-off API: decisions on evidence, read and made with the web's scope and services.

A decision is created, never changed: `signed-off` or `returned` decide on a submitted item;
`reversed`, with the reason as its comment, undoes a sign-off.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from assessments.api.evidence import StatementField
from assessments.models import Evidence, SignOff, Statement
from assessments.services import sign_offs as services
from programmes.api import RefusesUnknownFields, VisibleRelatedField
from supervision.api import PersonNameSerializer


class SignOffSerializer(serializers.ModelSerializer):
    assessor = PersonNameSerializer(read_only=True)
    statements = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    comment = serializers.CharField(read_only=True, allow_blank=True)

    class Meta:
        model = SignOff
        fields = ["id", "evidence", "assessor", "decision", "statements", "comment", "decided_at"]
        read_only_fields = fields


class SignOffCreateSerializer(RefusesUnknownFields):
    unknown_field_message = "This field cannot be set here."

    evidence = VisibleRelatedField(scope=Evidence)
    decision = serializers.ChoiceField(choices=SignOff.Decision.choices)
    comment = serializers.CharField(
        allow_blank=True,
        required=False,
        default="",
        help_text="Required to return an item (what to change) and to reverse (why).",
    )
    statements = StatementField(
        many=True,
        required=False,
        default=list,
        help_text="To sign off: the statements confirmed, at least one.",
    )


@extend_schema_view(
    list=extend_schema(description="Decisions on the evidence this person may see, in order."),
    retrieve=extend_schema(description="One decision."),
    create=extend_schema(
        description=(
            "Decide on a submitted item (its enrolment's assessor, or a lead): sign it off "
            "against the statements confirmed, or return it with a comment; or reverse a "
            "sign-off, giving the reason as the comment."
        ),
        request=SignOffCreateSerializer,
        responses={status.HTTP_201_CREATED: SignOffSerializer},
    ),
)
class SignOffViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = SignOffSerializer
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[SignOff]:
        return (
            SignOff.objects.visible_to(self.request.user)
            .select_related("assessor")
            .prefetch_related(Prefetch("statements", queryset=Statement.objects.only("pk")))
            .order_by("decided_at", "pk")
        )

    def create(self, request: Request, *args: object, **kwargs: object) -> Response:
        incoming = SignOffCreateSerializer(data=request.data, context=self.get_serializer_context())
        incoming.is_valid(raise_exception=True)
        values = incoming.validated_data
        if values["decision"] == SignOff.Decision.REVERSED:
            record = services.reverse_sign_off(
                by=request.user, evidence=values["evidence"], reason=values["comment"]
            )
        else:
            record = services.decide(assessor=request.user, **values)
        record = self.get_queryset().get(pk=record.pk)
        return Response(self.get_serializer(record).data, status=status.HTTP_201_CREATED)


def register(router: object) -> None:
    """Adds this part's viewsets to the router."""
    router.register("sign-offs", SignOffViewSet, basename="sign-off")
