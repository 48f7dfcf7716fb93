// Progressive enhancement only: every page works without JavaScript. No inline scripts (strict CSP).
(function () {
  "use strict";

  // The step that came with the page is not new: a later swap elsewhere (the party positions)
  // must leave focus where it is.
  function markLoadedStep() {
    var step = document.getElementById("step");
    if (step) step.dataset.settled = "1";
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", markLoadedStep);
  else markLoadedStep();

  // "Kopieer de deellink": shown only where the clipboard can be used.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button || !navigator.clipboard) return;
    var field = document.getElementById(button.dataset.copy);
    navigator.clipboard.writeText(field.value).then(function () {
      var announcer = document.getElementById("announcer");
      if (announcer) announcer.textContent = button.dataset.copied;
      button.textContent = button.dataset.copied;
    });
  });

  // A search field over a long checklist (the party step): hides the items that do not match.
  document.addEventListener("input", function (event) {
    var field = event.target;
    if (!field.dataset || !field.dataset.filter) return;
    var query = field.value.trim().toLowerCase();
    document.querySelectorAll("#" + field.dataset.filter + " li").forEach(function (item) {
      item.hidden = query !== "" && item.textContent.toLowerCase().indexOf(query) === -1;
    });
  });

  function enhance() {
    document.querySelectorAll("[data-copy][hidden], .party-filter[hidden]").forEach(function (element) {
      if (!element.dataset.copy || navigator.clipboard) element.hidden = false;
    });
  }
  document.addEventListener("DOMContentLoaded", enhance);
  document.addEventListener("htmx:afterSettle", enhance);

  // After htmx swaps in a new step: move focus to its heading, update the title, announce progress.
  document.addEventListener("htmx:afterSettle", function () {
    var step = document.getElementById("step");
    if (!step || step.dataset.settled === "1") return;
    step.dataset.settled = "1";
    if (step.dataset.title) document.title = step.dataset.title;
    var heading = step.querySelector("h1");
    if (heading) heading.focus();
    var announcer = document.getElementById("announcer");
    if (announcer && step.dataset.announce) announcer.textContent = step.dataset.announce;
  });

  // htmx does not swap error responses: show the server's error page (its message, in the
  // user's language) in place of the page's content, and move focus to its heading.
  document.addEventListener("htmx:responseError", function (event) {
    var page = new DOMParser().parseFromString(event.detail.xhr.responseText, "text/html");
    var message = page.querySelector("main");
    var here = document.querySelector("main");
    if (!message || !here) {
      window.location.reload();
      return;
    }
    here.innerHTML = message.innerHTML;
    if (page.title) document.title = page.title;
    var heading = here.querySelector("h1");
    if (heading) {
      heading.setAttribute("tabindex", "-1");
      heading.focus();
    }
  });
})();
