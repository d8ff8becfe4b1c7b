"""Accounts: sign-up by e-mailed link and sign-in (throttled), the account page, stars,
cheat sheets, suggestions."""

import logging
import unicodedata
from contextlib import suppress

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.core import signing
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import HttpRequest, HttpResponseClientRedirect

from refsite.accounts import kinds
from refsite.accounts.forms import FinishSignUpForm, SignUpForm, SuggestionForm
from refsite.accounts.models import SharedSheet, Star, Suggestion
from refsite.accounts.services import TooManyPending, submit_suggestion
from refsite.accounts.stars import star_button
from refsite.core import throttle
from refsite.core.htmx import form_response

logger = logging.getLogger(__name__)


def _done(request, url: str):
    """After a successful post: htmx is told to load the page, others are redirected (303)."""
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return HttpResponseRedirect(url, status=303)


def _next_url(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


def account_key(name: str) -> str:
    """The name per-account limits count under, the same for every spelling of one account.

    Django's login form applies NFKC before it looks the name up (``ｃarol`` signs
    in as ``carol``); case-folding on top merges ``Carol`` and ``CAROL`` as well, so
    no spelling of a name gets a fresh count. Reset requests count e-mail addresses
    the same way.
    """
    return unicodedata.normalize("NFKC", name).casefold().strip()


SIGNUP_SALT = "refsite.accounts.signup"


def _absolute(request, name: str, *args) -> str:
    return request.build_absolute_uri(reverse(name, args=args))


def _send_signup_mail(request, email: str) -> None:
    """Mail the address the link to finish, or, if it has an account, a reminder of it.

    The page after step one is the same either way; only the owner of the
    mailbox learns whether the address was already in use.
    """
    existing = get_user_model().objects.filter(email__iexact=email).first()
    if existing:
        template = "registration/signup_exists_email.txt"
        context = {
            "user": existing,
            "login_url": _absolute(request, "accounts:login"),
            "reset_url": _absolute(request, "accounts:password_reset"),
        }
    else:
        token = signing.dumps(email, salt=SIGNUP_SALT)
        template = "registration/signup_email.txt"
        context = {"link": _absolute(request, "accounts:signup-finish", token)}
    subject = render_to_string("registration/signup_subject.txt").strip()
    try:
        send_mail(subject, render_to_string(template, context), None, [email])
    except Exception:  # the same answer as ever: a mail server failure tells nothing either
        logger.exception("sign-up mail to an address could not be sent")


def _signup_email(token: str) -> str | None:
    """The address a sign-up link was sent to, if the link is genuine and recent."""
    try:
        email = signing.loads(token, salt=SIGNUP_SALT, max_age=settings.PASSWORD_RESET_TIMEOUT)
    except signing.BadSignature:  # forged, damaged or expired
        return None
    return email if isinstance(email, str) else None


@require_http_methods(["GET", "HEAD", "POST"])
def signup(request: HttpRequest):
    """Step one: an address, and the same answer whether or not it has an account."""
    if request.method == "POST":
        if wait := throttle.check((throttle.SIGNUP_PER_ADDRESS, throttle.client_address(request))):
            return throttle.too_many(request, wait, "sign-ups")
        form = SignUpForm(request.POST)
        if form.is_valid():
            _send_signup_mail(request, form.cleaned_data["email"])
            return _done(request, reverse("accounts:signup-sent"))
    else:
        form = SignUpForm()
    return form_response(
        request, "registration/signup.html", {"form": form}, valid=request.method != "POST"
    )


@require_safe
def signup_sent(request: HttpRequest):
    return render(request, "registration/signup_sent.html")


def _create_account(form: FinishSignUpForm):
    """Save the new account, or None if the address or the name was taken meanwhile.

    The password is hashed before the transaction starts, so the write lock is
    held only for the insert. The database's unique indexes on the user name and
    on ``lower(email)`` (migration 0004) decide a race; the form's checks only
    give the usual message in the usual case.
    """
    user = form.save(commit=False)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        return None
    return user


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def signup_finish(request: HttpRequest, token: str):
    """Step two, behind the e-mailed link: choose a user name and a password.

    A forged, expired or used link answers 404 with a way to ask for a new one.
    """
    User = get_user_model()
    email = _signup_email(token)
    if email is None or User.objects.filter(email__iexact=email).exists():
        return render(request, "registration/signup_finish.html", {"validlink": False}, status=404)
    context = {"validlink": True, "email": email}
    if request.method == "POST":
        # Each try counts, so a link cannot be used to test user names for long.
        if wait := throttle.check((throttle.SIGNUP_PER_ADDRESS, throttle.client_address(request))):
            return throttle.too_many(request, wait, "sign-ups")
        form = FinishSignUpForm(request.POST, instance=User(email=email))
        if form.is_valid():
            if user := _create_account(form):
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, "Welcome! Your account is ready.")
                return _done(request, reverse("accounts:account"))
            if User.objects.filter(email__iexact=email).exists():  # finished in another tab
                return render(
                    request, "registration/signup_finish.html", {"validlink": False}, status=404
                )
            form.add_error("username", User._meta.get_field("username").error_messages["unique"])
    else:
        form = FinishSignUpForm(instance=User(email=email))
    context["form"] = form
    return form_response(
        request, "registration/signup_finish.html", context, valid=request.method != "POST"
    )


class UnprocessableMixin:
    """Django's auth views answer a failed form through ``form_response``, like the rest."""

    def form_invalid(self, form):
        context = self.get_context_data(form=form)
        return form_response(self.request, self.template_name, context, valid=False)


class LoginView(UnprocessableMixin, auth_views.LoginView):
    """Django's login, throttled per account and per address, 422 on a failed attempt."""

    redirect_authenticated_user = False

    def post(self, request, *args, **kwargs):
        # The attempt counts before the password is checked, so guesses sent
        # together cannot all pass one check; a right password gives it back.
        wait = throttle.check(
            (throttle.LOGIN_PER_ACCOUNT, account_key(request.POST.get("username", ""))),
            (throttle.LOGIN_PER_ADDRESS, throttle.client_address(request)),
        )
        if wait:
            return throttle.too_many(request, wait, "sign-in attempts")
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        throttle.LOGIN_PER_ACCOUNT.reset(account_key(form.get_user().get_username()))
        throttle.give_back((throttle.LOGIN_PER_ADDRESS, throttle.client_address(self.request)))
        response = super().form_valid(form)  # logs in, rotating the session key
        return _done(self.request, response.url)


class PasswordResetView(UnprocessableMixin, auth_views.PasswordResetView):
    """Django's reset e-mail, throttled per address and per e-mail address."""

    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def post(self, request, *args, **kwargs):
        wait = throttle.check(
            (throttle.RESET_PER_ACCOUNT, account_key(request.POST.get("email", ""))),
            (throttle.RESET_PER_ADDRESS, throttle.client_address(request)),
        )
        if wait:
            return throttle.too_many(request, wait, "password reset requests")
        return super().post(request, *args, **kwargs)


class PasswordChangeView(UnprocessableMixin, auth_views.PasswordChangeView):
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordResetConfirmView(UnprocessableMixin, auth_views.PasswordResetConfirmView):
    """Django's reset link; a forged, expired or used one answers 404 with the way forward.

    404 rather than 400: the request is well formed, but the one-time resource it
    names does not exist (any more). Used and forged links answer alike, as
    telling them apart would tell whether the account exists.
    """

    success_url = reverse_lazy("accounts:password_reset_complete")

    def dispatch(self, *args, **kwargs):
        response = super().dispatch(*args, **kwargs)
        if not self.validlink and response.status_code == 200:  # not the redirect of a good link
            response.status_code = 404
        return response


def _private(response):
    patch_cache_control(response, private=True, no_cache=True)
    return response


@login_required
@require_safe
def account(request: HttpRequest):
    stars = Star.objects.filter(user=request.user)
    context = {
        "star_count": stars.count(),
        "suggestions": Suggestion.objects.filter(user=request.user).prefetch_related("target"),
        "shared": SharedSheet.objects.filter(user=request.user).first(),
    }
    return _private(render(request, "accounts/account.html", context))


def _sheet_context(user):
    """Each kind's published starred targets, in one query per kind."""
    registered = kinds.registered()
    stars = Star.objects.filter(user=user).prefetch_related(
        GenericPrefetch("target", [kind.published() for kind in registered])
    )
    sections = []
    for kind in registered:
        items = [s.target for s in stars if isinstance(s.target, kind.model)]
        if kind.sheet_order:
            items.sort(key=kind.sheet_order)
        sections.append({"template": kind.sheet_template, "items": items})
    return {"sections": sections, "owner": user}


@login_required
@require_safe
def my_codes(request: HttpRequest):
    context = _sheet_context(request.user)
    context["shared"] = SharedSheet.objects.filter(user=request.user).first()
    context["mine"] = True
    return _private(render(request, "accounts/cheatsheet.html", context))


@require_safe
def shared_sheet(request: HttpRequest, token: str):
    sheet = get_object_or_404(SharedSheet.objects.select_related("user"), token=token)
    context = _sheet_context(sheet.user)
    context["mine"] = False
    response = render(request, "accounts/cheatsheet.html", context)
    response["X-Robots-Tag"] = "noindex"
    return _private(response)


@login_required
@require_POST
def share(request: HttpRequest):
    """Turn the read-only link on (a new token) or off."""
    if request.POST.get("action") == "off":
        SharedSheet.objects.filter(user=request.user).delete()
        messages.info(request, "Your cheat sheet link is off; the old link no longer works.")
    else:
        SharedSheet.objects.filter(user=request.user).delete()
        SharedSheet.objects.create(user=request.user)
        messages.success(request, "Your cheat sheet can now be read by anyone with the link.")
    return redirect("accounts:my-codes")


def _target(kind_name: str, key: str):
    """The registered kind and the published code or guide that a URL names, or 404."""
    kind = kinds.get(kind_name)
    target = kind.find(key) if kind else None
    if target is None:
        raise Http404(f"No {kind_name} {key}")
    return kind, target


@login_required
@require_POST
def toggle_star(request: HttpRequest, kind: str, key: str):
    """Star or unstar a code or a guide; htmx gets the new button, others go back."""
    _, target = _target(kind, key)
    star = Star.objects.of(target).filter(user=request.user).first()
    if star:
        star.delete()
        starred = False
    else:
        with suppress(IntegrityError):  # a double click raced us; it is starred either way
            Star.objects.create(user=request.user, target=target)
        starred = True
    if request.htmx:
        star = star_button(request, kind, key, target, starred)
        return _private(render(request, "accounts/_star.html", {"star": star}))
    return HttpResponseRedirect(
        _next_url(request, target.get_absolute_url().split("#")[0]), status=303
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def suggest(request: HttpRequest, kind: str, key: str):
    target_kind, target = _target(kind, key)
    if request.method == "POST":
        limits = (
            (throttle.SUGGEST_PER_USER, str(request.user.pk)),
            (throttle.SUGGEST_PER_ADDRESS, throttle.client_address(request)),
        )
        if wait := throttle.first_blocked(*limits):
            return throttle.too_many(request, wait, "suggestions")
        form = SuggestionForm(request.POST, target=target, fields=target_kind.fields)
        if form.is_valid():
            if wait := throttle.count(*limits):  # only sent suggestions count
                return throttle.too_many(request, wait, "suggestions")
            try:
                submit_suggestion(user=request.user, target=target, **form.cleaned_data)
            except TooManyPending as error:
                throttle.give_back(*limits)
                form.add_error(None, str(error))
            else:
                messages.success(request, "Thank you. An editor will review your suggestion.")
                return _done(request, reverse("accounts:account"))
        valid = False
    else:
        form = SuggestionForm(target=target, fields=target_kind.fields)
        field = request.GET.get("field", "summary")
        if field in target_kind.fields:  # start from the current text
            form.initial = {"field": field, "new_text": getattr(target, field, "")}
        valid = True
    context = {"form": form, "target": target, "kind": kind, "key": key}
    return _private(form_response(request, "accounts/suggest.html", context, valid=valid))
