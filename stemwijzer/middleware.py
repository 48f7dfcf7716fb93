from csp.constants import HEADER
from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from csp.middleware import PolicyParts
from csp.utils import build_policy
from django.conf import settings
from django.db import DatabaseError

from stemwijzer.errors import bad_request


class CSPMiddleware(BaseCSPMiddleware):
    """django-csp with the policy built once per process.

    No view here uses nonces or per-view policy changes, so every response gets the same header;
    rebuilding it showed up in the answer step's profile. Anything unusual falls back to django-csp.
    """

    def __init__(self, get_response):
        super().__init__(get_response)
        self.header = build_policy()

    def process_response(self, request, response):
        if settings.DEBUG or HEADER in response or self.get_policy_parts(request, response) != PolicyParts():
            return super().process_response(request, response)
        if not getattr(response, "_csp_exempt", False):
            response[HEADER] = self.header
        return response


class DatabaseUnavailableMiddleware:
    """With the database away, pages that need it answer with a clear 503, not a stack trace.

    The citizen's questionnaire does not need the database: it runs from the process cache.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DatabaseError):
            from django.utils.translation import gettext as _

            message = _(
                "Dit onderdeel is even niet beschikbaar door een storing. De stemwijzer zelf werkt wel. "
                "Probeer het over een paar minuten opnieuw."
            )
            response = bad_request(request, message, status=503)
            response["Retry-After"] = "60"
            return response
        return None
