"""Which participant a student's browser is: a random id in a signed cookie, nothing else.

The cookie names the session and holds the participant's random id, signed with SECRET_KEY so
that no student can pose as another. It is the classroom's twin of stemwijzer.citizen.cookie.
"""

import uuid

from django.core import signing

from stemwijzer import cookies
from stemwijzer.classroom.models import Participant

_signer = signing.Signer(salt="stemwijzer.classroom")


def cookie_name(session) -> str:
    return cookies.cookie_name(f"klas-{session.code}")


def participant_for(request, session) -> Participant | None:
    raw = request.COOKIES.get(cookie_name(session))
    if not raw:
        return None
    try:
        participant_id = uuid.UUID(_signer.unsign(raw))
    except (signing.BadSignature, ValueError):
        return None
    return Participant.objects.filter(pk=participant_id, session=session).first()


def remember(response, participant: Participant):
    cookies.set_cookie(response, cookie_name(participant.session), _signer.sign(str(participant.pk)))
