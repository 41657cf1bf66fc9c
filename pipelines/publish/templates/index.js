// Filters the awards table in place: words (accents, ligatures and case ignored), region, year,
// funder, département. The filters live in the address (#laureats?region=52&annee=2021), so a
// filtered view can be shared; « Télécharger cette sélection » writes the shown rows as CSV,
// cell for cell as data/awards.csv. Without JavaScript the form stays hidden and the whole table shows.
(function () {
  "use strict";
  var form = document.getElementById("filtres");
  var text = document.getElementById("filtre-texte");
  var count = document.getElementById("filtre-compte");
  var empty = document.getElementById("filtre-vide");
  var download = document.getElementById("telecharger-selection");
  var data = JSON.parse(document.getElementById("donnees-selection").textContent);
  var rows = Array.prototype.slice.call(document.querySelectorAll("#table-laureats tbody tr"));
  // Each select: its element, the row attribute it reads, its key in the address.
  var selects = [
    ["filtre-region", "data-region", "region"],
    ["filtre-annee", "data-year", "annee"],
    ["filtre-financeur", "data-funder", "financeur"],
    ["filtre-departement", "data-departement", "departement"]
  ].map(function (s) { return { el: document.getElementById(s[0]), attr: s[1], key: s[2] }; });

  function fold(s) {
    return s.toLowerCase().replace(/œ/g, "oe").replace(/æ/g, "ae")
      .normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  rows.forEach(function (tr) { tr.setAttribute("data-texte", fold(tr.textContent)); });

  function shown() { return rows.filter(function (tr) { return !tr.hidden; }); }

  function toAddress() {
    var params = new URLSearchParams();
    if (text.value.trim()) { params.set("texte", text.value.trim()); }
    selects.forEach(function (s) { if (s.el.value) { params.set(s.key, s.el.value); } });
    var query = params.toString();
    var hash = query ? "#laureats?" + query : "";
    var filtered = window.location.hash.indexOf("#laureats?") === 0;
    if (!query && !filtered) { return; }  // an anchor such as #carte stays as it is
    if (window.location.hash !== hash) {
      window.history.replaceState(null, "", hash || window.location.pathname + window.location.search);
    }
  }

  function fromAddress() {
    var hash = window.location.hash;
    var at = hash.indexOf("?");
    if (at === -1) { return false; }
    var params = new URLSearchParams(hash.slice(at + 1));
    text.value = params.get("texte") || "";
    selects.forEach(function (s) {
      var value = params.get(s.key) || "";
      var known = Array.prototype.some.call(s.el.options, function (o) { return o.value === value; });
      s.el.value = known ? value : "";
    });
    return true;
  }

  function apply() {
    var words = fold(text.value).split(/\s+/).filter(Boolean);
    var n = 0;
    rows.forEach(function (tr) {
      var haystack = tr.getAttribute("data-texte");
      var keep = selects.every(function (s) { return !s.el.value || tr.getAttribute(s.attr) === s.el.value; }) &&
        words.every(function (w) { return haystack.indexOf(w) !== -1; });
      tr.hidden = !keep;
      if (keep) { n += 1; }
    });
    count.textContent = n + (n > 1 ? " lignes affichées" : " ligne affichée") + " sur " + rows.length;
    empty.hidden = n !== 0;
    download.disabled = n === 0;
    toAddress();
  }

  function cell(value) {
    return /[",\n\r]/.test(value) ? "\"" + value.replace(/"/g, "\"\"") + "\"" : value;
  }

  function selectionCsv() {
    var lines = [data.columns.map(cell).join(",")];
    shown().forEach(function (tr) { lines.push(data.rows[tr.getAttribute("data-id")].map(cell).join(",")); });
    return lines.join("\n") + "\n";
  }

  download.addEventListener("click", function () {
    var blob = new Blob([selectionCsv()], { type: "text/csv;charset=utf-8" });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = "laureats-selection.csv";
    document.body.appendChild(link);
    link.click();
    document.body.removeChild(link);
    window.setTimeout(function () { URL.revokeObjectURL(link.href); }, 0);
  });

  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
  window.addEventListener("hashchange", function () { if (fromAddress()) { apply(); } });
  form.hidden = false;
  fromAddress();
  apply();
})();
