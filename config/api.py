"""API plumbing shared by every app: the exception handler."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """A service's ValidationError is the caller's mistake: 400 with its messages, never 500."""
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail = {field: [str(m) for m in msgs] for field, msgs in exc.message_dict.items()}
            detail = {("non_field_errors" if k == "__all__" else k): v for k, v in detail.items()}
        else:
            detail = {"non_field_errors": [str(m) for m in exc.messages]}
        exc = exceptions.ValidationError(detail)
    return drf_exception_handler(exc, context)


def _build_router() -> DefaultRouter:
    from programmes.api import CohortViewSet, EnrolmentViewSet, ProgrammeViewSet

    router = DefaultRouter()
    router.include_format_suffixes = False  # one address per resource: fewer routes to guard
    router.register("programmes", ProgrammeViewSet, basename="programme")
    router.register("cohorts", CohortViewSet, basename="cohort")
    router.register("enrolments", EnrolmentViewSet, basename="enrolment")
    return router


api_root_urls = (_build_router().urls, "api")
