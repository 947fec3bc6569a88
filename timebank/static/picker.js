/* Member pickers (templates/macros/forms.html, "picker"): while someone types in a picker's search box, ask
   the page for its matches as its own "Find" button would (the form sent with find=<the picker>), and put
   the answer's list of matches in place of this one, saying how many were found. Without this script the
   Find button does the same by sending the form; with it the button still works. */
(function () {
  "use strict";

  var WAIT_MS = 250;
  var timers = new WeakMap();
  var asked = new WeakMap();

  function refresh(box) {
    var picker = box.closest("[data-picker]");
    var form = box.form;
    if (!picker || !form) { return; }
    var results = document.getElementById(box.id + "-results");
    var status = document.getElementById(box.id + "-status");
    var data = new FormData(form);
    data.set("find", picker.getAttribute("data-picker"));
    var sent = box.value;
    var ask = {};
    asked.set(box, ask);
    fetch(form.getAttribute("action") || window.location.href, {
      method: "POST", body: data, credentials: "same-origin"
    }).then(function (response) {
      return response.text();
    }).then(function (html) {
      // Only the answer to the latest question counts, and only while the box still says what was asked.
      if (asked.get(box) !== ask || box.value !== sent) { return; }
      var fresh = new DOMParser().parseFromString(html, "text/html").getElementById(results.id);
      if (!fresh) { return; }
      results.replaceWith(document.importNode(fresh, true));
      if (status) { status.textContent = fresh.getAttribute("data-announce") || ""; }
    }).catch(function () {
      // Nothing changes: the Find button still asks the page.
    });
  }

  document.addEventListener("input", function (event) {
    var box = event.target;
    if (!(box instanceof HTMLInputElement) || !box.hasAttribute("data-picker-search")) { return; }
    clearTimeout(timers.get(box));
    if (box.value.trim() === "") { return; }
    timers.set(box, setTimeout(function () { refresh(box); }, WAIT_MS));
  });

  // Enter in a search box presses that picker's Find, not the form's first button (another picker's Find).
  document.addEventListener("keydown", function (event) {
    var box = event.target;
    if (event.key !== "Enter" || !(box instanceof HTMLInputElement) || !box.hasAttribute("data-picker-search")) {
      return;
    }
    var find = box.closest("[data-picker]").querySelector("button[name=find]");
    if (find) {
      event.preventDefault();
      clearTimeout(timers.get(box));
      find.click();
    }
  });
}());
