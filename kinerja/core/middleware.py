from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils import translation
from django.utils.cache import patch_vary_headers


class LanguageMiddleware:
    """Indonesian unless the user chose otherwise with the switch in the page header.

    Django's LocaleMiddleware would follow the browser's Accept-Language, and many office PCs run
    an English Windows: the product's language must not depend on that. The switch (Django's
    ``set_language`` view) stores the choice in the language cookie, which is all we read.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class SecurityHeadersMiddleware:
    """The Content-Security-Policy of every response (``settings.CONTENT_SECURITY_POLICY``).

    Django 5.2 sets HSTS, nosniff, the referrer policy and X-Frame-Options itself
    (SecurityMiddleware, XFrameOptionsMiddleware); the CSP is the one header it does not have yet.
    A view that needs another policy sets the header itself and keeps it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.policy = " ".join(settings.CONTENT_SECURITY_POLICY.split())

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if self.policy:
            response.headers.setdefault("Content-Security-Policy", self.policy)
        return response
