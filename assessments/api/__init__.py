"""The assessment endpoints under /api/v1/, registered on the project's one router."""

from rest_framework.routers import DefaultRouter


def register(router: DefaultRouter) -> None:
    from assessments.api import evidence, observations, reviews, sign_offs

    for part in (evidence, sign_offs, observations, reviews):
        part.register(router)
