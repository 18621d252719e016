/* Keyboard-fast entry of a paper form (a file: the Content-Security-Policy allows no inline
   script). Enter in the code field goes to the first department; a key 0–N in a row is kept, its
   grade's name shown, and the cursor moves to the next row; Backspace in an empty row goes back;
   any other key is ignored. Without this script the form still works: type the keys and submit. */
(function () {
  "use strict";
  function init() {
    var form = document.querySelector("[data-paper-entry]");
    if (!form) { return; }
    var names = {};
    var template = document.getElementById("paper-grade-names");
    if (template) {
      template.content.querySelectorAll("[data-key]").forEach(function (el) {
        names[el.getAttribute("data-key")] = el.textContent;
      });
    }
    var inputs = Array.prototype.slice.call(form.querySelectorAll("[data-paper-key]"));
    var code = form.querySelector("[data-paper-code]");
    function show(input) {
      var cell = input.closest("tr").querySelector("[data-paper-grade]");
      if (cell) { cell.textContent = names[input.value] || ""; }
    }
    inputs.forEach(function (input, i) {
      show(input);
      input.addEventListener("keydown", function (e) {
        if (e.ctrlKey || e.metaKey || e.altKey || e.key === "Tab" || e.key === "Enter") { return; }
        if (e.key === "Backspace" && input.value === "" && i > 0) {
          e.preventDefault(); inputs[i - 1].focus(); inputs[i - 1].select(); return;
        }
        if (e.key === "Backspace" || e.key === "Delete") { return; }
        if (e.key === "ArrowUp" && i > 0) { e.preventDefault(); inputs[i - 1].focus(); return; }
        if (e.key === "ArrowDown" && i < inputs.length - 1) { e.preventDefault(); inputs[i + 1].focus(); return; }
        if (e.key.length !== 1) { return; }
        e.preventDefault();
        if (!(e.key in names)) { return; }
        input.value = e.key;
        show(input);
        var next = inputs[i + 1] || form.querySelector("button[type=submit]");
        next.focus();
        if (next.select) { next.select(); }
      });
      input.addEventListener("input", function () { show(input); });
    });
    if (code) {
      code.addEventListener("keydown", function (e) {
        if (e.key === "Enter" && inputs.length) { e.preventDefault(); inputs[0].focus(); inputs[0].select(); }
      });
    }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
