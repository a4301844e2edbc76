// Client-side search of the home page, over window.rulebridgeSearch (search-data.js, a script
// so that it loads from file:// too). Every word typed must appear in a rule's title, id,
// description start, fields, tested values, techniques or platform; the filters narrow by
// platform, tactic, severity and log source. Results update as the reader types, and the query
// is kept in the address (?q=...&platform=...) so that a search can be shared or reloaded.
// Results are built with DOM calls and textContent only: rule text never becomes markup.
(function () {
  'use strict';

  var MAX_RESULTS = 100;
  var data = window.rulebridgeSearch;
  var form = document.getElementById('search-form');
  var input = document.getElementById('q');
  var status = document.getElementById('search-status');
  var list = document.getElementById('search-results');
  if (!form || !input || !status || !list) return;
  if (!data || data.format !== 1) {
    status.textContent = 'The search index (search-data.js) could not be loaded.';
    return;
  }

  var FILTERS = [
    { name: 'platform', column: 3, many: false },
    { name: 'tactic', column: 5, many: true },
    { name: 'severity', column: 4, many: false },
    { name: 'logsource', column: 6, many: true },
  ];
  var selects = FILTERS.map(function (f) {
    return document.getElementById('filter-' + f.name);
  });

  // Each rule's searchable text, made once: its own text plus the shared lists it points into.
  var rules = data.rules;
  var haystacks = rules.map(function (r) {
    var parts = [r[1], r[2], data.platforms[r[3]] || ''];
    r[7].forEach(function (t) {
      parts.push(data.techniques[t][0], data.techniques[t][1]);
    });
    r[8].forEach(function (f) {
      parts.push(data.fields[f]);
    });
    parts.push(r[9]);
    return parts.join(' ').toLowerCase();
  });
  var titles = rules.map(function (r) {
    return r[1].toLowerCase();
  });

  function words(text) {
    return text.toLowerCase().split(/\s+/).filter(function (w) {
      return w !== '';
    });
  }

  function matchesFilters(r, chosen) {
    for (var i = 0; i < FILTERS.length; i++) {
      var want = chosen[i];
      if (want < 0) continue;
      var value = r[FILTERS[i].column];
      if (FILTERS[i].many ? value.indexOf(want) < 0 : value !== want) return false;
    }
    return true;
  }

  function search() {
    var terms = words(input.value);
    var chosen = selects.map(function (s) {
      return s && s.value !== '' ? Number(s.value) : -1;
    });
    var filtered = chosen.some(function (c) {
      return c >= 0;
    });
    list.textContent = '';
    if (terms.length === 0 && !filtered) {
      status.textContent = rules.length + ' rules. Type to search, or choose a filter.';
      return;
    }
    var hits = [];
    for (var i = 0; i < rules.length; i++) {
      if (!matchesFilters(rules[i], chosen)) continue;
      var text = haystacks[i];
      var score = 0;
      var all = true;
      for (var j = 0; j < terms.length; j++) {
        if (text.indexOf(terms[j]) < 0) {
          all = false;
          break;
        }
        if (titles[i].indexOf(terms[j]) >= 0) score++;
      }
      if (all) hits.push({ i: i, score: score });
    }
    // Title matches first, then catalog order (stable).
    hits.sort(function (a, b) {
      return b.score - a.score || a.i - b.i;
    });
    status.textContent =
      hits.length === 0
        ? 'No rule matches.'
        : hits.length + (hits.length === 1 ? ' rule matches.' : ' rules match.') + (hits.length > MAX_RESULTS ? ' Showing the first ' + MAX_RESULTS + '.' : '');
    var fragment = document.createDocumentFragment();
    hits.slice(0, MAX_RESULTS).forEach(function (hit) {
      fragment.appendChild(resultItem(rules[hit.i]));
    });
    list.appendChild(fragment);
  }

  function resultItem(r) {
    var li = document.createElement('li');
    var a = document.createElement('a');
    a.href = 'rules/' + encodeURIComponent(r[0]) + '.html';
    a.textContent = r[1] || r[2];
    li.appendChild(a);
    var meta = document.createElement('span');
    meta.className = 'meta';
    var facts = [data.platforms[r[3]], data.severities[r[4]]];
    r[6].forEach(function (l) {
      facts.push(data.logsources[l]);
    });
    var techniques = r[7].map(function (t) {
      return data.techniques[t][0];
    });
    if (techniques.length > 0) facts.push(techniques.join(' '));
    meta.textContent = facts
      .filter(function (f) {
        return f;
      })
      .join(' · ');
    li.appendChild(meta);
    return li;
  }

  // The address keeps the search, without adding a history entry per keystroke.
  function remember() {
    var params = new URLSearchParams();
    if (input.value.trim() !== '') params.set('q', input.value.trim());
    FILTERS.forEach(function (f, i) {
      var s = selects[i];
      if (s && s.value !== '') params.set(f.name, s.value);
    });
    var query = params.toString();
    try {
      window.history.replaceState(null, '', query ? '?' + query : window.location.pathname);
    } catch (e) {
      // Some browsers refuse for file:// pages; the search still works.
    }
  }

  function restore() {
    var params = new URLSearchParams(window.location.search);
    input.value = params.get('q') || '';
    FILTERS.forEach(function (f, i) {
      var s = selects[i];
      var value = params.get(f.name);
      if (s && value !== null && s.querySelector('option[value="' + String(Number(value)) + '"]')) s.value = String(Number(value));
    });
  }

  var timer;
  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      search();
      remember();
    }, 60);
  }

  // Arrow keys move between the box and the results, as in a list box.
  function links() {
    return Array.prototype.slice.call(list.querySelectorAll('a'));
  }
  input.addEventListener('keydown', function (event) {
    if (event.key !== 'ArrowDown') return;
    var first = links()[0];
    if (first) {
      event.preventDefault();
      first.focus();
    }
  });
  list.addEventListener('keydown', function (event) {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    var all = links();
    var at = all.indexOf(document.activeElement);
    if (at < 0) return;
    event.preventDefault();
    if (event.key === 'ArrowDown' && at + 1 < all.length) all[at + 1].focus();
    else if (event.key === 'ArrowUp') (at > 0 ? all[at - 1] : input).focus();
  });

  input.addEventListener('input', schedule);
  selects.forEach(function (s) {
    if (s) s.addEventListener('change', schedule);
  });
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    search();
    remember();
  });
  restore();
  search();
  // The header's search box on this page feeds the same search.
  var header = document.getElementById('site-search');
  if (header && input.value !== '') header.value = input.value;
})();
