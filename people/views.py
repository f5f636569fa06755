from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from people.forms import SignInForm


@login_not_required
def sign_in(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("programmes:home")
    form = SignInForm(request, request.POST if request.method == "POST" else None)
    if form.is_valid():
        login(request, form.user)
        next_url = request.POST.get("next") or request.GET.get("next") or ""
        if url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return redirect(next_url)
        return redirect("programmes:home")
    context = {"form": form, "next": request.GET.get("next", ""), "title": _("Sign in")}
    return render(request, "people/sign_in.html", context)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("people:login")
