"""API plumbing shared by every app: the exception handler and the schema's error answers."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
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


# What DRF and the exception handler above send with each error status.
_DETAIL = {
    "type": "object",
    "description": "Why the request was refused.",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
_FIELD_ERRORS = {
    "type": "object",
    "description": (
        "What is wrong, by field name (`non_field_errors` for the request as a whole), "
        "or `detail` when the body could not be read at all."
    ),
    "additionalProperties": {
        "oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]
    },
}
_ERRORS = {
    "400": ("FieldErrors", _FIELD_ERRORS, "The input was refused; nothing was changed."),
    "401": ("ErrorDetail", _DETAIL, "No valid credentials: send `Authorization: Token <key>`."),
    "403": ("ErrorDetail", _DETAIL, "Signed in, but this person may not do this."),
    "404": ("ErrorDetail", _DETAIL, "Not found, or not visible to this person (or no such page)."),
}


class ApiSchema(AutoSchema):
    """drf-spectacular's schema, plus the error answers each operation can give.

    Without them a client (and the fuzz run in tests/fuzz) meets statuses the schema never
    mentions. Which ones follow from the operation itself:
    400 when it reads a request body; 401 unless anonymous callers are allowed;
    403 when it writes (only a lead may); 404 when it names an object or a page of a list.
    """

    def get_operation(self, *args: object, **kwargs: object) -> dict | None:
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        parameters = {(p["in"], p["name"]) for p in operation.get("parameters", [])}
        codes = set()
        if "requestBody" in operation:
            codes.add("400")
        if {} not in operation.get("security", [{}]):
            codes.add("401")
        if self.method not in ("GET", "HEAD", "OPTIONS"):
            codes.add("403")
        if any(where == "path" for where, _name in parameters) or ("query", "page") in parameters:
            codes.add("404")
        for code in sorted(codes):
            name, schema, description = _ERRORS[code]
            component = ResolvedComponent(
                name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema
            )
            self.registry.register_on_missing(component)
            operation["responses"].setdefault(
                code,
                {
                    "description": description,
                    "content": {"application/json": {"schema": component.ref}},
                },
            )
        return operation


def _build_router() -> DefaultRouter:
    from assessments import api as assessment_endpoints
    from people.api import NotificationViewSet
    from programmes.api import CohortViewSet, EnrolmentViewSet, ProgrammeViewSet
    from programmes.api_caseloads import CaseloadBreachViewSet, CaseloadSnapshotViewSet
    from supervision.api import SupervisionActionViewSet, SupervisionSessionViewSet

    router = DefaultRouter()
    router.include_format_suffixes = False  # one address per resource: fewer routes to guard
    router.register("programmes", ProgrammeViewSet, basename="programme")
    router.register("cohorts", CohortViewSet, basename="cohort")
    router.register("enrolments", EnrolmentViewSet, basename="enrolment")
    router.register(
        "supervision-sessions", SupervisionSessionViewSet, basename="supervision-session"
    )
    router.register("supervision-actions", SupervisionActionViewSet, basename="supervision-action")
    router.register("caseload-snapshots", CaseloadSnapshotViewSet, basename="caseload-snapshot")
    router.register("caseload-breaches", CaseloadBreachViewSet, basename="caseload-breach")
    router.register("notifications", NotificationViewSet, basename="notification")
    assessment_endpoints.register(router)
    return router


api_root_urls = (_build_router().urls, "api")
