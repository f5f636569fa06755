from collections.abc import Callable

from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.http import HttpRequest, HttpResponse
from rest_framework.views import APIView


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Deny by default on the web; API views answer for themselves.

    A redirect to the sign-in page would hide the API's 401/403 from a client using a token,
    which this middleware cannot see: DRF authenticates inside the view and its default
    permission is IsAuthenticated, so the API is deny-by-default too.
    """

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: tuple,
        view_kwargs: dict,
    ) -> HttpResponse | None:
        view_class = getattr(view_func, "cls", None)
        if isinstance(view_class, type) and issubclass(view_class, APIView):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
