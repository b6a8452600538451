// "Publish Your Article": the page is the same for every reader, so a shared cache may keep it.
// This fills in the reader's own parts of the form: a stamp of this moment (a send is refused
// until a few seconds after it, and each stamp works once) and a key that makes a double send
// store one submission. Without it the first send comes back asking to send again, text kept.
(function () {
  var form = document.querySelector("form.submission-form[data-state]");
  if (!form || !window.fetch) { return; }
  fetch(form.getAttribute("data-state"), {credentials: "same-origin", cache: "no-store"})
    .then(function (answer) { return answer.ok ? answer.json() : null; })
    .then(function (state) {
      if (!state) { return; }
      [["form_stamp", state.stamp], ["form_key", state.form_key]].forEach(function (pair) {
        var input = form.querySelector("input[name=" + pair[0] + "]");
        if (input && !input.value && pair[1]) { input.value = pair[1]; }
      });
    })
    .catch(function () {});
})();
