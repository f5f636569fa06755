"""Single sign-on routes under /oidc/: none at all unless OIDC_RP_CLIENT_ID is set."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.urls import URLPattern, path
from mozilla_django_oidc.urls import urlpatterns as oidc_urlpatterns


def single_sign_on_urlpatterns() -> list[URLPattern]:
    """mozilla-django-oidc's routes, each public: they are how a signed-out person signs in."""
    return [
        path(str(pattern.pattern), login_not_required(pattern.callback), name=pattern.name)
        for pattern in oidc_urlpatterns
    ]


urlpatterns = single_sign_on_urlpatterns() if settings.OIDC_ENABLED else []
