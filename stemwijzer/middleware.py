from django.db import DatabaseError

from stemwijzer.errors import bad_request


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
