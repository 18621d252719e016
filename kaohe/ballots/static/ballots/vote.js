/* The voters' page, as a file (the Content-Security-Policy allows no inline script): each part
   runs on the page that has its element. */
(function () {
  "use strict";

  function codeFromFragment() {
    // The code comes in the fragment (/v/#CODE), which browsers never send to the server: move
    // it into the form, drop it from the address bar and history, and post it.
    var form = document.getElementById("code-form");
    var code = decodeURIComponent((location.hash || "").slice(1));
    if (!form || !code) { return; }
    history.replaceState(null, "", location.pathname);
    document.getElementById("code").value = code;
    form.submit();
  }

  function progress() {
    // How many departments are graded so far, under the ballot.
    var form = document.getElementById("ballot"), out = document.getElementById("progress");
    if (!form || !out) { return; }
    var total = out.getAttribute("data-total"), label = out.getAttribute("data-label");
    function update() {
      out.textContent = form.querySelectorAll("input[type=radio]:checked").length + " / " + total + " " + label;
    }
    form.addEventListener("change", update);
    update();
  }

  function oneTap() {
    // One tap is enough; the server accepts one ballot per code whatever happens.
    var form = document.getElementById("review");
    if (!form) { return; }
    form.addEventListener("submit", function (e) {
      var step = e.submitter && e.submitter.value;
      if (step !== "submit") { return; }
      var hidden = document.createElement("input");
      hidden.type = "hidden"; hidden.name = "step"; hidden.value = "submit";
      form.appendChild(hidden);
      e.submitter.disabled = true;
    });
  }

  codeFromFragment();
  progress();
  oneTap();
})();
