"""Classroom sessions: the teacher's setup and dashboard, the students' join and questionnaire.

Students answer with the citizen's statement step (same template, same htmx behaviour); their
answers are stored anonymously so the class totals can be shown.
"""

import csv
import uuid
from functools import wraps

import segno
from django.conf import settings
from django.core import signing
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from positions import published
from stemwijzer import cookies
from stemwijzer.citizen.forms import AnswerForm
from stemwijzer.citizen.views import fragments, render_step, statement_context, wants_fragment
from stemwijzer.classroom import aggregates, throttle
from stemwijzer.classroom.forms import JoinForm, NewSessionForm
from stemwijzer.classroom.models import CODE_ALPHABET, CODE_LENGTH, ClassAnswer, ClassSession, Participant
from stemwijzer.errors import bad_request


def private(response):
    patch_cache_control(response, no_store=True, private=True)
    return response


def closed_page(request, session, status=200):
    context = {"session": session}
    return private(render(request, "classroom/closed.html", context, status=status))


def qr_svg(url):
    return segno.make(url, error="m").svg_inline(scale=6, border=2, title=url, dark="#000", light="#fff")


# --- teacher --------------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def new_session(request):
    snapshots = published.refresh()
    if not snapshots:
        raise Http404(_("Er is nog geen verkiezing gepubliceerd."))
    form = NewSessionForm(request.POST or None, snapshots=snapshots)
    context = {"form": form, "retention_days": settings.CLASSROOM_RETENTION_DAYS}
    if request.method == "POST" and form.is_valid() and throttle.opening_refused(request):
        form.add_error(None, _("Vanaf dit adres zijn in het afgelopen uur te veel klassessies geopend."))
        return private(render(request, "classroom/new.html", context, status=429))
    if request.method == "POST" and form.is_valid():
        snapshot = form.cleaned_data["snapshot"]
        session, token = ClassSession.open_new(snapshot.slug, form.cleaned_data["statements"])
        join_url = request.build_absolute_uri(reverse("classroom:join_code", args=[session.code]))
        dashboard_url = request.build_absolute_uri(reverse("classroom:dashboard", args=[token]))
        context = {"session": session, "snapshot": snapshot, "join_url": join_url, "qr": qr_svg(join_url),
                   "dashboard_url": dashboard_url}  # fmt: skip
        return private(render(request, "classroom/created.html", context))
    return private(render(request, "classroom/new.html", context))


def teacher(view):
    """Resolve the session from the secret dashboard token (constant-time compare)."""

    @wraps(view)
    @vary_on_headers("HX-Request")
    def wrapper(request, token, *args, **kwargs):
        session = ClassSession.for_token(token)
        if session is None:
            raise Http404(_("Deze klassessie bestaat niet (meer). Misschien is ze al verwijderd."))
        snapshot = published.get(session.election)
        if snapshot is None:
            raise Http404(_("De verkiezing van deze klassessie is niet meer gepubliceerd."))
        return private(view(request, session, snapshot, token, *args, **kwargs))

    return wrapper


def dashboard_context(request, session, snapshot, token):
    join_url = request.build_absolute_uri(reverse("classroom:join_code", args=[session.code]))
    return {"session": session, "snapshot": snapshot, "token": token, "join_url": join_url,
            **aggregates.overview(session, snapshot)}  # fmt: skip


@require_safe
@teacher
def dashboard(request, session, snapshot, token):
    context = dashboard_context(request, session, snapshot, token)
    context["qr"] = qr_svg(context["join_url"]) if session.is_open else ""
    return render(request, "classroom/dashboard.html", context)


@require_safe
@teacher
def dashboard_live(request, session, snapshot, token):
    if not wants_fragment(request):
        return render(
            request, "classroom/dashboard.html", dashboard_context(request, session, snapshot, token)
        )
    return HttpResponse(live_fragment(request, session, snapshot, token))


def live_fragment(request, session, snapshot, token):
    """The polled part of the dashboard, rendered again only when what it shows has changed.

    Every open dashboard polls every few seconds; most polls find the same totals, and rendering
    thirty bars was most of a poll's cost.
    """
    context = dashboard_context(request, session, snapshot, token)
    shown = (
        context["joined"],
        context["finished"],
        context["best_shown"],
        tuple(count for _party, count in context["best"]),
        tuple((split.total, tuple(sorted(split.counts.items()))) for split in context["splits"]),
    )
    key = f"classroom-live:{session.pk}:{session.is_open}:{snapshot.publication}:{get_language()}"
    cached = fragments.get(key)
    if cached is None or cached[0] != shown:
        cached = (shown, render(request, "classroom/dashboard.html#live", context).content)
        fragments.set(key, cached)
    return cached[1]


@require_safe
@teacher
def discussion(request, session, snapshot, token, place):
    if not 1 <= place <= len(session.statements):
        raise Http404(_("Deze stelling hoort niet bij de klassessie."))
    overview = aggregates.overview(session, snapshot)
    context = {"session": session, "snapshot": snapshot, "token": token, "place": place,
               "total": len(session.statements), "statement": snapshot.statement(session.statements[place - 1]),
               "split": overview["splits"][place - 1], "show_positions": request.GET.get("standpunten") == "1"}  # fmt: skip
    return render(request, "classroom/discussion.html", context)


@require_POST
@teacher
def close(request, session, snapshot, token):
    session.close()
    return HttpResponseRedirect(reverse("classroom:dashboard", args=[token]), status=303)


@require_POST
@teacher
def delete(request, session, snapshot, token):
    session.delete()
    return HttpResponseRedirect(reverse("classroom:deleted"), status=303)


@require_safe
def deleted(request):
    return render(request, "classroom/deleted.html")


@require_safe
@teacher
def export(request, session, snapshot, token):
    overview = aggregates.overview(session, snapshot)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="klassessie-{session.code}.csv"'
    writer = csv.writer(response)
    writer.writerow(["nr", "stelling", "eens", "geen van beide", "oneens", "overgeslagen", "antwoorden"])
    for split in overview["splits"]:
        counts = [split.counts.get(a, 0) for a in ("agree", "neutral", "disagree", "skip")]
        if not split.shown:  # too few answers to show without revealing a student
            counts = [f"<{aggregates.MIN_ANSWERS}"] * 4
        writer.writerow([split.number, split.statement.text, *counts, split.total])
    writer.writerow([])
    writer.writerow(["partij", "beste match bij zoveel leerlingen"])
    for party, count in overview["best"]:
        writer.writerow([party.name, count if overview["best_shown"] else f"<{aggregates.MIN_ANSWERS}"])
    return response


# --- students -------------------------------------------------------------------------------------


def cookie_name(session):
    return cookies.cookie_name(f"klas-{session.code}")


def participant_for(request, session):
    raw = request.COOKIES.get(cookie_name(session))
    if not raw:
        return None
    try:
        participant_id = signing.Signer(salt="stemwijzer.classroom").unsign(raw)
    except signing.BadSignature:
        return None
    return (
        Participant.objects.filter(pk=participant_id, session=session).first()
        if _is_uuid(participant_id)
        else None
    )


def _is_uuid(value):
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def join_session(request, session):
    participant = participant_for(request, session) or Participant.objects.create(session=session)
    response = HttpResponseRedirect(reverse("classroom:statement", args=[session.code, 1]), status=303)
    cookies.set_cookie(
        response, cookie_name(session), signing.Signer(salt="stemwijzer.classroom").sign(str(participant.pk))
    )
    return response


TOO_MANY_CODES = _lazy("Te veel onjuiste codes. Wacht tien minuten en probeer het dan opnieuw.")
UNKNOWN_CODE = _lazy("Deze code kennen we niet, of de sessie is al gesloten. Controleer hem met je docent.")


class TooManyCodes(Exception):
    pass


def session_for_code(request, code):
    """The session a join code opens for this visitor, or None; every None counts as a wrong guess.

    To someone who never joined it, a closed session looks like an unknown code. An address over
    the limit gets TooManyCodes, whether the code is right or not.
    """
    if throttle.blocked(request):
        raise TooManyCodes
    well_formed = len(code) == CODE_LENGTH and all(ch in CODE_ALPHABET for ch in code)
    session = ClassSession.objects.filter(code=code).first() if well_formed else None
    if session is not None and (session.is_open or participant_for(request, session)):
        return session
    if throttle.failed(request):
        raise TooManyCodes
    return None


@require_http_methods(["GET", "HEAD", "POST"])
def join(request):
    form = JoinForm(request.POST or request.GET or None)
    if request.method == "POST":
        valid = form.is_valid()
        try:
            session = session_for_code(request, form.cleaned_data["code"] if valid else "")
        except TooManyCodes:
            form.add_error(None, TOO_MANY_CODES)
            return private(render(request, "classroom/join.html", {"form": form}, status=429))
        if session is not None:
            return join_session(request, session) if session.is_open else closed_page(request, session)
        if valid:
            form.add_error("code", UNKNOWN_CODE)
    return private(render(request, "classroom/join.html", {"form": form}))


def student(view):
    @wraps(view)
    @vary_on_headers("HX-Request")
    def wrapper(request, code, *args, **kwargs):
        try:
            session = session_for_code(request, code.upper())
        except TooManyCodes:
            return private(bad_request(request, TOO_MANY_CODES, status=429))
        if session is None:
            raise Http404(_("Deze klassessie bestaat niet (meer)."))
        snapshot = published.get(session.election)
        if snapshot is None:
            raise Http404(_("De verkiezing van deze klassessie is niet meer gepubliceerd."))
        return private(view(request, session, snapshot, *args, **kwargs))

    return wrapper


@require_http_methods(["GET", "HEAD", "POST"])
@student
def join_code(request, session, snapshot):
    """The QR code's target: one button to join, no name or e-mail asked."""
    if not session.is_open:
        return closed_page(request, session)
    if request.method == "POST":
        return join_session(request, session)
    joined = participant_for(request, session) is not None
    return render(
        request, "classroom/join_code.html", {"session": session, "snapshot": snapshot, "joined": joined}
    )


class ClassroomURLs:
    """The classroom questionnaire: statement n is the n-th statement the teacher chose."""

    onward_label = _lazy("Naar jouw uitslag")

    def __init__(self, session):
        self.session = session

    def statement_number(self, place):
        return self.session.statements[place - 1]

    def statement(self, place):
        return reverse("classroom:statement", args=[self.session.code, place])

    def positions(self, place):
        return reverse("citizen:positions", args=[self.session.election, self.statement_number(place)])

    def onward(self):
        return reverse("classroom:result", args=[self.session.code])


def student_statement_context(session, snapshot, answers, place):
    total = len(session.statements)
    context = statement_context(
        snapshot, place, answers.get(place), total, ClassroomURLs(session), len(answers) == total
    )
    return {**context, "classroom": session}


@require_http_methods(["GET", "HEAD", "POST"])
@student
def statement(request, session, snapshot, place):
    if not 1 <= place <= len(session.statements):
        raise Http404(_("Deze stelling hoort niet bij de klassessie."))
    participant = participant_for(request, session)
    if participant is None:
        return HttpResponseRedirect(reverse("classroom:join_code", args=[session.code]))
    if request.method == "POST":
        if not session.is_open:
            return closed_page(request, session, status=409)
        form = AnswerForm(request.POST)
        if not form.is_valid():
            return bad_request(request, _("Kies Eens, Geen van beide, Oneens of Sla over."))
        ClassAnswer.record(participant, place, form.cleaned_data["answer"])
        answers = dict(participant.answers.values_list("number", "answer"))
        if place < len(session.statements):
            url = reverse("classroom:statement", args=[session.code, place + 1])
            if wants_fragment(request):
                response = render_step(
                    request,
                    "citizen/statement.html",
                    student_statement_context(session, snapshot, answers, place + 1),
                )
                response["HX-Push-Url"] = url
                return response
            return HttpResponseRedirect(url, status=303)
        url = reverse("classroom:result", args=[session.code])
        if wants_fragment(request):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return HttpResponseRedirect(url, status=303)
    answers = dict(participant.answers.values_list("number", "answer"))
    context = student_statement_context(session, snapshot, answers, place)
    return render_step(request, "citizen/statement.html", context)


@require_safe
@student
def result(request, session, snapshot):
    participant = participant_for(request, session)
    if participant is None:
        return HttpResponseRedirect(reverse("classroom:join_code", args=[session.code]))
    by_participant = aggregates.answers_by_participant(session)
    mine = by_participant.get(participant.pk, {})
    overview = aggregates.overview(session, snapshot, by_participant)
    ranking = [
        (row.rank, snapshot.actor_by_slug[row.key], row.result)
        for row in aggregates.ranking(snapshot, session, mine)
    ]
    lines = [(split, mine.get(split.number)) for split in overview["splits"]]
    context = {"session": session, "snapshot": snapshot, "ranking": ranking, "lines": lines,
               "answered": sum(1 for a in mine.values() if a != "skip")}  # fmt: skip
    return render(request, "classroom/result.html", context)
