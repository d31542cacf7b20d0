/* global window, document, MiniSearch, URLSearchParams */
/**
 * The catalog's search (index page): MiniSearch over the index the build wrote to
 * search-index.js. Results are written with textContent and setAttribute only: nothing from a
 * spec becomes markup here either.
 */
(function () {
  'use strict';
  var TERM = /[^\p{L}\p{N}_]+/u;
  var MAX_RESULTS = 50;
  var data = window.MESH_CATALOG_INDEX;
  var input = document.getElementById('q');
  var form = input && input.form;
  var section = document.getElementById('search-results');
  var summary = document.getElementById('results-summary');
  var list = document.getElementById('results');
  if (!data || !input || !section || !summary || !list || typeof MiniSearch === 'undefined') return;

  var index = MiniSearch.loadJS(data, {
    fields: ['product', 'port', 'description', 'tags', 'owner', 'fields'],
    storeFields: ['product', 'port', 'summary'],
  });
  var options = {
    prefix: true,
    fuzzy: function (term) { return term.length > 4 ? 0.2 : false; },
    boost: { product: 3, port: 2, tags: 2, owner: 1.5, fields: 1.5 },
    combineWith: 'OR',
    tokenize: function (text) { return text.split(TERM).filter(Boolean); },
  };

  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  /** A product's page, relative to the index: products/<domain>/<product>.html. */
  function pageOf(product) {
    return 'products/' + product.split('/').map(encodeURIComponent).join('/') + '.html';
  }

  /** Results grouped by product: its best score, summary and the fields that matched, with their port. */
  function grouped(results) {
    var byProduct = new Map();
    results.forEach(function (r) {
      var entry = byProduct.get(r.product);
      if (!entry) {
        entry = { product: r.product, url: pageOf(r.product), summary: r.summary || '', score: r.score, fields: [] };
        byProduct.set(r.product, entry);
      }
      entry.score = Math.max(entry.score, r.score);
      if (!entry.summary && r.summary) entry.summary = r.summary;
      Object.keys(r.match).forEach(function (term) {
        if (r.match[term].indexOf('fields') !== -1) entry.fields.push({ field: term, port: r.port });
      });
    });
    return Array.from(byProduct.values()).sort(function (a, b) { return b.score - a.score; });
  }

  function show(query) {
    list.textContent = '';
    if (!query.trim()) {
      section.hidden = true;
      return;
    }
    var products = grouped(index.search(query, options));
    section.hidden = false;
    summary.textContent = products.length === 0
      ? 'No product matches "' + query + '".'
      : products.length + ' product' + (products.length === 1 ? '' : 's') + ' match "' + query + '"' + (products.length > MAX_RESULTS ? ' (the first ' + MAX_RESULTS + ' shown)' : '') + '.';
    products.slice(0, MAX_RESULTS).forEach(function (p) {
      var item = element('li', undefined, 'result');
      var link = element('a', p.product);
      link.setAttribute('href', p.url);
      var title = element('h3');
      title.appendChild(link);
      item.appendChild(title);
      if (p.summary) item.appendChild(element('p', p.summary));
      if (p.fields.length) {
        var hits = element('ul', undefined, 'field-hits');
        p.fields.slice(0, 10).forEach(function (hit) {
          var li = element('li');
          li.appendChild(element('span', 'field '));
          li.appendChild(element('code', hit.field));
          li.appendChild(element('span', ' in port '));
          li.appendChild(element('code', hit.port));
          li.appendChild(element('span', ' of ' + p.product));
          hits.appendChild(li);
        });
        item.appendChild(hits);
      }
      list.appendChild(item);
    });
  }

  var query = new URLSearchParams(window.location.search).get('q') || '';
  input.value = query;
  show(query);
  var timer;
  input.addEventListener('input', function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { show(input.value); }, 120);
  });
  if (form) {
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      show(input.value);
    });
  }
})();
