// Filters the awards table in place: words (accents and case ignored), region, year.
// Without JavaScript the form stays hidden and the whole table shows.
(function () {
  "use strict";
  var form = document.getElementById("filtres");
  var text = document.getElementById("filtre-texte");
  var region = document.getElementById("filtre-region");
  var year = document.getElementById("filtre-annee");
  var count = document.getElementById("filtre-compte");
  var empty = document.getElementById("filtre-vide");
  var rows = Array.prototype.slice.call(document.querySelectorAll("#table-laureats tbody tr"));

  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  rows.forEach(function (tr) { tr.setAttribute("data-texte", fold(tr.textContent)); });

  function apply() {
    var words = fold(text.value).split(/\s+/).filter(Boolean);
    var shown = 0;
    rows.forEach(function (tr) {
      var haystack = tr.getAttribute("data-texte");
      var keep = (!region.value || tr.getAttribute("data-region") === region.value) &&
        (!year.value || tr.getAttribute("data-year") === year.value) &&
        words.every(function (w) { return haystack.indexOf(w) !== -1; });
      tr.hidden = !keep;
      if (keep) { shown += 1; }
    });
    count.textContent = shown + (shown > 1 ? " lignes affichées" : " ligne affichée") + " sur " + rows.length;
    empty.hidden = shown !== 0;
  }

  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
  form.hidden = false;
  apply();
})();
