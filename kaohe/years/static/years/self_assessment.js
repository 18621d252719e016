// The self-assessment form's subtotals and total, added up live as the server adds them on save:
// in hundredths (integers), so 0.1 + 0.2 is 0.30, shown as the page shows it (4, 19.80); a score that is not 0..points with at most
// 2 decimals is marked and left out.
(function () {
  "use strict";
  var form = document.getElementById("self-assessment");
  if (!form) return;
  var SCORE = /^[0-9]{1,12}(\.[0-9]{1,2})?$/;

  function cents(text) {
    var parts = text.split(".");
    var fraction = ((parts[1] || "") + "00").slice(0, 2);
    return parseInt(parts[0], 10) * 100 + parseInt(fraction, 10);
  }

  function shown(value) {
    var whole = Math.floor(value / 100), rest = value % 100;
    if (rest === 0) return String(whole);
    return whole + "." + (rest < 10 ? "0" + rest : String(rest));
  }

  function update() {
    var sums = {}, total = 0;
    form.querySelectorAll("output[data-subtotal]").forEach(function (out) {
      sums[out.dataset.subtotal] = 0;
    });
    form.querySelectorAll("input[data-category]").forEach(function (input) {
      var text = input.value.trim(), code = input.dataset.category;
      var box = form.querySelector('output[data-subtotal="' + code + '"]');
      var limit = box ? cents(box.dataset.points) : 0;
      var ok = text === "" || (SCORE.test(text) && cents(text) <= limit);
      input.classList.toggle("invalid", !ok);
      if (ok && text !== "") sums[code] += cents(text);
    });
    form.querySelectorAll("output[data-subtotal]").forEach(function (out) {
      var value = sums[out.dataset.subtotal];
      out.textContent = shown(value);
      out.classList.toggle("over", value > cents(out.dataset.points));
      total += value;
    });
    var all = form.querySelector("output[data-total]");
    if (all) all.textContent = shown(total);
  }

  form.addEventListener("input", update);
  update();
})();
