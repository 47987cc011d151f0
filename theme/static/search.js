/* Search: shows the search form, which is hidden without JavaScript, and when the reader first
   searches loads the site's Pagefind index (pagefind/pagefind.js, beside the pages) and lists
   the fact-checks found as the other lists show them. Nothing is loaded from anywhere else. */
(function () {
  "use strict";

  var box = document.querySelector(".search");
  if (!box || !window.URL || !window.Promise) return;
  var form = box.querySelector(".search-form");
  var fields = form.elements;
  var filterFields = [fields.rating, fields.topic, fields.claimant];
  var status = box.querySelector(".search-status");
  var words = status.dataset;
  var list = box.querySelector(".search-results");
  var more = box.querySelector(".search-more");
  var language = document.documentElement.lang || "en";
  var PAGE = 20; // results shown at a time
  var loading = null; // the Pagefind module, once asked for
  var latest = 0; // the latest search's number: an older one's answer is dropped
  var found = []; // the latest search's results, for "show more"
  var timer = 0;

  box.hidden = false;
  readAddress();
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    search();
  });
  fields.q.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(search, 200);
  });
  // Focusing the box starts loading the index: it is ready by the time a word is typed.
  fields.q.addEventListener("focus", function () { load().catch(function () {}); });
  filterFields.concat(fields.order).forEach(function (field) {
    field.addEventListener("change", search);
  });
  more.addEventListener("click", function () { show(list.children.length + PAGE); });
  if (fields.q.value || filterFields.some(function (f) { return f.value; })) search();

  /* The Pagefind module, loaded once, with result addresses under the site's own path (a
     site published at /REPO/ gets /REPO/claims/x/), and the topic and claimant filters filled
     in from the index. */
  function load() {
    if (!loading) {
      var script = new URL(box.dataset.bundle, location.href).href;
      var root = new URL(box.dataset.root, location.href).pathname;
      loading = import(script).then(function (pagefind) {
        return pagefind.options({ baseUrl: root }).then(function () {
          return pagefind.filters();
        }).then(function (filters) {
          fill(fields.topic, filters.topic || {});
          fill(fields.claimant, filters.claimant || {});
          return pagefind;
        });
      });
      loading.catch(function () { loading = null; });
    }
    return loading;
  }

  /* The options of a filter: "any" first, then each name in the index, in the site
     language's alphabetical order; a choice from the address stays chosen. */
  function fill(select, counts) {
    var chosen = select.value;
    var names = Object.keys(counts);
    if (chosen && names.indexOf(chosen) < 0) names.push(chosen);
    while (select.options.length > 1) select.remove(1);
    names.sort(function (a, b) { return a.localeCompare(b, language); }).forEach(function (name) {
      select.add(new Option(name, name));
    });
    select.value = chosen;
  }

  function search() {
    var number = ++latest;
    var query = fields.q.value.trim();
    var filters = {};
    filterFields.forEach(function (field) {
      if (field.value) filters[field.name] = field.value;
    });
    writeAddress();
    if (!query && !Object.keys(filters).length) {
      found = [];
      list.textContent = "";
      more.hidden = true;
      status.textContent = "";
      return;
    }
    if (!loading) status.textContent = words.loading;
    load().then(function (pagefind) {
      var options = { filters: filters };
      // Without words there is no best match: newest first.
      if (fields.order.value === "newest" || !query) options.sort = { date: "desc" };
      return pagefind.search(query || null, options);
    }).then(function (answer) {
      if (number !== latest) return;
      found = answer.results;
      list.textContent = "";
      status.textContent = count(found.length);
      show(PAGE);
    }, function () {
      if (number === latest) status.textContent = words.failed;
    });
  }

  /* Lists the first `upTo` results, loading each one's data as it is shown. */
  function show(upTo) {
    var number = latest;
    var from = list.children.length;
    var shown = found.slice(from, upTo);
    more.hidden = upTo >= found.length;
    Promise.all(shown.map(function (result) { return result.data(); })).then(function (data) {
      if (number !== latest) return;
      data.forEach(function (result) { list.appendChild(card(result)); });
    });
  }

  /* "3 fact-checks match.", in the plural form the site's language uses for the number. */
  function count(n) {
    if (n === 0) return words.none;
    var form = window.Intl && Intl.PluralRules ? new Intl.PluralRules(language).select(n) : "other";
    var text = status.getAttribute("data-found-" + form) || words.foundOther;
    return text.replace("{count}", n.toLocaleString(language));
  }

  /* A result as the lists show a fact-check: its claim as a link, the rating in words (with
     its colour as a second cue), the claimant, the date and the passage that matched. */
  function card(result) {
    var item = element("li");
    var article = item.appendChild(element("article", "card"));
    var title = article.appendChild(element("h2", "card-title"));
    var link = title.appendChild(element("a"));
    link.href = result.url;
    link.textContent = result.meta.title;
    var meta = article.appendChild(element("p", "card-meta"));
    // The badge's words ("Rating: ") are for screen readers; the rating's name is shown.
    var badge = meta.appendChild(element("span", "badge tone-" + tone(result.meta.rating)));
    words.rated.split(/(\{rating\})/).forEach(function (part) {
      if (part === "{rating}") {
        badge.appendChild(document.createTextNode(result.meta.rating));
      } else if (part) {
        badge.appendChild(element("span", "visually-hidden")).textContent = part;
      }
    });
    meta.appendChild(document.createTextNode(" "));
    meta.appendChild(element("span")).textContent =
      words.claimed.replace("{claimant}", result.meta.claimant);
    meta.appendChild(document.createTextNode(" "));
    meta.appendChild(element("span")).textContent = words.checked.replace("{date}", result.meta.date);
    article.appendChild(excerpt(result.excerpt));
    return item;
  }

  function tone(label) {
    var options = fields.rating.options;
    for (var i = 0; i < options.length; i++) {
      if (options[i].value === label) return options[i].dataset.tone;
    }
    return "3";
  }

  /* Pagefind's excerpt marks the words found with <mark>: keep those marks and nothing else
     of its markup, the rest as text. */
  function excerpt(html) {
    var paragraph = element("p", "search-excerpt");
    var parsed = new DOMParser().parseFromString(html, "text/html").body.childNodes;
    Array.prototype.forEach.call(parsed, function (node) {
      if (node.nodeName === "MARK") {
        paragraph.appendChild(element("mark")).textContent = node.textContent;
      } else {
        paragraph.appendChild(document.createTextNode(node.textContent));
      }
    });
    return paragraph;
  }

  function element(name, className) {
    var made = document.createElement(name);
    if (className) made.className = className;
    return made;
  }

  /* The search is kept in the page's address (?q=87+million&rating=Accurate): it can be
     bookmarked and shared, and coming back to the page shows it again. */
  function readAddress() {
    var params = new URLSearchParams(location.search);
    fields.q.value = params.get("q") || "";
    [fields.rating, fields.order].forEach(function (field) { field.value = params.get(field.name) || ""; });
    [fields.topic, fields.claimant].forEach(function (field) {
      var wanted = params.get(field.name);
      if (wanted) {
        field.add(new Option(wanted, wanted));
        field.value = wanted;
      }
    });
  }

  function writeAddress() {
    var params = new URLSearchParams();
    [fields.q].concat(filterFields, fields.order).forEach(function (field) {
      if (field.value.trim()) params.set(field.name, field.value.trim());
    });
    var query = params.toString();
    history.replaceState(null, "", location.pathname + (query ? "?" + query : ""));
  }
})();
