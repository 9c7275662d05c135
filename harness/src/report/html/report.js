// The report's only script: the filter (text and outcome, also read from the page's
// address as ?q=TEXT&outcome=OUTCOME so a filtered view can be linked to), and opening the
// trial a link points at (#t0-12). Plain DOM, no library: the page is opened offline.
(function () {
  'use strict';
  var q = document.getElementById('q');
  var outcome = document.getElementById('outcome');
  var shown = document.getElementById('shown');
  var filterable = Array.prototype.slice.call(document.querySelectorAll('[data-search]'));
  var trials = filterable.filter(function (el) { return el.classList.contains('trial'); });

  function matches(el, text, wanted) {
    if (text && el.getAttribute('data-search').toLowerCase().indexOf(text) < 0) {
      return false;
    }
    if (!wanted) {
      return true;
    }
    var statuses = ' ' + (el.getAttribute('data-statuses') || '') + ' ';
    return statuses.indexOf(' ' + wanted + ' ') >= 0;
  }

  // A group (a family of the matrix, a scenario's section) shows while one of its
  // members does.
  function hideEmpty(groups, members) {
    document.querySelectorAll(groups).forEach(function (group) {
      var any = Array.prototype.some.call(group.querySelectorAll(members), function (m) {
        return !m.hidden;
      });
      group.hidden = !any;
    });
  }

  function apply() {
    var text = q.value.trim().toLowerCase();
    var wanted = outcome.value;
    filterable.forEach(function (el) {
      el.hidden = !matches(el, text, wanted);
    });
    hideEmpty('tbody.family', 'tr.row');
    hideEmpty('section.scenario', 'details.trial');
    hideEmpty('div.claim-section', 'div.claim');
    var visible = trials.filter(function (el) { return !el.hidden; }).length;
    shown.textContent = (text || wanted)
      ? visible + ' of ' + trials.length + ' trials shown'
      : trials.length + ' trials';
    remember(text, wanted);
  }

  // Keeps the filter in the address, so reloading or sharing the link keeps it.
  function remember(text, wanted) {
    var params = new URLSearchParams(location.search);
    if (text) { params.set('q', q.value.trim()); } else { params.delete('q'); }
    if (wanted) { params.set('outcome', wanted); } else { params.delete('outcome'); }
    var search = params.toString();
    try {
      history.replaceState(null, '', location.pathname + (search ? '?' + search : '') + location.hash);
    } catch (e) {
      // Some browsers refuse it for files; the filter still works.
    }
  }

  // Opens the trial (or any section) the address points at, and the sections around it,
  // clearing a filter that hides it.
  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var el = id && document.getElementById(id);
    if (!el) {
      return;
    }
    var hiddenByFilter = false;
    for (var p = el; p; p = p.parentElement) {
      if (p.hidden) { hiddenByFilter = true; }
    }
    if (hiddenByFilter) {
      q.value = '';
      outcome.value = '';
      apply();
    }
    for (var d = el; d; d = d.parentElement) {
      if (d.tagName === 'DETAILS') { d.open = true; }
    }
    document.querySelectorAll('.targeted').forEach(function (t) { t.classList.remove('targeted'); });
    el.classList.add('targeted');
    el.scrollIntoView({ block: 'start' });
  }

  var params = new URLSearchParams(location.search);
  q.value = params.get('q') || '';
  var wanted = params.get('outcome') || '';
  if (Array.prototype.some.call(outcome.options, function (o) { return o.value === wanted; })) {
    outcome.value = wanted;
  }
  q.addEventListener('input', apply);
  outcome.addEventListener('change', apply);
  window.addEventListener('hashchange', openTarget);
  // A second click on the same link changes no hash: open its target all the same.
  document.addEventListener('click', function (ev) {
    var a = ev.target.closest && ev.target.closest('a[href^="#"]');
    if (a) { setTimeout(openTarget, 0); }
  });
  apply();
  openTarget();
}());
