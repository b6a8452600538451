// Comments: "Reply" moves the form under the comment; a sent form cannot be sent twice.
(function () {
  "use strict";
  var respond = document.getElementById("respond");
  var form = document.getElementById("comment-form");
  if (!respond || !form) { return; }
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
