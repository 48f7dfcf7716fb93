"""The step plumbing both apps share: full page or htmx fragment, and the statement step itself.

Every step is a real form (post/redirect/get without JavaScript); htmx swaps the step fragment in
place and pushes the URL (django-htmx's helpers, never hand-written HX-* headers).
"""

from collections.abc import Callable
from typing import Protocol

from django.http import HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.shortcuts import render
from django_htmx.http import push_url

from positions.vocabulary import ANSWER_CHOICES
from stemwijzer.questionnaire import fragments

CSRF_PLACEHOLDER = "__csrf_token__"


def wants_fragment(request) -> bool:
    """An htmx request that swaps a fragment; history restores get full pages."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def render_step(request, template: str, context: dict, status: int = 200) -> HttpResponse:
    name = f"{template}#step" if wants_fragment(request) else template
    return render(request, name, context, status=status)


def see_other(url: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(url, status=303)


def swap_or_redirect(request, url: str, show: Callable[[], HttpResponse]) -> HttpResponse:
    """After a successful POST: for htmx the next step with its URL pushed, else a 303 (PRG)."""
    return push_url(show(), url) if wants_fragment(request) else see_other(url)


class StatementURLs(Protocol):
    """Where a questionnaire's statement step links to; the citizen and the classroom differ."""

    onward_label: str

    def statement_number(self, place: int) -> int: ...  # the election's number at this place

    def statement(self, place: int) -> str: ...

    def positions(self, place: int) -> str: ...

    def onward(self) -> str: ...

    def clear(self) -> str | None: ...  # where the answers can be wiped, if the visitor can


def statement_context(snapshot, urls: StatementURLs, place: int, total: int, current, first_open) -> dict:
    """`first_open`: the first place still unanswered (None when all are answered)."""
    jump = first_open is not None and first_open != place
    return {
        "snapshot": snapshot,
        "statement": snapshot.statement(urls.statement_number(place)),
        "number": place,
        "total": total,
        "current": current,
        "choices": ANSWER_CHOICES,
        "action_url": urls.statement(place),
        "positions_url": urls.positions(place),
        "previous_url": urls.statement(place - 1) if place > 1 else None,
        "all_answered": first_open is None,
        "open_url": urls.statement(first_open) if jump else None,
        "open_number": first_open,
        "onward_url": urls.onward(),
        "onward_label": urls.onward_label,
        "clear_url": urls.clear(),
    }


def show_statement(request, make_context: Callable[[], dict], cache_key: str | None = None) -> HttpResponse:
    """The statement step, as a full page or (htmx) the step fragment.

    A fragment carries no CSRF token (htmx sends the page's token as a header) and a full page
    gets its token put in after rendering, so the HTML is the same for everyone who sees the same
    variant and can be kept under `cache_key`: the answer step then does almost no template work.
    """
    fragment = wants_fragment(request)

    def render_html() -> str:
        context = {**make_context(), "fragment": fragment, "csrf_token": CSRF_PLACEHOLDER}
        return render_step(request, "citizen/statement.html", context).content.decode()

    if cache_key is None:
        html = render_html()
    else:
        html = fragments.get_or_render(f"{cache_key}:{fragment}", render_html)
    return HttpResponse(html if fragment else html.replace(CSRF_PLACEHOLDER, get_token(request)))
