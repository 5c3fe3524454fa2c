"use strict";
document.addEventListener("click", function (event) {
  var button = event.target.closest("button[aria-controls]");
  if (!button) { return; }
  var target = document.getElementById(button.getAttribute("aria-controls"));
  if (!target) { return; }
  var open = button.getAttribute("aria-expanded") === "true";
  button.setAttribute("aria-expanded", open ? "false" : "true");
  target.hidden = open;
});
