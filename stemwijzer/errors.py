"""Error pages in the user's language. Nothing about the request is logged beyond Django's own."""

from django.shortcuts import render
from django.utils.translation import gettext as _


class Refused(Exception):
    """Input a form refused; the view's decorator answers with a 400 page saying `message`."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def valid(form):
    """The form, once it validates; else Refused with the form's `refusal` sentence."""
    if not form.is_valid():
        raise Refused(form.refusal)
    return form


def bad_request(request, message=None, status=400, clear_url=None):
    message = message or _("Dit verzoek kon niet worden verwerkt.")
    context = {"status": status, "message": message, "clear_url": clear_url}
    return render(request, "errors/error.html", context, status=status)


def handler400(request, exception=None):
    return bad_request(request)


def handler403(request, exception=None):
    return bad_request(request, _("Je hebt geen toegang tot deze pagina."), status=403)


def handler404(request, exception=None):
    # Our own Http404s carry a sentence for the user; the URL resolver's carry a dict of patterns.
    ours = exception is not None and exception.args and isinstance(exception.args[0], str)
    message = str(exception.args[0]) if ours else _("Deze pagina bestaat niet (meer).")
    return bad_request(request, message, status=404)


def handler500(request):
    return bad_request(request, _("Er ging iets mis aan onze kant. Probeer het zo nog eens."), status=500)


def csrf_failure(request, reason=""):
    message = _(
        "Je formulier was verlopen of kwam niet van deze site. Ga terug, herlaad de pagina en probeer het opnieuw."
    )
    return bad_request(request, message, status=403)
