// Comments: the reader's own parts of a page that is the same for everyone (a stamp for the
// form, their saved name, their comments awaiting moderation) come from one small uncached
// request; "Reply" moves the form under the comment; a sent form cannot be sent twice.
(function () {
  "use strict";
  var respond = document.getElementById("respond");
  var form = document.getElementById("comment-form");
  if (!respond || !form) { return; }

  function fill(state) {
    if (!state) { return; }
    var stamp = form.querySelector("input[name=form_stamp]");
    if (stamp && !stamp.value) { stamp.value = state.stamp; }
    ["author", "email", "url"].forEach(function (name) {
      var field = document.getElementById("id_" + name);
      if (field && !field.value && state[name]) { field.value = state[name]; }
    });
    var remember = document.getElementById("id_remember");
    if (remember && state.remember) { remember.checked = true; }
    var list = document.querySelector(".comment-list");
    (state.awaiting || []).forEach(function (item) {
      if (document.getElementById("comment-" + item.id)) { return; }
      var holder = document.createElement("ol");
      holder.innerHTML = item.html;
      var node = holder.firstElementChild;
      var parent = item.parent ? document.getElementById("comment-" + item.parent) : null;
      if (parent) {
        var children = parent.querySelector(":scope > ol.children");
        if (!children) { children = document.createElement("ol"); children.className = "children"; parent.appendChild(children); }
        children.appendChild(node);
      } else {
        if (!list) { list = document.createElement("ol"); list.className = "comment-list"; respond.parentNode.insertBefore(list, respond); }
        list.appendChild(node);
      }
    });
  }

  var stateUrl = form.getAttribute("data-state");
  if (stateUrl && window.fetch) {
    fetch(stateUrl, {credentials: "same-origin", cache: "no-store"})
      .then(function (answer) { return answer.ok ? answer.json() : null; })
      .then(fill)
      .catch(function () {});
  }

  var home = document.createElement("div");
  home.id = "respond-home";
  respond.parentNode.insertBefore(home, respond);
  var parentField = document.getElementById("id_parent");
  var note = document.getElementById("replying-to");
  var noteName = document.getElementById("replying-to-name");
  var cancel = document.getElementById("cancel-reply");

  function replyTo(link) {
    var item = document.getElementById("comment-" + link.getAttribute("data-comment"));
    if (!item) { return false; }
    var body = item.querySelector(".comment-body");
    body.parentNode.insertBefore(respond, body.nextSibling);
    parentField.value = link.getAttribute("data-comment");
    noteName.textContent = link.getAttribute("data-author");
    note.hidden = false;
    document.getElementById("id_comment").focus();
    return true;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest(".comment-reply-link") : null;
    if (link && replyTo(link)) { event.preventDefault(); }
  });

  if (cancel) {
    cancel.addEventListener("click", function (event) {
      event.preventDefault();
      home.parentNode.insertBefore(respond, home.nextSibling);
      parentField.value = "";
      note.hidden = true;
    });
  }

  form.addEventListener("submit", function (event) {
    var button = document.getElementById("comment-submit");
    if (form.getAttribute("data-sent")) { event.preventDefault(); return; }
    form.setAttribute("data-sent", "1");
    window.setTimeout(function () { button.disabled = true; button.textContent = "Sending…"; }, 0);
  });
})();
