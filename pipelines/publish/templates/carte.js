// The map of laureates by département. Each département, reached by Tab, tapped or clicked, says
// its figures in the panel under the map (a hover title alone reaches neither a phone nor a
// keyboard). The awards' filters (index.js sends « selection-laureats ») redraw it: named lines
// as the filters select them; announced counts by their campaign's region and year and by
// département, as they name no funder and no words. With no filter, the figures written in the
// HTML come back, amounts included. Without JavaScript the titles and the table stay.
(function () {
  "use strict";
  var holder = document.getElementById("donnees-carte");
  if (!holder) { return; }
  var data = JSON.parse(holder.textContent);
  var panel = document.getElementById("carte-panneau");
  var status = document.getElementById("carte-filtres");
  var PREFIX = { minimum: "au moins ", maximum: "jusqu'à ", approximate: "environ " };
  var places = Array.prototype.map.call(
    document.querySelectorAll("#carte-departements [data-departement]"),
    function (el) {
      var tile = el.classList.contains("tuile");
      var paint = tile ? el.querySelector(".tuile-fond rect") : el;
      return {
        el: el, code: el.getAttribute("data-departement"), tile: tile, paint: paint,
        fill: paint.getAttribute("fill"), label: el.getAttribute("data-libelle"),
        lines: el.getAttribute("data-lignes"), announced: el.getAttribute("data-annonces"),
        short: tile ? el.querySelector(".tuile-lignes").textContent : null,
        current: el.getAttribute("data-libelle")
      };
    });
  var chosen = null;

  function plural(n, word) { return n > 1 ? word + "s" : word; }

  function announcedWords(a) {
    if (!a) { return "aucun nombre de lauréats annoncé"; }
    return (PREFIX[a.q] || "") + a.n + (a.q === "sum" ? " (somme calculée)" : "") + " " +
      plural(a.n, "lauréat") + " " + plural(a.n, "annoncé");
  }

  function fillOf(known, announcedOnly) {
    var k = 0;
    data.classes.forEach(function (c, i) {
      if (known >= c[0] && (c[1] === null || known <= c[1])) { k = i; }
    });
    return announcedOnly && k ? "url(#" + data.hachure.replace("{}", k) + ")" : data.classes[k][2];
  }

  function announcedIn(f) {
    var out = {};
    data.annonces.forEach(function (a) {
      if ((f.region && a[1] !== f.region) || (f.annee && a[2] !== f.annee) ||
          (f.departement && a[0] !== f.departement)) { return; }
      var was = out[a[0]];
      out[a[0]] = was ? { n: was.n + a[3], q: "sum" } : { n: a[3], q: a[4] };
    });
    return out;
  }

  function draw(p, fill, label, lines, announced, short) {
    p.paint.setAttribute("fill", fill);
    p.current = label;
    p.el.setAttribute("data-lignes", lines);
    p.el.setAttribute("data-annonces", announced);
    if (p.tile) {
      p.el.setAttribute("title", label);
      p.el.querySelector(".tuile-lignes").textContent = short;
    } else {
      p.el.setAttribute("aria-label", label);
      p.el.querySelector("title").textContent = label;
    }
  }

  function redraw(detail) {
    var announced = announcedIn(detail.filtres);
    places.forEach(function (p) {
      if (!detail.actif) { draw(p, p.fill, p.label, p.lines, p.announced, p.short); return; }
      var lines = detail.departements[p.code] || 0;
      var a = announced[p.code] || null;
      var label = data.noms[p.code] + " (" + p.code + ") : " + announcedWords(a) + ", " + lines +
        " " + plural(lines, "ligne") + " " + plural(lines, "nommée") + " dans la sélection";
      var short = !lines && a && a.n ? a.n + " " + plural(a.n, "annoncé") :
        lines ? lines + " " + plural(lines, "ligne") : "aucune ligne";
      draw(p, fillOf(Math.max(lines, a ? a.n : 0), Boolean(a && a.n) && !lines), label, lines,
        a ? String(a.n) : "", short);
    });
    status.hidden = !detail.actif;
    status.textContent = detail.actif
      ? "La carte suit les filtres de la liste des lauréats : " + detail.description +
        ". Les lauréats annoncés suivent la région, l'année et le département, pas le financeur ni les mots : les annonces ne les disent pas."
      : "";
    if (chosen) { show(chosen); }
  }

  function show(p) {
    if (chosen && chosen !== p) { chosen.el.classList.remove("choisi"); }
    chosen = p;
    p.el.classList.add("choisi");
    panel.textContent = p.current;
  }

  places.forEach(function (p) {
    p.el.addEventListener("focus", function () { show(p); });
    p.el.addEventListener("click", function () { show(p); });
    p.el.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") { event.preventDefault(); show(p); }
    });
  });
  document.addEventListener("selection-laureats", function (event) { redraw(event.detail); });
  panel.textContent = "Touchez ou cliquez un département, ou atteignez-le avec la touche Tab : ses chiffres s'affichent ici.";
  panel.hidden = false;
})();
