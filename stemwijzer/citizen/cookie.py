"""Where a citizen's state comes from: their own signed cookie, or a share link. Never the server.

One signed cookie per election, signed with SECRET_KEY so that every app instance can read it
and a tampered cookie is refused. It is a session cookie: it disappears when the browser closes,
and "Wis mijn antwoorden" deletes it at once. A share link carries the same compact text in its
query string (`?antwoorden=`); it shows someone else's answers read-only and never touches the
viewer's own cookie.
"""

from django import forms
from django.core import signing

from stemwijzer import cookies
from stemwijzer.questionnaire.state import BadState, CitizenState

SHARE_PARAMETER = "antwoorden"


class ShareForm(forms.Form):
    antwoorden = forms.CharField(max_length=2000)


def cookie_name(snapshot) -> str:
    return cookies.cookie_name(f"antwoorden-{snapshot.slug}")


def _signer(snapshot):
    return signing.Signer(salt=f"stemwijzer.answers.{snapshot.slug}")


def resolve(request, snapshot) -> CitizenState:
    """The state this request is about: the share link's when it has one, else the cookie's.

    Raises BadState for a damaged cookie or share link. An outdated cookie (an older version of
    the questionnaire) reads as empty; an outdated share link is refused, as it cannot be shown.
    """
    if SHARE_PARAMETER in request.GET:
        form = ShareForm(request.GET)
        if not form.is_valid():
            raise BadState("share link is not text of the right length")
        citizen = CitizenState.decode(form.cleaned_data[SHARE_PARAMETER], snapshot)
        if citizen is None:
            raise BadState("share link of an older questionnaire")
        citizen.shared = True
        return citizen
    raw = request.COOKIES.get(cookie_name(snapshot))
    if not raw:
        return CitizenState.empty(snapshot)
    try:
        text = _signer(snapshot).unsign(raw)
    except signing.BadSignature:
        raise BadState("bad signature") from None
    return CitizenState.decode(text, snapshot) or CitizenState.empty(snapshot)


def share_query(snapshot, citizen: CitizenState) -> str:
    """The query string that carries this state in a link."""
    return f"?{SHARE_PARAMETER}={citizen.encode(snapshot)}"


def write(response, snapshot, citizen: CitizenState):
    if citizen.shared:
        raise ValueError("a shared state is read-only and never becomes the viewer's cookie")
    cookies.set_cookie(response, cookie_name(snapshot), _signer(snapshot).sign(citizen.encode(snapshot)))


def clear(response, snapshot):
    response.delete_cookie(cookie_name(snapshot), path="/", samesite="Lax")
