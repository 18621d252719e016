// The review queue's "select all": ticks every entry of the form (delegated, so it still works
// after htmx has swapped the queue in place).
document.addEventListener("change", (event) => {
  const box = event.target;
  if (!(box instanceof HTMLInputElement) || !box.matches(".select-all")) return;
  box.form.querySelectorAll('input[name="entries"]').forEach((entry) => {
    entry.checked = box.checked;
  });
});
