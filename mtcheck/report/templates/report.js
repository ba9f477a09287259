// mtcheck review page: filters, keyboard (n/p/c/d/?), decisions kept in local storage and
// exported as the decisions JSON that `mtcheck check --decisions` and `mtcheck gate` read.
// Article text never passes through innerHTML here: it is read and written as textContent only.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("flag-data").textContent);
  var key = document.body.getAttribute("data-review-key");
  var byN = {};
  data.forEach(function (f) { byN[f.n] = f; });
  var store = {};
  try { store = JSON.parse(window.localStorage.getItem(key) || "{}") || {}; } catch (e) { store = {}; }
  var reviewerKey = "mtcheck-reviewer";
  var current = 0;

  function $(id) { return document.getElementById(id); }
  function all(selector) { return Array.prototype.slice.call(document.querySelectorAll(selector)); }
  function flagsOf(el) { return (el.getAttribute("data-flags") || "").split(" ").filter(Boolean).map(Number); }
  function save() { try { window.localStorage.setItem(key, JSON.stringify(store)); } catch (e) { /* private mode */ } }

  function decisionOf(f) {
    if (Object.prototype.hasOwnProperty.call(store, f.fingerprint)) { return store[f.fingerprint]; }
    return f.decision ? { decision: f.decision, note: f.note || "", at: "" } : null;
  }
  function checked(name, value) {
    var box = document.querySelector('input[name="' + name + '"][value="' + value + '"]');
    return !box || box.checked;
  }
  function shown(n) {
    var f = byN[n], d = decisionOf(f);
    if (!checked("severity", f.severity) || !checked("kind", f.kind)) { return false; }
    return !($("hide-dismissed").checked && d && d.decision === "dismissed");
  }
  // reading order: where each flag's highlight first appears in the candidate
  var order = all('mark[id^="flag-"]').map(function (el) { return Number(el.id.slice(5)); });

  function paint() {
    all("mark[data-flags]").forEach(function (el) {
      var nums = flagsOf(el), visible = nums.filter(shown);
      el.classList.toggle("off", visible.length === 0);
      if (!visible.length) { return; }
      var best = visible[0], d = decisionOf(byN[best]);
      var dismissed = visible.every(function (n) { var x = decisionOf(byN[n]); return x && x.decision === "dismissed"; });
      el.classList.remove("major", "minor", "dismissed", "confirmed");
      el.classList.add(dismissed ? "dismissed" : byN[best].severity);
      if (!dismissed && d && d.decision === "confirmed") { el.classList.add("confirmed"); }
    });
    all("sup.fn").forEach(function (el) { el.classList.toggle("off", !shown(flagsOf(el)[0])); });
    all("tr[data-flag]").forEach(function (row) {
      var n = Number(row.getAttribute("data-flag")), d = decisionOf(byN[n]);
      row.classList.toggle("hidden", !shown(n));
      row.classList.toggle("dismissed", !!d && d.decision === "dismissed");
      row.cells[1].textContent = byN[n].severity + (d ? " (" + d.decision + ")" : "");
    });
    var flagsOnly = $("flags-only").checked;
    all(".bead[data-flags]").forEach(function (row) {
      row.classList.toggle("hidden", flagsOnly && !flagsOf(row).some(shown));
    });
  }

  function showPanel() {
    var f = byN[current];
    if (!f) { return; }
    var d = decisionOf(f);
    $("panel").hidden = false;
    $("panel-title").textContent = "#" + f.n + " " + f.severity + " " + f.kind + " (score " + f.score.toFixed(2) + ")";
    $("panel-decision").textContent = d ? d.decision : "undecided";
    $("panel-message").textContent = f.message;
    $("panel-source").textContent = f.source === null ? "no source counterpart" : "source: " + f.source;
    $("note").value = d ? d.note || "" : "";
  }

  function focusFlag(n) {
    all("mark.active").forEach(function (el) { el.classList.remove("active"); });
    current = n;
    all('mark[data-flags~="' + n + '"]').forEach(function (el) { el.classList.add("active"); });
    var anchor = $("flag-" + n);
    if (anchor) {
      var bead = anchor.closest(".bead"), details = anchor.closest("details");
      if (details) { details.open = true; }
      if (bead) { bead.classList.remove("hidden"); }
      anchor.focus({ preventScroll: true });
      anchor.scrollIntoView({ block: "center" });
    }
    showPanel();
  }

  function step(delta) {
    var visible = order.filter(shown);
    if (!visible.length) { return; }
    var at = visible.indexOf(current);
    var next = at < 0 ? (delta > 0 ? 0 : visible.length - 1) : Math.min(Math.max(at + delta, 0), visible.length - 1);
    focusFlag(visible[next]);
  }

  function decide(decision) {
    var f = byN[current];
    if (!f) { return; }
    if (decision === null) {
      store[f.fingerprint] = null;
    } else {
      var old = decisionOf(f);
      store[f.fingerprint] = { decision: decision, note: old ? old.note || "" : $("note").value, at: new Date().toISOString() };
    }
    save();
    paint();
    showPanel();
  }

  function exported() {
    var reviewer = $("reviewer").value;
    var out = [];
    data.forEach(function (f) {
      var d = decisionOf(f);
      if (d && d.decision) {
        out.push({ fingerprint: f.fingerprint, decision: d.decision, note: d.note || "", by: d.by || reviewer, at: d.at || "", kind: f.kind, text: f.text });
      }
    });
    // decisions about flags this report no longer has stay in the file, to be seen as stale
    var known = {};
    data.forEach(function (f) { known[f.fingerprint] = true; });
    Object.keys(store).sort().forEach(function (fp) {
      var d = store[fp];
      if (!known[fp] && d && d.decision) {
        out.push({ fingerprint: fp, decision: d.decision, note: d.note || "", by: d.by || reviewer, at: d.at || "", kind: d.kind || "", text: d.text || "" });
      }
    });
    return JSON.stringify({ schema: "mtcheck.decisions/1", decisions: out }, null, 2) + "\n";
  }

  function exportDecisions() {
    var text = exported();
    $("export").value = text;
    $("export-box").hidden = false;
    var link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([text], { type: "application/json" }));
    link.download = "decisions.json";
    document.body.appendChild(link);
    link.click();
    link.remove();
  }

  // the panel shows once a flag is chosen; help and the export box when asked for
  all(".js-only").forEach(function (el) { if (["help", "export-box", "panel"].indexOf(el.id) < 0) { el.hidden = false; } });
  document.documentElement.classList.add("js");
  try { $("reviewer").value = window.localStorage.getItem(reviewerKey) || ""; } catch (e) { /* private mode */ }
  $("reviewer").addEventListener("change", function () {
    try { window.localStorage.setItem(reviewerKey, $("reviewer").value); } catch (e) { /* private mode */ }
  });
  $("controls").addEventListener("change", function (event) { if (event.target.id !== "reviewer") { paint(); } });
  $("controls").addEventListener("submit", function (event) { event.preventDefault(); });
  $("export-button").addEventListener("click", exportDecisions);
  $("help-button").addEventListener("click", function () { $("help").hidden = !$("help").hidden; });
  $("confirm-button").addEventListener("click", function () { decide("confirmed"); });
  $("dismiss-button").addEventListener("click", function () { decide("dismissed"); });
  $("clear-button").addEventListener("click", function () { decide(null); });
  $("note").addEventListener("input", function () {
    var f = byN[current];
    if (!f) { return; }
    var d = decisionOf(f);
    store[f.fingerprint] = { decision: d ? d.decision : null, note: $("note").value, at: d ? d.at : "" };
    save();
  });
  all("mark[data-flags]").forEach(function (el) {
    el.addEventListener("click", function () { focusFlag(flagsOf(el)[0]); });
    // hovering a highlight lights up its flag on both sides: the source counterpart too
    function hover(on) {
      flagsOf(el).forEach(function (n) { all('mark[data-flags~="' + n + '"]').forEach(function (m) { m.classList.toggle("hover", on); }); });
    }
    el.addEventListener("mouseenter", function () { hover(true); });
    el.addEventListener("mouseleave", function () { hover(false); });
  });
  document.addEventListener("keydown", function (event) {
    // keys type as usual in the note and the reviewer's name; on checkboxes and buttons they act
    var t = event.target, typing = t.tagName === "TEXTAREA" || (t.tagName === "INPUT" && t.type === "text");
    if (typing || event.ctrlKey || event.metaKey || event.altKey) { return; }
    var actions = {
      n: function () { step(1); },
      p: function () { step(-1); },
      c: function () { decide("confirmed"); },
      d: function () { decide("dismissed"); },
      "?": function () { $("help").hidden = !$("help").hidden; },
      Escape: function () { $("help").hidden = true; }
    };
    if (Object.prototype.hasOwnProperty.call(actions, event.key)) {
      event.preventDefault();
      actions[event.key]();
    }
  });
  paint();
  document.body.setAttribute("data-ready", "1");
})();
