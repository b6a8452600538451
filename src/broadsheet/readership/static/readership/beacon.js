// Counts one read of this story once the page has been visible for two seconds: no cookie,
// no identifier, a same-origin POST of the story's number only.
(function () {
  var tag = document.querySelector("[data-read-beacon]");
  if (!tag || !navigator.sendBeacon) return;
  var sent = false, timer = null;
  function send() {
    if (sent) return;
    sent = true;
    var body = new FormData();
    body.append("a", tag.getAttribute("data-read-beacon"));
    navigator.sendBeacon("/readership/read", body);
  }
  function watch() {
    if (document.visibilityState === "visible" && !timer) timer = setTimeout(send, 2000);
    if (document.visibilityState !== "visible" && timer) { clearTimeout(timer); timer = null; }
  }
  document.addEventListener("visibilitychange", watch);
  watch();
})();
