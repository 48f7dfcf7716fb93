// Progressive enhancement only: every page works without JavaScript. No inline scripts (strict CSP).
(function () {
  "use strict";

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
