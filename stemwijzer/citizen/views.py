"""The citizen's questionnaire. Views stay thin: state, scoring and content live in plain modules.

Every step is a real form (post/redirect/get without JavaScript); htmx swaps the step fragment in
place and pushes the URL. Answers live only in the client's signed cookie (see state.py).
"""

from functools import lru_cache, partial, wraps

from django.core.cache import caches
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from positions import published
from stemwijzer.citizen import results, scoring, state
from stemwijzer.citizen.forms import (
    ANSWER_CHOICES,
    AnswerForm,
    ImportantForm,
    PartiesForm,
    ResultForm,
    ShareForm,
)
from stemwijzer.errors import bad_request

fragments = caches["fragments"]  # rendered HTML that is the same for everyone (settings.CACHES)


def wants_fragment(request) -> bool:
    """An htmx request that swaps a fragment; history restores and boosted pages get full pages."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def render_step(request, template, context, status=200):
    name = f"{template}#step" if wants_fragment(request) else template
    return render(request, name, context, status=status)


def step(request, template, make_context, *args):
    return render_step(request, template, make_context(*args))


CSRF_PLACEHOLDER = "__csrf_token_placeholder__"


def statement_step(request, snapshot, citizen, number):
    """The statement step, rendered once per (language, statement, answer) and reused.

    Only the CSRF token differs between citizens; a full page gets it put in after rendering, a
    fragment needs none (htmx sends the page's token as a header). This keeps the answer step
    cheap: no database query and almost no template work.
    """
    current, all_answered = citizen.answer(number), citizen.first_unanswered() is None
    fragment = wants_fragment(request)
    variant = (snapshot.slug, snapshot.publication, get_language(), fragment, number, current, all_answered)
    key = "statement:" + ":".join(map(str, variant))
    html = fragments.get(key)
    if html is None:
        # "NOTPROVIDED" makes {% csrf_token %} render nothing.
        token = "NOTPROVIDED" if fragment else CSRF_PLACEHOLDER
        context = {**citizen_statement_context(snapshot, citizen, number), "csrf_token": token}
        html = render_step(request, "citizen/statement.html", context).content.decode()
        fragments.set(key, html)
    return HttpResponse(html if fragment else html.replace(CSRF_PLACEHOLDER, get_token(request)))


def questionnaire(view):
    """Resolve the published election and the citizen's state; answers never enter any cache."""

    @wraps(view)
    @vary_on_headers("HX-Request")
    def wrapper(request, election, *args, **kwargs):
        snapshot = published.get(election)
        if snapshot is None:
            raise Http404(_("Deze verkiezing bestaat niet of is niet gepubliceerd."))
        try:
            citizen = state.read(request, snapshot)
        except state.BadState:
            message = _("Je antwoorden konden niet worden gelezen. Wis ze en begin opnieuw.")
            return bad_request(request, message, clear_url=step_url(snapshot, "clear"))
        response = view(request, snapshot, citizen, *args, **kwargs)
        patch_cache_control(response, no_store=True, private=True)
        return response

    return wrapper


def step_url(snapshot, name, number=None):
    return _step_url(get_language(), snapshot.slug, name, number)


@lru_cache(maxsize=4096)
def _step_url(language, election, name, number):
    # The same few hundred URLs over and over; reversing them was measurable on the answer step.
    kwargs = {"election": election} if number is None else {"election": election, "number": number}
    return reverse(f"citizen:{name}", kwargs=kwargs)


def next_step(snapshot, number):
    if number < len(snapshot.statements):
        return step_url(snapshot, "statement", number=number + 1)
    return step_url(snapshot, "important")


def see_other(url):
    return HttpResponseRedirect(url, status=303)


def advance(request, snapshot, citizen, url, respond):
    """After a successful POST: a redirect (PRG), or for htmx the next step's fragment, URL pushed."""
    if wants_fragment(request):
        response = respond()
        response["HX-Push-Url"] = url
    else:
        response = see_other(url)
    state.write(response, snapshot, citizen)
    return response


# --- pages ---------------------------------------------------------------------------------------


@require_safe
def home(request):
    elections = published.refresh()
    publications = [(e.slug, e.publication) for e in elections]
    all_quoted = all(e.quoted for e in elections)  # promise no quotes an election lacks
    context = {"elections": elections, "publications": publications, "all_quoted": all_quoted}
    return render(request, "citizen/home.html", context)


@require_safe
def method(request):
    all_quoted = all(e.quoted for e in published.refresh())  # promise no quotes an election lacks
    return render(request, "citizen/method.html", {"all_quoted": all_quoted})


@require_safe
def privacy(request):
    return render(request, "citizen/privacy.html")


def statement_context(snapshot, number, current, total, urls, all_answered):
    """What the statement step shows; shared with the classroom, which has its own URLs."""
    return {
        "snapshot": snapshot,
        "statement": snapshot.statement(urls.statement_number(number)),
        "number": number,
        "total": total,
        "current": current,
        "choices": ANSWER_CHOICES,
        "action_url": urls.statement(number),
        "positions_url": urls.positions(number),
        "previous_url": urls.statement(number - 1) if number > 1 else None,
        "all_answered": all_answered,
        "onward_url": urls.onward(),
        "onward_label": urls.onward_label,
    }


class CitizenURLs:
    """The citizen's questionnaire: statement n is the election's statement n."""

    onward_label = _lazy("Verder naar ‘extra belangrijk’")

    def __init__(self, snapshot):
        self.snapshot = snapshot

    def statement_number(self, number):
        return number

    def statement(self, number):
        return step_url(self.snapshot, "statement", number=number)

    def positions(self, number):
        return step_url(self.snapshot, "positions", number=number)

    def onward(self):
        return step_url(self.snapshot, "important")


def citizen_statement_context(snapshot, citizen, number):
    all_answered = citizen.first_unanswered() is None
    urls = CitizenURLs(snapshot)
    return statement_context(
        snapshot, number, citizen.answer(number), len(snapshot.statements), urls, all_answered
    )


@require_http_methods(["GET", "HEAD", "POST"])
@questionnaire
def statement(request, snapshot, citizen, number):
    if snapshot.statement(number) is None:
        raise Http404(_("Deze stelling bestaat niet."))
    if request.method == "POST":
        form = AnswerForm(request.POST)
        if not form.is_valid():
            return bad_request(request, _("Kies Eens, Geen van beide, Oneens of Sla over."))
        citizen.answers[number - 1] = form.cleaned_data["answer"]
        if number < len(snapshot.statements):
            respond = partial(statement_step, request, snapshot, citizen, number + 1)
        else:
            respond = partial(step, request, "citizen/important.html", important_context, snapshot, citizen)
        return advance(request, snapshot, citizen, next_step(snapshot, number), respond)
    return statement_step(request, snapshot, citizen, number)


@require_safe
@questionnaire
def statement_positions(request, snapshot, citizen, number):
    statement = snapshot.statement(number)
    if statement is None:
        raise Http404(_("Deze stelling bestaat niet."))
    context = {"snapshot": snapshot, "statement": statement, "number": number}
    name = "citizen/positions.html#positions" if wants_fragment(request) else "citizen/positions.html"
    return render(request, name, context)


def important_context(snapshot, citizen):
    return {"snapshot": snapshot, "important": citizen.important, "total": len(snapshot.statements)}


@require_http_methods(["GET", "HEAD", "POST"])
@questionnaire
def important(request, snapshot, citizen):
    if request.method == "POST":
        form = ImportantForm(request.POST, snapshot=snapshot)
        if not form.is_valid():
            return bad_request(request, _("Deze keuze van belangrijke stellingen is ongeldig."))
        citizen.important = set(form.cleaned_data["important"])
        return advance(
            request,
            snapshot,
            citizen,
            step_url(snapshot, "parties"),
            partial(step, request, "citizen/parties.html", parties_context, snapshot, citizen),
        )
    return render_step(request, "citizen/important.html", important_context(snapshot, citizen))


def parties_context(snapshot, citizen):
    return {"snapshot": snapshot, "chosen": {p.slug for p in citizen.chosen_parties(snapshot)}}


@require_http_methods(["GET", "HEAD", "POST"])
@questionnaire
def parties(request, snapshot, citizen):
    if request.method == "POST":
        form = PartiesForm(request.POST, snapshot=snapshot)
        if not form.is_valid():
            return bad_request(request, _("Deze keuze van partijen is ongeldig."))
        chosen = set(form.cleaned_data["parties"])
        if form.cleaned_data["select"] == "all":
            chosen = {p.slug for p in snapshot.parties}
        elif form.cleaned_data["select"] == "none":
            chosen = set()
        citizen.excluded = {p.slug for p in snapshot.parties} - chosen
        if form.cleaned_data["select"]:  # "select all / none" stays on this step
            return advance(
                request,
                snapshot,
                citizen,
                step_url(snapshot, "parties"),
                partial(step, request, "citizen/parties.html", parties_context, snapshot, citizen),
            )
        return advance(
            request,
            snapshot,
            citizen,
            step_url(snapshot, "result"),
            partial(step, request, "citizen/result.html", result_context, request, snapshot, citizen),
        )
    return render_step(request, "citizen/parties.html", parties_context(snapshot, citizen))


def result_context(request, snapshot, citizen, method=scoring.AGREEMENT, shared=False):
    chosen = citizen.chosen_parties(snapshot)
    share_query = state.State.encode(citizen, snapshot)
    return {
        "snapshot": snapshot,
        "state": citizen,
        "method": method,
        "methods": scoring.METHODS,
        "ranking": results.ranking(snapshot, citizen, chosen, method),
        "comparison": results.method_comparison(snapshot, citizen, chosen),
        "comparisons": results.ranking(snapshot, citizen, snapshot.comparisons, method),
        "answered": sum(1 for a in citizen.answers if a in scoring.VALUE),
        "chosen": {p.slug for p in chosen},
        "choices": ANSWER_CHOICES,
        "editor": [(s, citizen.answer(s.number), s.number in citizen.important) for s in snapshot.statements],
        "share_url": request.build_absolute_uri(step_url(snapshot, "result") + "?antwoorden=" + share_query),
        "shared": shared,
        "share_code": share_query if shared else "",
    }


@require_http_methods(["GET", "HEAD", "POST"])
@questionnaire
def result(request, snapshot, citizen):
    published.refresh()  # at most one query: has another process published a newer version?
    method = request.GET.get("methode", scoring.AGREEMENT)
    if method not in scoring.METHODS:
        return bad_request(request, _("Onbekende rekenmethode."))
    if request.method == "POST":
        form = ResultForm(request.POST, snapshot=snapshot)
        if not form.is_valid():
            return bad_request(request, _("Deze antwoorden zijn ongeldig."))
        citizen = form.apply(citizen)
        url = step_url(snapshot, "result")
        return advance(
            request,
            snapshot,
            citizen,
            url,
            partial(step, request, "citizen/result.html", result_context, request, snapshot, citizen),
        )
    shared = False
    if "antwoorden" in request.GET:
        form = ShareForm(request.GET)
        try:
            citizen = form.is_valid() and state.State.decode(form.cleaned_data["antwoorden"], snapshot)
        except state.BadState:
            citizen = None
        if not citizen:
            return bad_request(request, _("Deze deellink is ongeldig of hoort bij een oudere versie."))
        shared = True
    context = result_context(request, snapshot, citizen, method, shared)
    return render_step(request, "citizen/result.html", context)


@require_safe
@questionnaire
def party(request, snapshot, citizen, actor):
    chosen = snapshot.actor_by_slug.get(actor)
    if chosen is None:
        raise Http404(_("Deze partij of organisatie bestaat niet."))
    context = {"snapshot": snapshot, "actor": chosen, **results.party_detail(snapshot, citizen, chosen)}
    return render(request, "citizen/party.html", context)


@require_POST
def clear(request, election):
    """Delete the answers cookie. Reads nothing, so it works even when the cookie is damaged."""
    snapshot = published.get(election)
    if snapshot is None:
        raise Http404(_("Deze verkiezing bestaat niet of is niet gepubliceerd."))
    response = see_other(reverse("citizen:home") + "?gewist=1")
    state.clear(response, snapshot)
    return response
