"""The supervision API: the same scoping and the same services as the web."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from people.models import User
from programmes.api import RefusesUnknownFields, VisibleRelatedField
from programmes.models import Enrolment
from supervision import selectors, services
from supervision.models import SupervisionAction, SupervisionAmendment, SupervisionSession

# An error answer this module declares itself, where config.api.ApiSchema would not: an operation
# without a body (sign) or with a filter (open) can still be refused. The component is the one
# ApiSchema registers for every operation that reads a body.
REFUSED = OpenApiResponse(
    response={"$ref": "#/components/schemas/FieldErrors"},
    description="The input was refused; nothing was changed.",
)


class PersonNameSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "full_name"]
        read_only_fields = fields


class SupervisionActionSerializer(serializers.ModelSerializer):
    """An agreed action as read: who does it, by when, and whether it is done."""

    enrolment = serializers.IntegerField(source="session.enrolment_id", read_only=True)
    owner = PersonNameSerializer(read_only=True)
    done_by = PersonNameSerializer(read_only=True, allow_null=True)

    class Meta:
        model = SupervisionAction
        fields = [
            "id",
            "session",
            "enrolment",
            "description",
            "owner",
            "due_on",
            "done_on",
            "done_by",
        ]
        read_only_fields = fields


class SupervisionAmendmentSerializer(serializers.ModelSerializer):
    amended_by = serializers.CharField(source="amended_by.full_name", read_only=True)
    changes = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField(allow_blank=True)),
        read_only=True,
        help_text="By field label: the value before and after, as shown on the record.",
    )

    class Meta:
        model = SupervisionAmendment
        fields = ["reason", "amended_at", "amended_by", "changes"]
        read_only_fields = fields


class SupervisionSessionSerializer(serializers.ModelSerializer):
    """A session as read: the record, where it stands, its actions and its amendments."""

    worker = PersonNameSerializer(source="enrolment.worker", read_only=True)
    supervisor = PersonNameSerializer(read_only=True)
    # Read-only model fields lose allow_blank, so the schema would deny the "" they may hold.
    agenda = serializers.CharField(read_only=True, allow_blank=True)
    notes = serializers.CharField(read_only=True, allow_blank=True)
    wellbeing = serializers.CharField(read_only=True, allow_blank=True)
    worker_reflection = serializers.CharField(read_only=True, allow_blank=True)
    actions = SupervisionActionSerializer(many=True, read_only=True)
    amendments = SupervisionAmendmentSerializer(many=True, read_only=True)

    class Meta:
        model = SupervisionSession
        fields = [
            "id",
            "enrolment",
            "worker",
            "supervisor",
            "held_on",
            "minutes",
            "kind",
            "agenda",
            "notes",
            "wellbeing",
            "worker_reflection",
            "status",
            "is_short",
            "counts_towards_cadence",
            "supervisor_signed_at",
            "worker_signed_at",
            "actions",
            "amendments",
        ]
        read_only_fields = fields


def _text(**kwargs: object) -> serializers.CharField:
    """Free text: may be blank; DRF refuses NUL characters, which PostgreSQL cannot store."""
    return serializers.CharField(allow_blank=True, **kwargs)


class SupervisionSessionCreateSerializer(RefusesUnknownFields):
    """A draft, as the supervisor (or a lead) records it; the keywords of the service."""

    unknown_field_message = "This field cannot be set here."

    enrolment = VisibleRelatedField(scope=Enrolment)
    held_on = serializers.DateField()
    minutes = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=SupervisionSession.Kind.choices)
    agenda = _text(required=False, default="")
    notes = _text(required=False, default="")
    wellbeing = _text(required=False, default="")
    same_day_confirmed = serializers.BooleanField(
        required=False,
        default=False,
        help_text="True to record a second session on a day that already has one.",
    )


class SupervisionSessionUpdateSerializer(RefusesUnknownFields):
    """What may change on a draft; a field left out keeps its value."""

    held_on = serializers.DateField(required=False)
    minutes = serializers.IntegerField(required=False)
    kind = serializers.ChoiceField(choices=SupervisionSession.Kind.choices, required=False)
    agenda = _text(required=False)
    notes = _text(required=False)
    wellbeing = _text(required=False)
    same_day_confirmed = serializers.BooleanField(
        required=False,
        default=False,
        help_text="True when the draft is a second session on a day that already has one.",
    )


class SignSerializer(RefusesUnknownFields):
    """Signing takes no fields: a field sent with it would not be saved, so it is refused."""


class CountersignSerializer(RefusesUnknownFields):
    worker_reflection = _text(help_text="The worker's reflection on the session.")


class AmendSerializer(RefusesUnknownFields):
    """A correction to a signed record: why, and the parts that change."""

    reason = _text(help_text="Why the record needs correcting.")
    same_day_confirmed = serializers.BooleanField(
        required=False,
        default=False,
        help_text="True when the new date already has another session.",
    )
    held_on = serializers.DateField(required=False)
    minutes = serializers.IntegerField(required=False)
    kind = serializers.ChoiceField(choices=SupervisionSession.Kind.choices, required=False)
    agenda = _text(required=False)
    notes = _text(required=False)
    wellbeing = _text(required=False)


@extend_schema_field(OpenApiTypes.INT)  # an id; the schema cannot see a queryset made per call
class ActionOwnerField(serializers.PrimaryKeyRelatedField):
    """The people on sessions the caller may see: each session's worker, supervisor, manager.

    The service then narrows it to the three people of the session named.
    """

    def get_queryset(self) -> QuerySet[User]:
        sessions = SupervisionSession.objects.visible_to(self.context["request"].user)
        return User.objects.filter(
            Q(pk__in=sessions.values("enrolment__worker"))
            | Q(pk__in=sessions.values("supervisor"))
            | Q(pk__in=sessions.values("enrolment__worker__team__manager"))
        )


class SupervisionActionCreateSerializer(RefusesUnknownFields):
    unknown_field_message = "This field cannot be set here."

    session = VisibleRelatedField(scope=SupervisionSession)
    description = serializers.CharField(max_length=500)
    owner = ActionOwnerField()
    due_on = serializers.DateField()


class CompleteSerializer(RefusesUnknownFields):
    done_on = serializers.DateField(required=False, help_text="Today if left out.")


class OpenFilterSerializer(serializers.Serializer):
    open = serializers.BooleanField(required=False)


@extend_schema_view(
    list=extend_schema(description="Sessions this person may see, the latest first."),
    retrieve=extend_schema(description="One session, with its actions and amendments."),
    create=extend_schema(
        description="Record a session as a draft (the enrolment's supervisor, or a lead).",
        request=SupervisionSessionCreateSerializer,
        responses={status.HTTP_201_CREATED: SupervisionSessionSerializer},
    ),
    partial_update=extend_schema(
        description="Change a draft (its supervisor only); a signed record is amended instead.",
        request=SupervisionSessionUpdateSerializer,
        responses=SupervisionSessionSerializer,
    ),
)
class SupervisionSessionViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    serializer_class = SupervisionSessionSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[SupervisionSession]:
        actions = SupervisionAction.objects.select_related("owner", "done_by")
        amendments = SupervisionAmendment.objects.select_related("amended_by")
        return (
            SupervisionSession.objects.visible_to(self.request.user)
            .select_related("enrolment__worker", "supervisor")
            .prefetch_related(
                Prefetch("actions", queryset=actions.order_by("due_on", "pk")),
                Prefetch("amendments", queryset=amendments.order_by("amended_at", "pk")),
            )
            .order_by("-held_on", "-pk")
        )

    def _answer(self, session: SupervisionSession, **kwargs: object) -> Response:
        """The session as read now, through the same scope as every other read."""
        session = self.get_queryset().get(pk=session.pk)
        return Response(self.get_serializer(session).data, **kwargs)

    def _incoming(self, serializer_class: type[serializers.Serializer]) -> dict:
        incoming = serializer_class(data=self.request.data, context=self.get_serializer_context())
        incoming.is_valid(raise_exception=True)
        return incoming.validated_data

    def create(self, request: Request, *args: object, **kwargs: object) -> Response:
        values = self._incoming(SupervisionSessionCreateSerializer)
        session = services.record_supervision_session(recorded_by=request.user, **values)
        return self._answer(session, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: object, **kwargs: object) -> Response:
        session = self.get_object()
        if not selectors.can_edit_draft(request.user, session):
            raise PermissionDenied  # signed, or not theirs: say so before judging the payload
        changes = {field: getattr(session, field) for field in services.EDITABLE_FIELDS}
        changes |= self._incoming(SupervisionSessionUpdateSerializer)
        services.update_draft_session(updated_by=request.user, session=session, **changes)
        return self._answer(session)

    @extend_schema(
        description="The supervisor signs their draft; it then waits for the worker.",
        request=None,
        responses={status.HTTP_200_OK: SupervisionSessionSerializer, 400: REFUSED},
    )
    @action(detail=True, methods=["post"])
    def sign(self, request: Request, pk: str | None = None) -> Response:
        session = self.get_object()
        if not selectors.can_edit_draft(request.user, session):
            raise PermissionDenied
        self._incoming(SignSerializer)
        services.sign_supervision_session(signed_by=request.user, session=session)
        return self._answer(session)

    @extend_schema(
        description="The worker adds their reflection and countersigns; the record locks.",
        request=CountersignSerializer,
        responses=SupervisionSessionSerializer,
    )
    @action(detail=True, methods=["post"])
    def countersign(self, request: Request, pk: str | None = None) -> Response:
        session = self.get_object()
        if not selectors.can_countersign(request.user, session):
            raise PermissionDenied
        values = self._incoming(CountersignSerializer)
        services.countersign_supervision_session(signed_by=request.user, session=session, **values)
        return self._answer(session)

    @extend_schema(
        description=(
            "Correct a signed record (the supervisor who signed it, or a lead), saying why. "
            "The amendment is listed under `amendments`."
        ),
        request=AmendSerializer,
        responses=SupervisionSessionSerializer,
    )
    @action(detail=True, methods=["post"])
    def amend(self, request: Request, pk: str | None = None) -> Response:
        session = self.get_object()
        if not selectors.can_amend(request.user, session):
            raise PermissionDenied
        values = self._incoming(AmendSerializer)
        services.amend_supervision_session(amended_by=request.user, session=session, **values)
        return self._answer(session)


@extend_schema_view(
    list=extend_schema(
        description="Actions agreed in the sessions this person may see, the soonest due first.",
        parameters=[
            OpenApiParameter(
                "open",
                OpenApiTypes.BOOL,
                description="true: only actions not yet done; false: only those done.",
            )
        ],
        responses={status.HTTP_200_OK: SupervisionActionSerializer, 400: REFUSED},
    ),
    retrieve=extend_schema(description="One agreed action."),
    create=extend_schema(
        description="Agree an action in a draft session (its supervisor only).",
        request=SupervisionActionCreateSerializer,
        responses={status.HTTP_201_CREATED: SupervisionActionSerializer},
    ),
)
class SupervisionActionViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = SupervisionActionSerializer
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[SupervisionAction]:
        actions = (
            SupervisionAction.objects.visible_to(self.request.user)
            .select_related("session__enrolment", "owner", "done_by")
            .order_by("due_on", "pk")
        )
        if self.action == "list":
            wanted = OpenFilterSerializer(data=self.request.query_params.dict())
            wanted.is_valid(raise_exception=True)
            if "open" in wanted.validated_data:
                actions = actions.filter(done_on__isnull=wanted.validated_data["open"])
        return actions

    def _answer(self, agreed: SupervisionAction, **kwargs: object) -> Response:
        agreed = self.get_queryset().get(pk=agreed.pk)
        return Response(self.get_serializer(agreed).data, **kwargs)

    def create(self, request: Request, *args: object, **kwargs: object) -> Response:
        incoming = SupervisionActionCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        incoming.is_valid(raise_exception=True)
        agreed = services.add_supervision_action(added_by=request.user, **incoming.validated_data)
        return self._answer(agreed, status=status.HTTP_201_CREATED)

    @extend_schema(
        description="Mark an action done (its owner, the worker, the supervisor or a lead).",
        request=CompleteSerializer,
        responses=SupervisionActionSerializer,
    )
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str | None = None) -> Response:
        agreed = self.get_object()
        if not selectors.can_complete_action(request.user, agreed):
            raise PermissionDenied
        incoming = CompleteSerializer(data=request.data, context=self.get_serializer_context())
        incoming.is_valid(raise_exception=True)
        services.complete_supervision_action(
            completed_by=request.user, action=agreed, **incoming.validated_data
        )
        return self._answer(agreed)
