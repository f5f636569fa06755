"""The notifications API: the caller's own notifications, and marking them read."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from people import notifications, selectors
from people.models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    is_read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "link", "created_at", "read_at", "is_read"]
        read_only_fields = fields

    def get_is_read(self, notification: Notification) -> bool:
        return notification.read_at is not None


@extend_schema_view(
    list=extend_schema(description="The caller's own notifications, the newest first."),
    retrieve=extend_schema(description="One of the caller's notifications."),
)
class NotificationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = NotificationSerializer
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[Notification]:
        if not self.request.user.is_authenticated:
            return Notification.objects.none()  # only the schema generator asks unsigned
        return selectors.inbox_for(self.request.user)

    @extend_schema(
        description="Mark the notification read (it stays in the inbox).",
        request=None,
        responses=NotificationSerializer,
    )
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str | None = None) -> Response:
        notification = self.get_object()
        notifications.mark_read(reader=request.user, notifications=[notification])
        notification.refresh_from_db(fields=["read_at"])
        return Response(self.get_serializer(notification).data)
