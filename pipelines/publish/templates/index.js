// The awards table, drawn from the page's JSON data block in pages of 50 lines: words (accents,
// ligatures and case ignored), region, year, funder, département filter the lines. The filters and
// the page live in the address (#laureats?region=52&annee=2021&page=3, or index.html?region=24 as
// a query), so a view can be shared; a value the page does not know is said, never dropped unseen;
// « Télécharger cette sélection » writes the chosen lines as CSV, cell for cell as data/awards.csv.
// Each selection is sent to the map (carte.js) as « selection-laureats ».
// Without JavaScript the form stays hidden and the first page, written in the HTML, shows.
(function () {
  "use strict";
  var form = document.getElementById("filtres");
  var text = document.getElementById("filtre-texte");
  var count = document.getElementById("filtre-compte");
  var empty = document.getElementById("filtre-vide");
  var download = document.getElementById("telecharger-selection");
  var body = document.querySelector("#table-laureats tbody");
  var pages = document.getElementById("pages");
  var pageNumber = document.getElementById("page-numero");
  var pageTotal = document.getElementById("page-total");
  var pageLines = document.getElementById("page-lignes");
  var previous = document.getElementById("page-precedente");
  var next = document.getElementById("page-suivante");
  var unknownNote = document.getElementById("filtre-inconnu");
  var data = JSON.parse(document.getElementById("donnees-selection").textContent);
  var total = data.montant.length;
  var noAmount = {};
  data.sans_montant.forEach(function (k) { noAmount[k] = true; });

  // A column's k-th cell, as pipelines/publish/selection.py writes the column: plainly, one value
  // for every line, its values and an index per line, or what follows another column's cell.
  var cells = {};
  function column(name) {
    var c = data.cellules[name];
    if (Array.isArray(c)) { return function (k) { return c[k]; }; }
    if (c.suites) { return function (k) { return cells[c.apres](k) + "-" + c.suites[k]; }; }
    if (!c.indices) { return function () { return c.valeurs[0]; }; }
    return function (k) { return c.valeurs[c.indices[k]]; };
  }
  data.colonnes.forEach(function (name) { cells[name] = column(name); });

  // Each select: its element, the column it reads, its key in the address.
  var selects = [
    ["filtre-region", "region_code", "region"],
    ["filtre-annee", "year", "annee"],
    ["filtre-financeur", "funder", "financeur"],
    ["filtre-departement", "department_code", "departement"]
  ].map(function (s) {
    var label = document.querySelector("label[for=" + s[0] + "]").textContent.toLowerCase();
    return { el: document.getElementById(s[0]), cell: cells[s[1]], key: s[2], label: label };
  });

  function fold(s) {
    return s.toLowerCase().replace(/œ/g, "oe").replace(/æ/g, "ae")
      .normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  // What the page shows of line k, as the first page is written in the HTML.
  function line(k) {
    var plain = data.en_clair[k];
    var region = cells.region_code(k), dep = cells.department_code(k), funder = cells.funder(k);
    var source = data.sources[cells.source_id(k)];
    return {
      id: cells.award_id(k), region: region, year: cells.year(k), dep: dep, funder: funder,
      place: data.regions[region] + " · " + cells.year(k),
      department: dep ? data.departements[dep] : "département non publié",
      beneficiary: plain ? plain[0] : cells.beneficiary_name(k),
      project: (plain ? plain[1] : cells.project_title(k)) || "—",
      funderLabel: data.financeurs[funder][0], funderName: data.financeurs[funder][1],
      amount: data.montant[k], url: source[0], publisher: source[1]
    };
  }

  var folded = null;  // each line's words, folded once, on the first search
  function haystack(k) {
    if (!folded) {
      var memo = {};
      folded = new Array(total);
      for (var i = 0; i < total; i += 1) {
        var l = line(i);
        folded[i] = [l.place, l.department, l.beneficiary, l.project, l.funderLabel, l.amount, l.publisher]
          .map(function (part) { return memo[part] || (memo[part] = fold(part)); }).join(" ");
      }
    }
    return folded[k];
  }

  function element(tag, content, attributes) {
    var el = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (a) { el.setAttribute(a, attributes[a]); });
    (Array.isArray(content) ? content : [content]).forEach(function (c) {
      el.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return el;
  }

  function row(k) {
    var l = line(k);
    return element("tr", [
      element("td", [element("span", l.place, { "class": "lieu" }), element("span", l.department, { "class": "detail" })]),
      element("th", l.beneficiary, { scope: "row" }),
      element("td", l.project),
      element("td", element("abbr", l.funderLabel, { title: l.funderName })),
      element("td", l.amount, { "class": noAmount[k] ? "nombre absent" : "nombre" }),
      element("td", l.url ? element("a", l.publisher, { href: l.url, rel: "noopener noreferrer" }) : l.publisher)
    ], { "data-id": l.id, "data-region": l.region, "data-year": l.year, "data-funder": l.funder, "data-departement": l.dep });
  }

  var matches = [];
  var page = 1;
  function pageCount() { return Math.max(1, Math.ceil(matches.length / data.page)); }

  // The filters of a shared address: after « #laureats? », else in the query (index.html?region=24).
  function addressParams() {
    var hash = window.location.hash;
    var at = hash.indexOf("?");
    if (at !== -1) { return new URLSearchParams(hash.slice(at + 1)); }
    if (window.location.search.length > 1) { return new URLSearchParams(window.location.search.slice(1)); }
    return null;
  }

  function toAddress() {
    var params = new URLSearchParams();
    if (text.value.trim()) { params.set("texte", text.value.trim()); }
    selects.forEach(function (s) { if (s.el.value) { params.set(s.key, s.el.value); } });
    if (page > 1) { params.set("page", String(page)); }
    var query = params.toString();
    var hash = query ? "#laureats?" + query : "";
    var filtered = window.location.hash.indexOf("#laureats?") === 0 || window.location.search;
    if (!query && !filtered) { return; }  // an anchor such as #carte stays as it is
    // One place for the filters: the hash; a query that carried them gives way to it.
    if (window.location.hash !== hash || window.location.search) {
      window.history.replaceState(null, "", window.location.pathname + hash);
    }
  }

  function fromAddress() {
    var params = addressParams();
    if (!params) { return false; }
    var unknown = [];
    text.value = params.get("texte") || "";
    selects.forEach(function (s) {
      var value = params.get(s.key) || "";
      var known = Array.prototype.some.call(s.el.options, function (o) { return o.value === value; });
      if (!known) { unknown.push(s.label + " « " + value + " »"); }
      s.el.value = known ? value : "";
    });
    unknownNote.textContent = unknown.length
      ? "L'adresse demande " + unknown.join(", ") + " : " +
        (unknown.length > 1 ? "ces valeurs ne figurent" : "cette valeur ne figure") +
        " pas dans ce paquet, le filtre n'est pas appliqué. Choisissez une valeur dans la liste."
      : "";
    unknownNote.hidden = !unknown.length;
    page = parseInt(params.get("page"), 10) || 1;
    return true;
  }

  function show(wanted) {
    page = Math.min(Math.max(1, wanted), pageCount());
    var first = (page - 1) * data.page;
    var shown = matches.slice(first, first + data.page);
    var rows = document.createDocumentFragment();
    shown.forEach(function (k) { rows.appendChild(row(k)); });
    body.replaceChildren(rows);
    pageNumber.value = String(page);
    pageNumber.max = String(pageCount());
    pageTotal.textContent = "sur " + pageCount();
    pageLines.textContent = shown.length ? "Lignes " + (first + 1) + " à " + (first + shown.length) + " sur " + matches.length : "";
    previous.disabled = page === 1;
    next.disabled = page === pageCount();
    pages.hidden = pageCount() === 1;
    toAddress();
  }

  function filter() {
    var words = fold(text.value).split(/\s+/).filter(Boolean);
    var chosen = selects.filter(function (s) { return s.el.value; });
    matches = [];
    for (var k = 0; k < total; k += 1) {
      if (chosen.every(function (s) { return s.cell(k) === s.el.value; }) &&
          (!words.length || words.every(function (w) { return haystack(k).indexOf(w) !== -1; }))) {
        matches.push(k);
      }
    }
    var n = matches.length;
    count.textContent = n + (n > 1 ? " lignes affichées" : " ligne affichée") + " sur " + total;
    empty.hidden = n !== 0;
    download.disabled = n === 0;
    tellTheMap(words, chosen);
  }

  // The map (carte.js) draws the same selection: its lines per département and the filters.
  function tellTheMap(words, chosen) {
    var perDepartement = {};
    matches.forEach(function (k) {
      var d = cells.department_code(k);
      if (d) { perDepartement[d] = (perDepartement[d] || 0) + 1; }
    });
    var filters = {};
    selects.forEach(function (s) { filters[s.key] = s.el.value; });
    var described = chosen.map(function (s) { return s.label + " " + s.el.options[s.el.selectedIndex].text; });
    if (words.length) { described.push("mots « " + text.value.trim() + " »"); }
    document.dispatchEvent(new CustomEvent("selection-laureats", { detail: {
      actif: described.length > 0, description: described.join(", "),
      departements: perDepartement, filtres: filters
    } }));
  }

  function apply() { filter(); show(1); }

  function cell(value) {
    return /[",\n\r]/.test(value) ? "\"" + value.replace(/"/g, "\"\"") + "\"" : value;
  }

  function selectionCsv() {
    var lines = [data.colonnes.map(cell).join(",")];
    matches.forEach(function (k) {
      lines.push(data.colonnes.map(function (c) { return cell(cells[c](k)); }).join(","));
    });
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

  previous.addEventListener("click", function () { show(page - 1); });
  next.addEventListener("click", function () { show(page + 1); });
  pageNumber.addEventListener("change", function () { show(parseInt(pageNumber.value, 10) || 1); });
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
  window.addEventListener("hashchange", function () { if (fromAddress()) { filter(); show(page); } });
  form.hidden = false;
  var note = document.getElementById("pages-sans-script");
  if (note) { note.hidden = true; }
  var wanted = fromAddress() ? page : 1;
  filter();
  show(wanted);
})();
