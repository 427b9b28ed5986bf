/* Bookwise's only script (the Content-Security-Policy allows no inline script): draws every
   chart the `chart` template tag left (a <div data-chart> with its spec in a JSON script),
   wires the buttons that print or go back, and prints a page whose body asks for it. */
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-chart]").forEach(function (div) {
    if (typeof Plotly === "undefined") return;
    var spec = JSON.parse(document.getElementById(div.dataset.chart).textContent);
    Plotly.newPlot(div.id, spec.data, spec.layout, {displayModeBar: false, responsive: true});
  });
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
  if (document.body.hasAttribute("data-print-on-load")) window.print();
  document.querySelectorAll("[data-back]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (window.history.length > 1) { event.preventDefault(); window.history.back(); }
    });
  });
});
