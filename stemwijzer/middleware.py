import logging
from urllib.parse import unquote_to_bytes

from csp.constants import HEADER
from csp.utils import build_policy
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.utils.translation import gettext as _

from stemwijzer.errors import bad_request

logger = logging.getLogger(__name__)


class CSPMiddleware:
    """The Content-Security-Policy header, built once per process by django-csp's `build_policy`.

    No view here uses nonces, exemptions or per-view policies, so every response gets the same
    header; rebuilding it on each response showed up in the answer step's profile. A header a view
    set itself is kept. Django's debug pages (DEBUG only) need inline styles: they get none.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = build_policy()

    def __call__(self, request):
        response = self.get_response(request)
        if not (settings.DEBUG and response.status_code in (404, 500)):
            response.headers.setdefault(HEADER, self.header)
        return response


def _is_clean_text(raw: bytes) -> bool:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return "\x00" not in text


class RefuseMalformedInputMiddleware:
    """A NUL byte or invalid UTF-8 in the path, the query or a form gets a 400 before any view.

    The database refuses NUL in text (psycopg raises DataError) and Django silently replaces invalid
    UTF-8; neither is anything a browser sends, so neither reaches a view or a query.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raw = [
            request.path.encode("utf-8", "surrogateescape"),
            unquote_to_bytes(request.META.get("QUERY_STRING", "")),
        ]
        if request.content_type == "application/x-www-form-urlencoded" and request.method == "POST":
            raw.append(unquote_to_bytes(request.body.replace(b"+", b" ")))
        if not all(_is_clean_text(part) for part in raw):
            return bad_request(request, _("Dit verzoek bevat tekens die hier niet kunnen staan."))
        return self.get_response(request)


class MethodNotAllowedPageMiddleware:
    """A 405 (a GET on a form's action, OPTIONS, …) gets the error page, not an empty body."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not response.content:
            page = bad_request(request, _("Deze pagina kan zo niet worden opgevraagd."), status=405)
            page["Allow"] = response["Allow"]
            return page
        return response


class DatabaseUnavailableMiddleware:
    """With the database away or hanging, pages that need it answer with a clear 503.

    Only a failed or timed-out connection is an outage (psycopg's statement-timeout cancellation is
    an OperationalError too); any other database error is a bug and stays a logged 500. The
    citizen's questionnaire does not need the database: it runs from the published content.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.exception("database unavailable: %s", request.path)
        message = _(
            "Dit onderdeel is even niet beschikbaar door een storing. De stemwijzer zelf werkt wel. "
            "Probeer het over een paar minuten opnieuw."
        )
        response = bad_request(request, message, status=503)
        response["Retry-After"] = "60"
        return response
