"""The citizen's questionnaire. Views stay thin: state, scoring and content live in plain modules.

Every step is a real form (post/redirect/get without JavaScript); htmx swaps the step fragment in
place and pushes the URL. Answers live only in the client (see cookie.py).
"""

from functools import lru_cache, partial, wraps

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from positions import published
from positions.vocabulary import ANSWER_CHOICES, TAKEN
from stemwijzer.citizen import cookie
from stemwijzer.citizen.forms import ImportantForm, MethodForm, PartiesForm, ResultForm
from stemwijzer.errors import Refused, bad_request, valid
from stemwijzer.http_cache import public_page
from stemwijzer.questionnaire import fragments, results, scoring, steps
from stemwijzer.questionnaire.forms import AnswerForm
from stemwijzer.questionnaire.state import BadState


def with_citizen(view):
    """Resolve the published election and the citizen's state (cookie or share link), once.

    Answers never enter any cache: every response that may show them is private and no-store.
    """

    @wraps(view)
    @vary_on_headers("HX-Request")
    def wrapper(request, election, *args, **kwargs):
        snapshot = published.get(election)
        if snapshot is None:
            raise Http404(_("Deze verkiezing bestaat niet of is niet gepubliceerd."))
        try:
            citizen = cookie.resolve(request, snapshot)
        except BadState:
            if cookie.SHARE_PARAMETER in request.GET:
                return bad_request(request, _("Deze deellink is ongeldig of hoort bij een oudere versie."))
            message = _("Je antwoorden konden niet worden gelezen. Wis ze en begin opnieuw.")
            return bad_request(request, message, clear_url=step_url(snapshot, "clear"))
        if citizen.shared and request.method not in ("GET", "HEAD"):
            return bad_request(request, _("Een gedeelde uitslag kun je alleen bekijken."))
        try:
            response = view(request, snapshot, citizen, *args, **kwargs)
        except Refused as refused:
            response = bad_request(request, refused.message)
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


def advance(request, snapshot, citizen, url, show):
    """After a successful POST: the next step (`show`) or a redirect to `url`, with the new cookie."""
    response = steps.swap_or_redirect(request, url, lambda: show(request, snapshot, citizen))
    cookie.write(response, snapshot, citizen)
    return response


# --- the steps: one function each, used by its GET and by the previous step's htmx POST ----------


class CitizenURLs:
    """The citizen's questionnaire: statement n is the election's statement n."""

    onward_label = _lazy("Verder naar ‘extra belangrijk’")

    def __init__(self, snapshot):
        self.snapshot = snapshot

    def statement_number(self, place):
        return place

    def statement(self, place):
        return step_url(self.snapshot, "statement", number=place)

    def positions(self, place):
        return step_url(self.snapshot, "positions", number=place)

    def onward(self):
        return step_url(self.snapshot, "important")

    def clear(self):
        return step_url(self.snapshot, "clear_confirm")


def show_statement(request, snapshot, citizen, number):
    """Rendered once per (statement, chosen answer, first unanswered statement) and reused for everyone."""
    current, first_open = citizen.answer(number), citizen.first_unanswered()

    def make_context():
        urls = CitizenURLs(snapshot)
        return steps.statement_context(snapshot, urls, number, len(snapshot.statements), current, first_open)

    cache_key = fragments.key("statement", number, current, first_open, snapshot=snapshot)
    return steps.show_statement(request, make_context, cache_key)


def show_important(request, snapshot, citizen):
    context = {"snapshot": snapshot, "important": citizen.important, "total": len(snapshot.statements)}
    return steps.render_step(request, "citizen/important.html", context)


def show_parties(request, snapshot, citizen):
    context = {"snapshot": snapshot, "chosen": {p.slug for p in citizen.chosen_parties(snapshot)}}
    return steps.render_step(request, "citizen/parties.html", context)


def show_result(request, snapshot, citizen, method=scoring.AGREEMENT):
    chosen = citizen.chosen_parties(snapshot)
    answers, important = citizen.by_slug(snapshot), citizen.important_slugs(snapshot)
    by_method = results.rankings(snapshot, answers, important, chosen)
    flips = results.robustness_by_method(snapshot, answers, important, chosen)
    share_query = cookie.share_query(snapshot, citizen)
    context = {
        "snapshot": snapshot,
        "citizen": citizen,
        "method": method,
        "methods": scoring.METHODS,
        "ranking": by_method[method],
        "comparison": results.method_comparison(by_method),
        "flip": flips[method],
        "flips": [flips[m] for m in scoring.METHODS],
        "left_out": [p for p in snapshot.parties if p.slug in citizen.excluded],
        "comparisons": results.ranking(snapshot, answers, important, snapshot.comparisons, method),
        "answered": sum(1 for a in citizen.answers if a in TAKEN),
        "chosen": {p.slug for p in chosen},
        "choices": ANSWER_CHOICES,
        "editor": [(s, citizen.answer(s.number), s.number in citizen.important) for s in snapshot.statements],
        "share_url": request.build_absolute_uri(step_url(snapshot, "result") + share_query),
        "link_query": share_query if citizen.shared else "",
    }
    return steps.render_step(request, "citizen/result.html", context)


# --- pages ---------------------------------------------------------------------------------------


@require_safe
@public_page
def home(request):
    """The start page; for a returning citizen, where they were (then private: see public_page)."""
    elections = published.refresh()
    resume = [place for snapshot in elections if (place := where_you_were(request, snapshot))]
    all_quoted = all(e.quoted for e in elections)  # promise no quotes an election lacks
    context = {"elections": elections, "resume": resume, "all_quoted": all_quoted}
    return render(request, "citizen/home.html", context)


def where_you_were(request, snapshot) -> dict | None:
    """The citizen's progress in one election, read from their own cookie only."""
    if cookie.cookie_name(snapshot) not in request.COOKIES or cookie.SHARE_PARAMETER in request.GET:
        return None
    try:
        citizen = cookie.resolve(request, snapshot)
    except BadState:
        return {"snapshot": snapshot, "damaged": True}
    given = sum(1 for a in citizen.answers if a is not None)
    if not given:
        return None
    first_open = citizen.first_unanswered()
    return {
        "snapshot": snapshot,
        "given": given,
        "first_open": first_open,
        "url": step_url(snapshot, "statement", first_open) if first_open else step_url(snapshot, "result"),
        "clear_url": step_url(snapshot, "clear_confirm"),
    }


@require_safe
@cache_control(public=True, max_age=3600)
def brand_css(request):
    """The brand's accent colour as a stylesheet: settings reach the CSS without inline style."""
    return HttpResponse(
        f":root {{ --accent: {settings.BRAND_ACCENT}; }}\n", content_type="text/css; charset=utf-8"
    )


@require_safe
@public_page
def method(request):
    all_quoted = all(e.quoted for e in published.refresh())  # promise no quotes an election lacks
    return render(request, "citizen/method.html", {"all_quoted": all_quoted})


@require_safe
@public_page
def privacy(request):
    return render(request, "citizen/privacy.html")


@require_http_methods(["GET", "HEAD", "POST"])
@with_citizen
def statement(request, snapshot, citizen, number):
    if snapshot.statement(number) is None:
        raise Http404(_("Deze stelling bestaat niet."))
    if request.method in ("GET", "HEAD"):
        return show_statement(request, snapshot, citizen, number)
    citizen.answers[number - 1] = valid(AnswerForm(request.POST)).cleaned_data["answer"]
    if number < len(snapshot.statements):
        next_url = step_url(snapshot, "statement", number=number + 1)
        return advance(request, snapshot, citizen, next_url, partial(show_statement, number=number + 1))
    return advance(request, snapshot, citizen, step_url(snapshot, "important"), show_important)


@require_safe
@with_citizen
def statement_positions(request, snapshot, citizen, number):
    statement = snapshot.statement(number)
    if statement is None:
        raise Http404(_("Deze stelling bestaat niet."))
    context = {"snapshot": snapshot, "statement": statement, "number": number}
    name = "citizen/_positions.html" if steps.wants_fragment(request) else "citizen/positions.html"
    return render(request, name, context)


@require_http_methods(["GET", "HEAD", "POST"])
@with_citizen
def important(request, snapshot, citizen):
    if request.method in ("GET", "HEAD"):
        return show_important(request, snapshot, citizen)
    citizen.important = set(valid(ImportantForm(request.POST, snapshot=snapshot)).cleaned_data["important"])
    return advance(request, snapshot, citizen, step_url(snapshot, "parties"), show_parties)


@require_http_methods(["GET", "HEAD", "POST"])
@with_citizen
def parties(request, snapshot, citizen):
    if request.method in ("GET", "HEAD"):
        return show_parties(request, snapshot, citizen)
    choice = valid(PartiesForm(request.POST, snapshot=snapshot)).cleaned_data
    citizen.excluded = choice["excluded"]
    if choice["stay"]:  # "select all / none"
        return advance(request, snapshot, citizen, step_url(snapshot, "parties"), show_parties)
    return advance(request, snapshot, citizen, step_url(snapshot, "result"), show_result)


@require_http_methods(["GET", "HEAD", "POST"])
@with_citizen
def result(request, snapshot, citizen):
    published.refresh()  # at most one query: has another process published a newer version?
    method = valid(MethodForm(request.GET)).method()
    if request.method in ("GET", "HEAD"):
        return show_result(request, snapshot, citizen, method)
    citizen = valid(ResultForm(request.POST, snapshot=snapshot)).apply(citizen)
    return advance(request, snapshot, citizen, step_url(snapshot, "result"), show_result)


@require_safe
@public_page
@with_citizen
def party(request, snapshot, citizen, actor):
    chosen = snapshot.actor_by_slug.get(actor)
    if chosen is None:
        raise Http404(_("Deze partij of organisatie bestaat niet."))
    answers, important = citizen.by_slug(snapshot), citizen.important_slugs(snapshot)
    context = {
        "snapshot": snapshot,
        "actor": chosen,
        "citizen": citizen,
        "link_query": cookie.share_query(snapshot, citizen) if citizen.shared else "",
        **results.party_detail(snapshot, answers, important, chosen),
    }
    return render(request, "citizen/party.html", context)


def published_or_404(election):
    snapshot = published.get(election)
    if snapshot is None:
        raise Http404(_("Deze verkiezing bestaat niet of is niet gepubliceerd."))
    return snapshot


@require_safe
def clear_confirm(request, election):
    """ "Wis mijn antwoorden" from any step asks first; the same for everyone, so it reads no cookie."""
    return render(request, "citizen/clear.html", {"snapshot": published_or_404(election)})


@require_POST
def clear(request, election):
    """Delete the answers cookie. Reads nothing, so it works even when the cookie is damaged."""
    snapshot = published_or_404(election)
    response = steps.see_other(reverse("citizen:home") + "?gewist=1")
    cookie.clear(response, snapshot)
    return response
