// Live page: every 15 seconds, fetch the newest updates (a URL the shared cache answers) and
// add the ones this page does not show yet. Without this script the page works by reloading.
(function () {
  var live = document.querySelector("[data-live-poll]");
  if (!live || !window.fetch) return;
  var list = live.querySelector("[data-live-updates]");
  var status = live.querySelector("[data-live-status]");
  var keyPoints = live.querySelector("[data-live-key-points]");
  var every = parseInt(live.getAttribute("data-live-interval") || "15000", 10);
  function shown(id) { return document.getElementById("update-" + id); }
  function check() {
    fetch(live.getAttribute("data-live-poll"), { credentials: "omit" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) return;
        var added = 0;
        data.updates.slice().reverse().forEach(function (u) {
          if (shown(u.id)) return;
          var holder = document.createElement("div");
          holder.innerHTML = u.html;
          var item = holder.firstElementChild;
          if (item) { list.insertBefore(item, list.firstElementChild); added++; }
        });
        if (keyPoints) {
          keyPoints.innerHTML = data.key_points_html;
          keyPoints.parentElement.hidden = !data.key_points_html.trim();
        }
        if (added && status) status.textContent = added + (added === 1 ? " new update" : " new updates") + " added.";
        if (data.open) setTimeout(check, every);
      })
      .catch(function () { setTimeout(check, every * 2); });
  }
  setTimeout(check, every);
})();
