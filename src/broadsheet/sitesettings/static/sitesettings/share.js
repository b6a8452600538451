// "Copy link": copies the story's address instead of following the link, when the browser allows.
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("a[data-copy]");
  if (!link || !navigator.clipboard) return;
  event.preventDefault();
  navigator.clipboard.writeText(link.dataset.copy).then(function () {
    link.textContent = "Link copied";
  });
});
