"""The evidence API: the same scoping (a draft is its author's alone) and the same services as
the web. Attachments are added and read through the web pages, which check the file's bytes."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from assessments.models import Evidence, Statement
from assessments.selectors import evidence as selectors
from assessments.services import evidence as services
from programmes.api import RefusesUnknownFields, VisibleRelatedField
from programmes.models import Enrolment
from supervision.api import PersonNameSerializer

REFUSED = OpenApiResponse(
    response={"$ref": "#/components/schemas/FieldErrors"},
    description="The input was refused; nothing was changed.",
)


def _text(**kwargs: object) -> serializers.CharField:
    """Free text: may be blank; DRF refuses NUL characters, which PostgreSQL cannot store."""
    return serializers.CharField(allow_blank=True, trim_whitespace=False, **kwargs)


class EvidenceSerializer(serializers.ModelSerializer):
    """An item as read: what it says, the statements it shows, where it stands."""

    worker = PersonNameSerializer(source="enrolment.worker", read_only=True)
    author = PersonNameSerializer(read_only=True, allow_null=True)
    statements = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    what_happened = serializers.CharField(read_only=True, allow_blank=True)
    what_i_learned = serializers.CharField(read_only=True, allow_blank=True)
    what_i_will_do = serializers.CharField(read_only=True, allow_blank=True)
    body = serializers.CharField(read_only=True, allow_blank=True)
    source_name = serializers.CharField(read_only=True, allow_blank=True)
    source_relationship = serializers.CharField(read_only=True, allow_blank=True)
    attachment_name = serializers.CharField(read_only=True, allow_blank=True)
    attachment_type = serializers.CharField(read_only=True, allow_blank=True)
    title = serializers.CharField(read_only=True, allow_blank=True)

    class Meta:
        model = Evidence
        fields = [
            "id",
            "enrolment",
            "worker",
            "author",
            "kind",
            "title",
            "occurred_on",
            "what_happened",
            "what_i_learned",
            "what_i_will_do",
            "body",
            "source_name",
            "source_relationship",
            "statements",
            "status",
            "submitted_at",
            "times_submitted",
            "attachment_name",
            "attachment_type",
            "attachment_bytes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class StatementField(serializers.PrimaryKeyRelatedField):
    """Any statement by id; the service refuses one outside the enrolment's framework."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(queryset=Statement.objects.all(), **kwargs)


class EvidenceCreateSerializer(RefusesUnknownFields):
    """A draft, as its worker starts it; the keywords of the service."""

    unknown_field_message = "This field cannot be set here."

    enrolment = VisibleRelatedField(scope=Enrolment)
    kind = serializers.ChoiceField(choices=[(k.value, k.label) for k in selectors.WRITTEN_KINDS])
    title = serializers.CharField(max_length=200)
    occurred_on = serializers.DateField()
    what_happened = _text(required=False, default="")
    what_i_learned = _text(required=False, default="")
    what_i_will_do = _text(required=False, default="")
    body = _text(required=False, default="")
    source_name = _text(required=False, default="", max_length=200)
    source_relationship = _text(required=False, default="", max_length=200)
    statements = StatementField(many=True, required=False, default=list)


class EvidenceUpdateSerializer(RefusesUnknownFields):
    """What may change on a draft or a returned item; a field left out keeps its value."""

    title = serializers.CharField(max_length=200, required=False)
    occurred_on = serializers.DateField(required=False)
    what_happened = _text(required=False)
    what_i_learned = _text(required=False)
    what_i_will_do = _text(required=False)
    body = _text(required=False)
    source_name = _text(required=False, max_length=200)
    source_relationship = _text(required=False, max_length=200)
    statements = StatementField(many=True, required=False)


class SubmitSerializer(RefusesUnknownFields):
    """Submitting takes no fields: one sent with it would not be saved, so it is refused."""


UPDATABLE = (
    "title",
    "occurred_on",
    "what_happened",
    "what_i_learned",
    "what_i_will_do",
    "body",
    "source_name",
    "source_relationship",
)


@extend_schema_view(
    list=extend_schema(
        description="Evidence this person may see (their own drafts, others' submitted items)."
    ),
    retrieve=extend_schema(description="One item of evidence."),
    create=extend_schema(
        description="Start a draft (the enrolment's worker only), seen by them alone.",
        request=EvidenceCreateSerializer,
        responses={status.HTTP_201_CREATED: EvidenceSerializer},
    ),
    partial_update=extend_schema(
        description="Change a draft or returned item (its author); signed-off items are locked.",
        request=EvidenceUpdateSerializer,
        responses=EvidenceSerializer,
    ),
)
class EvidenceViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    serializer_class = EvidenceSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Evidence]:
        return (
            Evidence.objects.visible_to(self.request.user)
            .select_related("enrolment__worker", "author")
            .prefetch_related(Prefetch("statements", queryset=Statement.objects.only("pk")))
            .order_by("-occurred_on", "-pk")
        )

    def _answer(self, evidence: Evidence, **kwargs: object) -> Response:
        evidence = self.get_queryset().get(pk=evidence.pk)
        return Response(self.get_serializer(evidence).data, **kwargs)

    def _incoming(self, serializer_class: type[serializers.Serializer]) -> dict:
        incoming = serializer_class(data=self.request.data, context=self.get_serializer_context())
        incoming.is_valid(raise_exception=True)
        return incoming.validated_data

    def create(self, request: Request, *args: object, **kwargs: object) -> Response:
        values = self._incoming(EvidenceCreateSerializer)
        evidence = services.create_evidence(created_by=request.user, **values)
        return self._answer(evidence, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: object, **kwargs: object) -> Response:
        evidence = self.get_object()
        if not selectors.can_edit(request.user, evidence):
            raise PermissionDenied  # locked, waiting, or not theirs: before judging the payload
        changes = {field: getattr(evidence, field) for field in UPDATABLE}
        changes["statements"] = list(evidence.statements.all())
        changes |= self._incoming(EvidenceUpdateSerializer)
        services.update_evidence(updated_by=request.user, evidence=evidence, **changes)
        return self._answer(evidence)

    @extend_schema(
        description=(
            "Send a draft, or a returned item again, to the assessor. It needs a title, a date, "
            "its text and at least one statement."
        ),
        request=None,
        responses={status.HTTP_200_OK: EvidenceSerializer, 400: REFUSED},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        evidence = self.get_object()
        if not selectors.can_submit(request.user, evidence):
            raise PermissionDenied
        self._incoming(SubmitSerializer)
        services.submit_evidence(submitted_by=request.user, evidence=evidence)
        return self._answer(evidence)


def register(router: object) -> None:
    """Adds this part's viewsets to the router."""
    router.register("evidence", EvidenceViewSet, basename="evidence")
