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

  // htmx does not swap error responses: show the server's error page by loading it in full.
  document.addEventListener("htmx:responseError", function () {
    window.location.reload();
  });
})();
