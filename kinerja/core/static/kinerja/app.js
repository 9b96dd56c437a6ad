// Kinerja's own behaviour for every page. The Content-Security-Policy runs no inline script, so
// a page asks for behaviour with data attributes, read here.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-print]");
  if (button) {
    event.preventDefault();
    window.print();
  }
});
