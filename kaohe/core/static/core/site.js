/* The site's one script of its own, as a file (the Content-Security-Policy allows no inline
   script or event handler): a form with data-confirm asks before it is sent. */
(function () {
  "use strict";
  document.addEventListener("submit", function (e) {
    var form = e.target;
    var question = form instanceof HTMLFormElement && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      e.preventDefault();
    }
  }, true);
})();
