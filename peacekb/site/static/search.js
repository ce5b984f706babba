// peacekb site search: optional, plain JavaScript, no framework; the site works without it.
// It loads static/search-index.js (one entry per page: title, what it is, other words, path; a
// script, not JSON, so that it loads from file:// too) on first use and shows the pages whose words
// hold every word typed. Built with DOM nodes: data never becomes markup.
(function () {
  "use strict";
  var form = document.querySelector("form.search");
  if (!form) { return; }
  var input = form.querySelector("input");
  var list = form.querySelector("ol.hits");
  var root = form.getAttribute("data-root") || "";
  var entries = null;
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function load() {
    if (entries !== null) { return Promise.resolve(entries); }
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = form.getAttribute("data-index");
      script.onload = function () {
        entries = (window.PEACEKB_SEARCH || []).map(function (e) {
          return { title: e[0], what: e[1], words: fold(e[0] + " " + e[1] + " " + e[2]), path: e[3] };
        });
        resolve(entries);
      };
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }
  function show(query) {
    var words = fold(query).split(/\s+/).filter(Boolean);
    while (list.firstChild) { list.removeChild(list.firstChild); }
    if (!words.length) { return; }
    load().then(function (all) {
      var shown = 0;
      for (var i = 0; i < all.length && shown < 20; i++) {
        var e = all[i];
        if (!words.every(function (w) { return e.words.indexOf(w) !== -1; })) { continue; }
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = root + e.path;
        a.textContent = e.title;
        var small = document.createElement("small");
        small.textContent = " " + e.what;
        li.appendChild(a);
        li.appendChild(small);
        list.appendChild(li);
        shown++;
      }
    }).catch(function () { form.hidden = true; });
  }
  form.hidden = false;
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  input.addEventListener("input", function () { show(input.value); });
})();
