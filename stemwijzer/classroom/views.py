"""Classroom sessions: the teacher's setup and dashboard, the students' join and questionnaire.

Students answer with the citizen's statement step (same template, same htmx behaviour); their
answers are stored anonymously so the class totals can be shown.
"""

import csv
from functools import wraps

import segno
from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from positions import published, vocabulary
from positions.vocabulary import ANSWERS, SKIP
from stemwijzer.classroom import aggregates, throttle
from stemwijzer.classroom.forms import DiscussionForm, JoinForm, NewSessionForm
from stemwijzer.classroom.models import CODE_ALPHABET, CODE_LENGTH, ClassAnswer, ClassSession, Participant
from stemwijzer.classroom.participants import participant_for, remember
from stemwijzer.errors import bad_request
from stemwijzer.questionnaire import fragments, steps
from stemwijzer.questionnaire.forms import AnswerForm


def private(response):
    patch_cache_control(response, no_store=True, private=True)
    return response


def closed_page(request, session, status=200):
    context = {"session": session}
    return private(render(request, "classroom/closed.html", context, status=status))


def qr_svg(url):
    return segno.make(url, error="m").svg_inline(scale=6, border=4, title=url, dark="#000", light="#fff")


# --- teacher --------------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def new_session(request):
    snapshots = published.refresh()
    if not snapshots:
        raise Http404(_("Er is nog geen verkiezing gepubliceerd."))
    form = NewSessionForm(request.POST or None, snapshots=snapshots)
    form_page = {"form": form, "retention_days": settings.CLASSROOM_RETENTION_DAYS}
    if request.method == "POST" and form.is_valid() and throttle.opening_refused(request):
        form.add_error(None, _("Vanaf dit adres zijn in het afgelopen uur te veel klassessies geopend."))
        return private(render(request, "classroom/new.html", form_page, status=429))
    if request.method == "POST" and form.is_valid():
        snapshot = form.cleaned_data["snapshot"]
        data = form.cleaned_data
        session, token = ClassSession.open_new(snapshot.slug, data["statements"], as_party=data["as_party"])
        join_url = request.build_absolute_uri(reverse("classroom:join_code", args=[session.code]))
        dashboard_url = request.build_absolute_uri(reverse("classroom:dashboard", args=[token]))
        context = {
            "session": session,
            "snapshot": snapshot,
            "join_url": join_url,
            "qr": qr_svg(join_url),
            "dashboard_url": dashboard_url,
        }
        return private(render(request, "classroom/created.html", context))
    return private(render(request, "classroom/new.html", form_page))


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
        aggregates.publish(session)  # full batches of new answers become visible to the teacher
        return private(view(request, session, snapshot, token, *args, **kwargs))

    return wrapper


def dashboard_context(request, session, snapshot, token):
    join_url = request.build_absolute_uri(reverse("classroom:join_code", args=[session.code]))
    overview = aggregates.overview(session, snapshot)
    return {"session": session, "snapshot": snapshot, "token": token, "join_url": join_url, **overview}


@require_safe
@teacher
def dashboard(request, session, snapshot, token):
    context = dashboard_context(request, session, snapshot, token)
    context["qr"] = qr_svg(context["join_url"]) if session.is_open else ""
    return render(request, "classroom/dashboard.html", context)


@require_safe
@teacher
def dashboard_live(request, session, snapshot, token):
    context = dashboard_context(request, session, snapshot, token)
    if not steps.wants_fragment(request):
        return render(request, "classroom/dashboard.html", context)
    return HttpResponse(live_fragment(request, session, snapshot, context))


def live_fragment(request, session, snapshot, context):
    """The polled part of the dashboard, rendered again only when what it shows has changed.

    Every open dashboard polls every few seconds; most polls find the same totals, and rendering
    thirty bars was most of a poll's cost.
    """
    shown = (
        context["joined"],
        context["finished"],
        context["best_shown"],
        tuple(count for _party, count in context["best"]),
        tuple((split.total, tuple(sorted(split.counts.items()))) for split in context["splits"]),
    )
    fragment_key = fragments.key(
        "classroom-live", session.pk, session.is_open, hash(shown), snapshot=snapshot
    )
    return fragments.get_or_render(
        fragment_key, lambda: render(request, "classroom/dashboard.html#live", context).content.decode()
    )


@require_safe
@teacher
def discussion(request, session, snapshot, token, place):
    if not 1 <= place <= len(session.statements):
        raise Http404(_("Deze stelling hoort niet bij de klassessie."))
    overview = aggregates.overview(session, snapshot)
    form = DiscussionForm(request.GET)
    context = {
        "session": session,
        "snapshot": snapshot,
        "token": token,
        "place": place,
        "total": len(session.statements),
        "statement": snapshot.statement(session.statements[place - 1]),
        "split": overview["splits"][place - 1],
        "show_positions": form.is_valid() and form.cleaned_data["standpunten"],
    }
    return render(request, "classroom/discussion.html", context)


@require_POST
@teacher
def close(request, session, snapshot, token):
    session.close()
    return steps.see_other(reverse("classroom:dashboard", args=[token]))


@require_http_methods(["GET", "POST"])
@teacher
def delete(request, session, snapshot, token):
    """Ask first: deleting cannot be undone, and the button sits near "close"."""
    if request.method == "GET":
        return render(request, "classroom/delete.html", {"session": session, "token": token})
    session.delete()
    return steps.see_other(reverse("classroom:deleted"))


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
    labels = [vocabulary.label(a).lower() for a in ANSWERS]
    writer.writerow([_("nr"), _("stelling"), *labels, _("antwoorden")])
    for split in overview["splits"]:
        counts = [split.counts.get(a, 0) for a in ANSWERS]
        if not split.shown:  # too few answers to show without revealing a student
            counts = [f"<{aggregates.MIN_ANSWERS}"] * len(ANSWERS)
        writer.writerow([split.place, split.statement.text, *counts, split.total])
    writer.writerow([])
    writer.writerow([_("partij"), _("beste match bij zoveel leerlingen")])
    for party, count in overview["best"]:
        writer.writerow([party.name, count if overview["best_shown"] else f"<{aggregates.MIN_ANSWERS}"])
    return response


# --- students -------------------------------------------------------------------------------------


def join_session(request, session):
    participant = participant_for(request, session) or Participant.objects.create(
        session=session, party=assigned_party(session)
    )
    response = steps.see_other(reverse("classroom:statement", args=[session.code, 1]))
    remember(response, participant)
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


def assigned_party(session) -> str:
    """In an "answer as a party" session, the parties in turn, so that each gets about as many students."""
    snapshot = published.get(session.election)
    if not session.as_party or snapshot is None or not snapshot.parties:
        return ""
    return snapshot.parties[session.participants.count() % len(snapshot.parties)].slug


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
    """The classroom questionnaire: place n is the n-th statement the teacher chose."""

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

    def clear(self):
        return None  # a student's answers count in the class totals until the session is deleted


def show_statement(request, session, snapshot, participant, place):
    answers = dict(participant.answers.values_list("place", "answer"))
    total = len(session.statements)

    def make_context():
        urls = ClassroomURLs(session)
        first_open = next((p for p in range(1, total + 1) if p not in answers), None)
        context = steps.statement_context(snapshot, urls, place, total, answers.get(place), first_open)
        party = snapshot.actor_by_slug.get(participant.party)
        position = context["statement"].positions.get(party.slug) if party else None
        return {**context, "classroom": session, "as_party": party, "party_position": position}

    return steps.show_statement(request, make_context)


@require_http_methods(["GET", "HEAD", "POST"])
@student
def statement(request, session, snapshot, place):
    if not 1 <= place <= len(session.statements):
        raise Http404(_("Deze stelling hoort niet bij de klassessie."))
    participant = participant_for(request, session)
    if participant is None:
        return HttpResponseRedirect(reverse("classroom:join_code", args=[session.code]))
    if not session.is_open:  # the next tap says so (htmx shows this page in place of the step)
        return closed_page(request, session, status=409 if request.method == "POST" else 200)
    if request.method in ("GET", "HEAD"):
        return show_statement(request, session, snapshot, participant, place)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return bad_request(request, _("Kies Eens, Geen van beide, Oneens of Sla over."))
    ClassAnswer.record(participant, place, form.cleaned_data["answer"])
    if place < len(session.statements):
        url = reverse("classroom:statement", args=[session.code, place + 1])
        return steps.swap_or_redirect(
            request, url, lambda: show_statement(request, session, snapshot, participant, place + 1)
        )
    url = reverse("classroom:result", args=[session.code])
    return HttpResponseClientRedirect(url) if steps.wants_fragment(request) else steps.see_other(url)


@require_safe
@student
def result(request, session, snapshot):
    participant = participant_for(request, session)
    if participant is None:
        return HttpResponseRedirect(reverse("classroom:join_code", args=[session.code]))
    mine = dict(participant.answers.values_list("place", "answer"))
    overview = aggregates.overview(session, snapshot)
    lines = [(split, mine.get(split.place)) for split in overview["splits"]]
    party = snapshot.actor_by_slug.get(participant.party)
    context = {
        "session": session,
        "snapshot": snapshot,
        "ranking": aggregates.ranking(snapshot, session, mine),
        "lines": lines,
        "answered": sum(1 for a in mine.values() if a != SKIP),
        "as_party": party,
        "guesses": aggregates.guesses(snapshot, session, mine, party) if party else None,
    }
    return render(request, "classroom/result.html", context)
