// Waggle UI: local times, live job updates over server-sent events, cancel confirmation. No build step.
(function () {
  'use strict';

  var fmt = new Intl.DateTimeFormat(undefined, {
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    hour12: false, timeZoneName: 'short'
  });

  // <time datetime=UTC> shows the viewer's local time; its title keeps the UTC time.
  function localizeTimes(root) {
    root.querySelectorAll('time[datetime]').forEach(function (el) {
      if (el.dataset.local) return;
      var d = new Date(el.getAttribute('datetime'));
      if (isNaN(d)) return;
      el.title = el.title || el.textContent;
      el.textContent = fmt.format(d);
      el.dataset.local = '1';
    });
  }

  // A cancel form asks first, then posts the confirmation itself (without JS it opens the confirmation page).
  function wireCancel(root) {
    root.querySelectorAll('form[data-confirm]').forEach(function (form) {
      if (form.dataset.wired) return;
      form.dataset.wired = '1';
      form.addEventListener('submit', function (ev) {
        ev.preventDefault();
        if (!window.confirm(form.dataset.confirm)) return;
        var post = document.createElement('form');
        post.method = 'post';
        post.action = form.dataset.post;
        var input = document.createElement('input');
        input.type = 'hidden'; input.name = 'confirm'; input.value = 'yes';
        post.appendChild(input);
        document.body.appendChild(post);
        post.submit();
      });
    });
  }

  function liveJob() {
    var live = document.getElementById('live');
    if (!live || live.dataset.terminal === 'true' || !window.EventSource) return;
    var log = document.getElementById('log');
    var fetching = false, again = false;

    function refresh() {
      if (fetching) { again = true; return; }
      fetching = true;
      var focused = document.activeElement && document.activeElement.id;
      var params = new URLSearchParams(location.search);
      var url = live.dataset.live + (params.get('attempt') ? '?attempt=' + encodeURIComponent(params.get('attempt')) : '');
      fetch(url, { headers: { 'Accept': 'text/html' } }).then(function (r) {
        return r.ok ? r.text() : null;
      }).then(function (html) {
        if (html !== null) {
          var open = {};
          live.querySelectorAll('details[open]').forEach(function (d) { var tr = d.closest('tr'); if (tr) open[tr.id] = true; });
          live.innerHTML = html;
          Object.keys(open).forEach(function (id) { var tr = document.getElementById(id); var d = tr && tr.querySelector('details'); if (d) d.open = true; });
          localizeTimes(live);
          wireCancel(live);
          if (focused) { var el = document.getElementById(focused); if (el) el.focus(); }
        }
      }).catch(function () {}).finally(function () {
        fetching = false;
        if (again) { again = false; refresh(); }
      });
    }

    function appendLog(text) {
      if (!log) return;
      var atEnd = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
      log.textContent += text;
      if (log.textContent.length > 512 * 1024) log.textContent = log.textContent.slice(-256 * 1024);
      if (atEnd) log.scrollTop = log.scrollHeight;
    }

    var es = new EventSource(live.dataset.events);
    es.addEventListener('log', function (ev) { appendLog(JSON.parse(ev.data)); });
    es.addEventListener('logreset', function () { if (log) log.textContent = ''; });
    es.addEventListener('update', refresh);
    es.addEventListener('done', function () { es.close(); live.dataset.terminal = 'true'; refresh(); });
  }

  document.addEventListener('DOMContentLoaded', function () {
    localizeTimes(document);
    wireCancel(document);
    var log = document.getElementById('log');
    if (log) log.scrollTop = log.scrollHeight;
    liveJob();
  });
})();
