/* Embeds in a story: the provider's player replaces its placeholder only when the reader asks. */
document.addEventListener("click", function (event) {
  var link = event.target.closest("a.embed-load");
  if (!link) return;
  event.preventDefault();
  var frame = document.createElement("iframe");
  frame.src = link.getAttribute("data-embed-player");
  frame.className = "embed-frame";
  frame.title = link.textContent;
  frame.setAttribute("allow", "encrypted-media; picture-in-picture; fullscreen");
  frame.setAttribute("allowfullscreen", "");
  var placeholder = link.closest(".embed-placeholder");
  placeholder.replaceWith(frame);
  frame.focus();
});
