/*!
 * visitor-counter.js — a live visit counter over one WebSocket. No dependencies, no build step.
 *
 * Embed it with one element and one script tag:
 *
 *   <span data-visitor-count>–</span> visits
 *   <span data-live-viewers hidden><span data-live-viewers-count></span> here now</span>
 *   <span data-visitor-status></span>
 *   <script src="visitor-counter.js" data-endpoint="wss://abc123.execute-api.eu-west-1.amazonaws.com/prod" defer></script>
 *
 * Endpoint: the `data-endpoint` of the first `[data-visitor-count]` element that has one, else the
 * `data-endpoint` of this <script> tag. Without either, the local stack's default is used: the page's
 * own origin at stage `local`, i.e. `ws://<location.host>/local` (`wss://` on an https page), which is
 * where `make dev` serves both the page and the WebSocket API. A relative or http(s) endpoint is
 * resolved against the page and mapped to ws(s); a query it carries is kept.
 *
 * Elements (all optional except the count, and any number of each):
 *   [data-visitor-count]       the total, formatted with Intl.NumberFormat (locale: `data-locale`, else
 *                              the nearest `lang`); gets `data-status="connecting|live|offline"` and the
 *                              CSS variable `--visitor-count-chars` (length of the shown text).
 *   [data-live-viewers]        stays `hidden` until a message carries `live`; the number goes into its
 *                              `[data-live-viewers-count]` child, or into the element itself.
 *   [data-visitor-status]      status text; made `role="status"` + `aria-live="polite"`. Without one,
 *                              a visually hidden live region is added so screen readers still hear it.
 *   <html data-visitor-counter-status="…">  the same status, for styling anything on the page.
 *   [data-unique-visitors]     stays `hidden` until a message carries `visitors` (deployments that count
 *                              unique visitors); the number goes into its `[data-unique-visitors-count]`
 *                              child, or into the element itself.
 *   [data-visitor-history]     a bar chart of the last 30 UTC days (inline SVG, one bar per day, today's
 *                              on the right and updated live); `="visitors"` draws unique visitors instead
 *                              of visits. Drawn into its `[data-visitor-history-chart]` child, or into the
 *                              element itself; a `hidden` element is shown once there is something to draw.
 *                              The SVG is `role="img"` with an `aria-label` that reads every figure; it
 *                              is as wide as its box and as tall as CSS makes it (`svg { height: 4rem }`).
 *
 * Tuning (data attributes on the script tag, or VisitorCounter.configure({...})):
 *   data-backoff-base-ms (1000), data-backoff-max-ms (30000), data-stable-ms (10000: an open connection
 *   this old resets the backoff), data-hidden-grace-ms (10000: a hidden tab keeps its socket this long),
 *   data-keep-alive-ms (240000: a visible page sends {"action":"ping"} this often; 0 turns it off),
 *   data-autoconnect="false" (wait for VisitorCounter.connect()).
 *
 * History (docs/design.md §4): with a `[data-visitor-history]` element on the page, every connection sends
 * {"action":"history"} once, after its sync. The answer, to that connection only, is
 * {"visits": N, "visitors": M, "historySince": "YYYY-MM-DD", "history": [{"day", "visits", "visitors"}, …]}:
 * consecutive UTC days, oldest first, at most 30, `visitors` only where they are counted, `historySince`
 * absent (and `history` empty) before the first counted day. The days add up to the totals beside them,
 * so a later, larger total adds its difference to today's bar; days before `historySince` are not zeros
 * but "history starts <date>". A deployment without the route answers an error frame the page ignores:
 * the history element then stays as the page made it (hidden, if it was).
 *
 * Wire format (docs/design.md §4): connect to `<endpoint>?visit=<visitId>`, the visit id made once per page
 * load and reused on every reconnect (so a reconnect is not counted as a new visit); after open send
 * {"action":"sync"}; every message is JSON {"visits": N} plus "live": M when live viewers are on.
 * Keep-alive: API Gateway closes a connection after 10 minutes without a message; the `ping` route is
 * answered by API Gateway itself (a MOCK integration, {"pong":true}), so an idle open tab costs no
 * function invocation and no reconnect.
 * Unknown fields are ignored, and so is anything that is not a non-negative safe integer.
 *
 * Failures: when a connection fails before it opens, one console line (console.warn, "visitor-counter: …")
 * names the likely cause (the endpoint, the origin, or the network) once per streak of failures, and
 * VisitorCounter.state.problem holds it as {cause, message}.
 *
 * API: window.VisitorCounter.{connect(), disconnect(), configure(options), state, visitId, version};
 * events `visitorcounter:update` ({visits, live, visitors}) and `visitorcounter:status` ({status}) on
 * document; `state.history` is {since, days} as drawn, or null before the first answer.
 */
(function () {
  "use strict";

  // Safe to include twice: the first copy owns the connection, later copies do nothing.
  if (window.VisitorCounter && window.VisitorCounter.version) return;

  var script = document.currentScript;
  var STATUS_TEXT = {
    connecting: "Connecting…",
    live: "Live",
    offline: "Offline · reconnecting",
    paused: "Paused while hidden",
    stopped: "Offline"
  };

  var config = {
    endpoint: null,
    backoffBaseMs: 1000,
    backoffMaxMs: 30000,
    stableMs: 10000,
    hiddenGraceMs: 10000,
    keepAliveMs: 240000,
    random: Math.random,
    now: Date.now
  };

  var visitId = makeVisitId();
  var socket = null;          // the current WebSocket, or null
  var wanted = false;         // connect() was called and disconnect() was not
  var paused = false;         // closed because the tab is hidden
  var attempt = 0;            // failed connections since the last stable one
  var reconnectTimer = 0;
  var stableTimer = 0;
  var graceTimer = 0;
  var status = "offline";
  var statusText = STATUS_TEXT.stopped;
  var visits = null;
  var live = null;
  var backoffHistory = [];    // {attempt, ceilingMs, delayMs} for every scheduled reconnect
  var formatters = {};
  var fallbackRegion = null;

  /** A random, URL-safe id (base64url of 16 bytes) for this page view. */
  function makeVisitId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    var binary = "";
    for (var i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]);
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function readNumber(value, fallback) {
    var n = Number(value);
    return value != null && value !== "" && isFinite(n) && n >= 0 ? n : fallback;
  }

  function readScriptConfig() {
    if (!script) return;
    var d = script.dataset;
    config.backoffBaseMs = readNumber(d.backoffBaseMs, config.backoffBaseMs);
    config.backoffMaxMs = readNumber(d.backoffMaxMs, config.backoffMaxMs);
    config.stableMs = readNumber(d.stableMs, config.stableMs);
    config.hiddenGraceMs = readNumber(d.hiddenGraceMs, config.hiddenGraceMs);
    config.keepAliveMs = readNumber(d.keepAliveMs, config.keepAliveMs);
  }

  function endpoint() {
    if (config.endpoint) return config.endpoint;
    var withEndpoint = document.querySelector("[data-visitor-count][data-endpoint]");
    if (withEndpoint) return withEndpoint.getAttribute("data-endpoint");
    if (script && script.getAttribute("data-endpoint")) return script.getAttribute("data-endpoint");
    // The local stack (`make dev`) serves the page and the WebSocket API on one origin, stage "local".
    if (!location.host) return null;
    return (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/local";
  }

  function socketURL(base) {
    var url = new URL(base, location.href);
    if (url.protocol === "http:") url.protocol = "ws:";
    if (url.protocol === "https:") url.protocol = "wss:";
    url.searchParams.set("visit", visitId);
    return url.toString();
  }

  // ---- rendering -------------------------------------------------------------------------------

  function all(selector) {
    return Array.prototype.slice.call(document.querySelectorAll(selector));
  }

  function format(value, element) {
    var holder = element.closest("[data-locale]");
    var lang = holder ? holder.getAttribute("data-locale") : (element.closest("[lang]") || {}).lang;
    var key = lang || "";
    if (!formatters[key]) {
      try {
        formatters[key] = new Intl.NumberFormat(lang || undefined);
      } catch (e) {
        formatters[key] = new Intl.NumberFormat();
      }
    }
    return formatters[key].format(value);
  }

  function render() {
    all("[data-visitor-count]").forEach(function (el) {
      el.setAttribute("data-status", status);
      if (visits === null) return;
      var text = format(visits, el);
      if (el.textContent !== text) el.textContent = text;
      // Lets a stylesheet fit long numbers to their box (see web/styles.css); harmless elsewhere.
      el.style.setProperty("--visitor-count-chars", String(text.length));
    });
    all("[data-live-viewers]").forEach(function (el) {
      if (live === null) {
        el.hidden = true;
        return;
      }
      var target = el.querySelector("[data-live-viewers-count]") || el;
      target.textContent = format(live, el);
      el.hidden = false;
    });
    var statusElements = all("[data-visitor-status]");
    if (statusElements.length === 0 && document.body) statusElements = [ensureFallbackRegion()];
    statusElements.forEach(function (el) {
      if (!el.hasAttribute("role")) el.setAttribute("role", "status");
      if (!el.hasAttribute("aria-live")) el.setAttribute("aria-live", "polite");
      el.setAttribute("data-status", status);
      if (el.textContent !== statusText) el.textContent = statusText;
    });
    document.documentElement.setAttribute("data-visitor-counter-status", status);
    renderDaily();
  }

  /** A visually hidden live region, so the status is announced even when the page shows none. */
  function ensureFallbackRegion() {
    if (!fallbackRegion) {
      fallbackRegion = document.createElement("span");
      fallbackRegion.setAttribute("data-visitor-counter-region", "");
      fallbackRegion.style.cssText =
        "position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;" +
        "clip:rect(0 0 0 0);white-space:nowrap;border:0";
      document.body.appendChild(fallbackRegion);
    }
    return fallbackRegion;
  }

  function setStatus(next, text) {
    var changed = next !== status;
    status = next;
    statusText = text || STATUS_TEXT[next];
    render();
    if (changed) emit("visitorcounter:status", { status: status });
  }

  function emit(name, detail) {
    document.dispatchEvent(new CustomEvent(name, { detail: detail }));
  }

  // ---- history: unique visitors and the sparkline ---------------------------------------------
  // The history answer holds the daily figures and the totals they add up to. From then on the bars
  // are kept consistent with the total the page shows: whatever a later, larger total adds goes to
  // today's bar (broadcasts carry totals only). A broadcast may overtake the answer; then the answer's
  // totals are below the page's and the difference is added at once. A page open across midnight UTC
  // starts a new bar for the new day.

  var HISTORY_SLOTS = 30;           // days drawn: the last 30, today's on the right
  var DAY_MS = 86400000;
  var CHART_WIDTH = HISTORY_SLOTS * 10;
  var CHART_HEIGHT = 60;
  var BAR_ROOM = 56;                // the tallest bar; the rest is air above it
  var SVG_NS = "http://www.w3.org/2000/svg";
  var SERIES_TEXT = { visits: ["Visits", "visits", "visit"], visitors: ["Visitors", "visitors", "visitor"] };

  var visitors = null;              // unique visitors so far, when the deployment counts them
  var daily = null;                 // {since, days: [{day, visits, visitors?}]} once an answer came
  var dailyTotals = null;           // {visits, visitors}: the totals the days add up to
  var historyAskedOn = null;        // the socket that asked, so each connection asks once
  var drawn = new WeakMap();        // chart element → the figures it shows, so a redraw is skipped when unchanged
  var dateFormatters = {};

  function askForHistory(ws) {
    if (historyAskedOn === ws || !ws || ws.readyState !== 1) return;
    if (!document.querySelector("[data-visitor-history]")) return;
    historyAskedOn = ws;
    ws.send(JSON.stringify({ action: "history" }));
  }

  function utcDay(ms) {
    return new Date(ms).toISOString().slice(0, 10);
  }

  function dayMs(day) {
    return Date.parse(day + "T00:00:00Z");
  }

  /** A real calendar day written YYYY-MM-DD (not 2026-02-30). */
  function isDay(value) {
    if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
    var ms = dayMs(value);
    return isFinite(ms) && utcDay(ms) === value;
  }

  /** Reads `visitors` and a history answer out of any message; true when something shown changed. */
  function takeDaily(message) {
    var changed = false;
    if (isCount(message.visitors) && (visitors === null || message.visitors > visitors)) {
      visitors = message.visitors;
      changed = true;
    }
    if (Array.isArray(message.history)) {
      var parsed = parseHistory(message.history, message.historySince);
      if (parsed) {
        daily = parsed;
        dailyTotals = {
          visits: isCount(message.visits) ? message.visits : visits,
          visitors: isCount(message.visitors) ? message.visitors : visitors
        };
        changed = true;
      }
    }
    if (daily && addToToday()) changed = true;
    return changed;
  }

  /** The answer's days, checked (a malformed answer is ignored whole), from historySince, gaps zero-filled, at most 30. */
  function parseHistory(entries, historySince) {
    var since = isDay(historySince) ? historySince : null;
    var byDay = {};
    var last = null;
    for (var i = 0; i < entries.length; i++) {
      var entry = entries[i];
      if (!entry || typeof entry !== "object" || !isDay(entry.day) || !isCount(entry.visits)) return null;
      if (entry.visitors !== undefined && !isCount(entry.visitors)) return null;
      if (since && entry.day < since) continue;  // before history began: unknown, not zero
      byDay[entry.day] = entry;
      if (last === null || entry.day > last) last = entry.day;
    }
    if (last === null) return { since: null, days: [] };
    var first = utcDay(dayMs(last) - (HISTORY_SLOTS - 1) * DAY_MS);
    if (since && since > first) first = since;
    if (!since) {
      var earliest = Object.keys(byDay).sort()[0];
      if (earliest > first) first = earliest;
    }
    var days = [];
    var counted = false;  // unique visitors appear from the first day that has them
    for (var t = dayMs(first); t <= dayMs(last); t += DAY_MS) {
      var day = utcDay(t);
      var found = byDay[day];
      var figures = { day: day, visits: found ? found.visits : 0 };
      if (found && found.visitors !== undefined) counted = true;
      if (counted) figures.visitors = found && found.visitors !== undefined ? found.visitors : 0;
      days.push(figures);
    }
    return { since: since || first, days: days };
  }

  /** Starts today's bar when the page has lived into a new UTC day (one day at most: a clock far off is not trusted). */
  function rollOver() {
    var days = daily.days;
    if (!days.length) return;
    var lastDay = days[days.length - 1];
    var today = utcDay(config.now());
    if (dayMs(today) - dayMs(lastDay.day) !== DAY_MS) return;
    var fresh = { day: today, visits: 0 };
    if (lastDay.visitors !== undefined) fresh.visitors = 0;
    days.push(fresh);
    if (days.length > HISTORY_SLOTS) days.shift();
  }

  /** Adds what the totals grew by since the answer to today's bar. */
  function addToToday() {
    if (dailyTotals.visits === null) dailyTotals.visits = visits;
    if (dailyTotals.visitors === null) dailyTotals.visitors = visitors;
    var moreVisits = visits !== null && visits > dailyTotals.visits ? visits - dailyTotals.visits : 0;
    var moreVisitors = visitors !== null && visitors > dailyTotals.visitors ? visitors - dailyTotals.visitors : 0;
    if (!moreVisits && !moreVisitors) return false;
    rollOver();
    var days = daily.days;
    if (!days.length) {
      // The first counted visit since history began to be kept: history starts today.
      days.push({ day: utcDay(config.now()), visits: 0 });
      daily.since = days[0].day;
    }
    var today = days[days.length - 1];
    today.visits += moreVisits;
    dailyTotals.visits = visits;
    if (moreVisitors) {
      today.visitors = (today.visitors || 0) + moreVisitors;
      dailyTotals.visitors = visitors;
    }
    return true;
  }

  function formatDay(day, element, withYear) {
    var holder = element.closest("[data-locale]");
    var lang = (holder ? holder.getAttribute("data-locale") : (element.closest("[lang]") || {}).lang) || "";
    var key = lang + (withYear ? "|y" : "");
    if (!dateFormatters[key]) {
      var options = { month: "short", day: "numeric", timeZone: "UTC" };
      if (withYear) options.year = "numeric";
      try {
        dateFormatters[key] = new Intl.DateTimeFormat(lang || undefined, options);
      } catch (e) {
        dateFormatters[key] = new Intl.DateTimeFormat(undefined, options);
      }
    }
    return dateFormatters[key].format(new Date(dayMs(day)));
  }

  function renderDaily() {
    all("[data-unique-visitors]").forEach(function (el) {
      if (visitors === null) {
        el.hidden = true;
        return;
      }
      var target = el.querySelector("[data-unique-visitors-count]") || el;
      target.textContent = format(visitors, el);
      el.hidden = false;
    });
    if (!daily) return;
    rollOver();
    var today = utcDay(config.now());
    all("[data-visitor-history]").forEach(function (el) {
      var series = el.getAttribute("data-visitor-history") === "visitors" ? "visitors" : "visits";
      var target = el.querySelector("[data-visitor-history-chart]") || el;
      var key = series + " " + today + " " + JSON.stringify(daily);
      if (drawn.get(target) === key) return;
      drawHistory(target, series, today);
      drawn.set(target, key);
      el.hidden = false;
    });
  }

  /** The days of one series: visitors only from the first day they were counted. */
  function seriesDays(series) {
    if (series === "visits") return { since: daily.since, days: daily.days };
    for (var i = 0; i < daily.days.length; i++) {
      if (daily.days[i].visitors !== undefined) {
        return { since: i === 0 ? daily.since : daily.days[i].day, days: daily.days.slice(i) };
      }
    }
    return { since: null, days: [] };
  }

  function svg(name, attributes) {
    var node = document.createElementNS(SVG_NS, name);
    Object.keys(attributes).forEach(function (key) {
      node.setAttribute(key, String(attributes[key]));
    });
    return node;
  }

  function drawHistory(target, series, today) {
    var words = SERIES_TEXT[series];
    var picked = seriesDays(series);
    var days = picked.days;
    while (target.firstChild) target.removeChild(target.firstChild);
    if (!days.length) {
      var empty = document.createElement("span");
      empty.className = "visitor-history__empty";
      empty.textContent = series === "visitors" && dailyTotals.visitors === null
        ? "Unique visitors are not counted here."
        : "No daily figures yet: history starts with the next visit.";
      target.appendChild(empty);
      return;
    }
    var lastDay = days[days.length - 1].day;
    var windowStart = utcDay(dayMs(lastDay) - (HISTORY_SLOTS - 1) * DAY_MS);
    // History that began inside the window is said, not drawn as a row of zeros.
    var startsInside = picked.since > windowStart;
    var withYear = lastDay.slice(0, 4) !== days[0].day.slice(0, 4);
    var max = 0;
    days.forEach(function (d) { max = Math.max(max, d[series]); });

    var figures = days.map(function (d, i) {
      var name = i === days.length - 1 && d.day === today ? "today" : formatDay(d.day, target, withYear);
      return name + " " + format(d[series], target);
    });
    var since = formatDay(picked.since, target, picked.since.slice(0, 4) !== today.slice(0, 4));
    var label = (startsInside
      ? words[0] + " per day since history started on " + since
      : words[0] + " over the last " + days.length + " days") + ": " + figures.join(", ") + ".";

    var chart = svg("svg", {
      "class": "visitor-history__chart",
      viewBox: "0 0 " + CHART_WIDTH + " " + CHART_HEIGHT,
      preserveAspectRatio: "none",
      width: "100%",
      role: "img",
      "aria-label": label,
      focusable: "false"
    });
    chart.style.display = "block";  // CSSOM, which a strict style-src allows (a style attribute it does not)
    chart.style.overflow = "visible";
    var offset = HISTORY_SLOTS - days.length;
    if (offset > 0) {
      // The days before history began: a faint dotted line, so they read as unknown rather than as zeros.
      chart.appendChild(svg("line", {
        "class": "visitor-history__before",
        x1: 0, x2: offset * 10, y1: CHART_HEIGHT - 0.5, y2: CHART_HEIGHT - 0.5,
        stroke: "currentColor", "stroke-opacity": 0.35, "stroke-dasharray": "2 4", "vector-effect": "non-scaling-stroke"
      }));
    }
    chart.appendChild(svg("line", {
      "class": "visitor-history__baseline",
      x1: offset * 10, x2: CHART_WIDTH, y1: CHART_HEIGHT - 0.5, y2: CHART_HEIGHT - 0.5,
      stroke: "currentColor", "stroke-opacity": 0.35, "vector-effect": "non-scaling-stroke"
    }));
    days.forEach(function (d, i) {
      var value = d[series];
      var height = value > 0 ? Math.max(1, value / max * BAR_ROOM) : 0;
      var isToday = i === days.length - 1;
      var bar = svg("rect", {
        "class": "visitor-history__bar" + (isToday ? " visitor-history__bar--today" : ""),
        x: (offset + i) * 10 + 1.5, y: CHART_HEIGHT - height, width: 7, height: height,
        fill: "currentColor", "fill-opacity": isToday ? 1 : 0.65,
        "data-day": d.day, "data-value": value
      });
      var tip = svg("title", {});
      tip.textContent = formatDay(d.day, target, withYear) + ": " + format(value, target) + " " +
        (value === 1 ? words[2] : words[1]);
      bar.appendChild(tip);
      chart.appendChild(bar);
    });
    target.appendChild(chart);
    if (startsInside) {
      var note = document.createElement("span");
      note.className = "visitor-history__note";
      note.setAttribute("aria-hidden", "true");  // the chart's label says it already
      note.textContent = "history starts " + since;
      target.appendChild(note);
    }
  }

  // ---- messages --------------------------------------------------------------------------------

  function isCount(value) {
    return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
  }

  function onMessage(event) {
    if (typeof event.data !== "string") return;
    var message;
    try {
      message = JSON.parse(event.data);
    } catch (e) {
      return;
    }
    if (!message || typeof message !== "object" || Array.isArray(message)) return;
    var changed = false;
    // Visits only grow: a slow sync answer must not overwrite a newer broadcast with a smaller total.
    if (isCount(message.visits) && (visits === null || message.visits > visits)) {
      visits = message.visits;
      changed = true;
    }
    if (isCount(message.live) && message.live !== live) {
      live = message.live;
      changed = true;
    }
    if (takeDaily(message)) changed = true;
    if (!changed) return;
    render();
    emit("visitorcounter:update", { visits: visits, live: live, visitors: visitors });
  }

  // ---- diagnostics -----------------------------------------------------------------------------
  // A failed handshake tells a page nothing: the WebSocket API hides the HTTP status, and the browser's
  // own console line ("Unexpected response code: 404") does not say what to change. So the first failure
  // of a streak is looked into once, and one console line names the likely cause: the endpoint (no
  // stage, or a path that is not the stage), the origin (not in the allowed origins), or the network.
  // The local stack answers the plain-HTTP probe below with a status any origin may read; API Gateway
  // does not, so there only "reachable" or "unreachable" is known.

  var diagnosed = false;      // the current streak of failed handshakes has been explained
  var problem = null;         // {cause, message} of the last explained failure, or null

  function handshakeSucceeded() {
    diagnosed = false;
    problem = null;
  }

  function handshakeFailed(base) {
    if (diagnosed) return;
    diagnosed = true;
    explainFailure(base).then(function (found) {
      problem = found;
      if (window.console && console.warn) console.warn("visitor-counter: " + found.message);
    });
  }

  /** Resolves to {cause: "endpoint" | "origin" | "network" | "refused" | "unknown", message}. */
  function explainFailure(base) {
    var ws = new URL(base, location.href);
    if (ws.protocol === "http:") ws.protocol = "ws:";
    if (ws.protocol === "https:") ws.protocol = "wss:";
    ws.search = "";
    var shown = ws.toString();
    var fix = " Use the address `make dev` prints (ws://127.0.0.1:8080/local) or the stack's WebSocketURL output (wss://…/prod).";
    var result = function (cause, message) { return Promise.resolve({ cause: cause, message: message }); };
    if (navigator.onLine === false) {
      return result("network", "cannot connect to " + shown + ": this browser is offline. It reconnects when the network is back.");
    }
    if (ws.pathname === "/" || ws.pathname === "") {
      return result("endpoint", "cannot connect to " + shown + ": the endpoint has no stage path." + fix);
    }
    var probe = new URL(shown);
    probe.protocol = ws.protocol === "wss:" ? "https:" : "http:";
    if (typeof fetch !== "function") return result("unknown", "cannot connect to " + shown + ".");
    var options = { cache: "no-store", credentials: "omit" };
    return fetch(probe.toString(), options).then(function (response) {
      if (response.status === 403) {
        return { cause: "origin", message: "cannot connect to " + shown + ": this page's origin (" + location.origin +
          ") is not in the allowed origins. Add it: AllowedOrigins when deployed, GATEWAY_ARGS=\"--allowed-origins " +
          location.origin + "\" make dev locally." };
      }
      if (response.status === 404) {
        return { cause: "endpoint", message: "cannot connect to " + shown + ": there is no WebSocket API at " +
          ws.pathname + "." + fix };
      }
      return { cause: "unknown", message: "cannot connect to " + shown + ": the server answers (HTTP " +
        response.status + ") but refused the WebSocket handshake; its log says why." };
    }, function () {
      // No readable answer: either nothing answers (network) or a server that sends no CORS headers (API Gateway).
      options.mode = "no-cors";
      return fetch(probe.toString(), options).then(function () {
        return { cause: "refused", message: "cannot connect to " + shown + ": the server refused the WebSocket " +
          "handshake. Check the endpoint (the stage path; " + fix.trim() + ") and that this page's origin (" +
          location.origin + ") is in AllowedOrigins." };
      }, function () {
        return { cause: "network", message: "cannot connect to " + shown + ": nothing answers at " + ws.host +
          " (is `make dev` running, is the address right, is the network up?). Retrying." };
      });
    });
  }

  // ---- connection ------------------------------------------------------------------------------

  function open() {
    clearTimeout(reconnectTimer);
    reconnectTimer = 0;
    if (socket || !wanted || paused) return;
    var base = endpoint();
    if (!base) {
      setStatus("offline", STATUS_TEXT.stopped);
      return;
    }
    var ws;
    try {
      ws = new WebSocket(socketURL(base));
    } catch (e) {
      // A malformed endpoint fails here for good; retrying would only repeat the error.
      setStatus("offline", STATUS_TEXT.stopped);
      return;
    }
    socket = ws;
    var didOpen = false;
    setStatus("connecting");
    ws.addEventListener("open", function () {
      if (socket !== ws) return;
      didOpen = true;
      handshakeSucceeded();
      ws.send(JSON.stringify({ action: "sync" }));
      startKeepAlive(ws);
      askForHistory(ws);
      setStatus("live");
      // Only a connection that stays up resets the backoff; one that drops at once keeps growing it.
      clearTimeout(stableTimer);
      stableTimer = setTimeout(function () {
        if (socket === ws) attempt = 0;
      }, config.stableMs);
    });
    ws.addEventListener("message", function (event) {
      if (socket === ws) onMessage(event);
    });
    ws.addEventListener("close", function () {
      if (socket !== ws) return;
      if (!didOpen) handshakeFailed(base);
      socket = null;
      clearTimeout(stableTimer);
      stopKeepAlive();
      if (wanted && !paused) scheduleReconnect();
    });
    // An error is always followed by close, which does the work.
  }

  /** Exponential backoff with full jitter: a random delay in [0, min(max, base * 2^attempt)). */
  function scheduleReconnect() {
    var ceiling = Math.min(config.backoffMaxMs, config.backoffBaseMs * Math.pow(2, attempt));
    var delay = Math.floor(config.random() * ceiling);
    backoffHistory.push({ attempt: attempt, ceilingMs: ceiling, delayMs: delay });
    if (backoffHistory.length > 50) backoffHistory.shift();
    attempt += 1;
    setStatus("offline");
    clearTimeout(reconnectTimer);
    reconnectTimer = setTimeout(open, delay);
  }

  function closeSocket(reason) {
    clearTimeout(stableTimer);
    stopKeepAlive();
    clearTimeout(reconnectTimer);
    reconnectTimer = 0;
    var ws = socket;
    socket = null;  // its close event is ignored from now on
    if (ws && ws.readyState < 2) ws.close(1000, reason);
  }

  // ---- keep-alive ------------------------------------------------------------------------------
  // API Gateway closes a WebSocket after 10 minutes without a message. While the page is visible it
  // sends {"action":"ping"} every keepAliveMs; the `ping` route is a MOCK integration (no function
  // runs). A hidden page sends nothing: it closes its socket after the grace period anyway.

  var keepAliveTimer = 0;
  var pingsSent = 0;

  function stopKeepAlive() {
    clearTimeout(keepAliveTimer);
    keepAliveTimer = 0;
  }

  function startKeepAlive(ws) {
    stopKeepAlive();
    if (!(config.keepAliveMs > 0)) return;
    keepAliveTimer = setTimeout(function () {
      if (socket !== ws || ws.readyState !== 1) return;
      if (document.visibilityState !== "hidden") {
        ws.send(JSON.stringify({ action: "ping" }));
        pingsSent += 1;
      }
      startKeepAlive(ws);
    }, config.keepAliveMs);
  }

  function connect() {
    if (!wanted) attempt = 0;
    wanted = true;
    if (document.visibilityState === "hidden") {
      pause();
      return;
    }
    paused = false;
    open();
  }

  function disconnect() {
    wanted = false;
    paused = false;
    clearTimeout(graceTimer);
    closeSocket("disconnect");
    setStatus("offline", STATUS_TEXT.stopped);
  }

  function pause() {
    clearTimeout(graceTimer);
    paused = true;
    closeSocket("hidden");
    setStatus("offline", STATUS_TEXT.paused);
  }

  function resume() {
    clearTimeout(graceTimer);
    graceTimer = 0;
    if (!wanted) return;
    if (paused) {
      paused = false;
      open();
    }
  }

  // A hidden tab keeps its socket for a short grace period (quick tab switches stay live), then
  // closes it so background tabs hold no connection; it reconnects with the same visit id.
  document.addEventListener("visibilitychange", function () {
    if (!wanted) return;
    if (document.visibilityState === "hidden") {
      clearTimeout(graceTimer);
      graceTimer = setTimeout(pause, config.hiddenGraceMs);
    } else {
      resume();
    }
  });

  // An open socket keeps a page out of the back/forward cache; close it on the way out and come
  // back (same page view, same visit id) when the page is restored.
  window.addEventListener("pagehide", function (event) {
    if (wanted && event.persisted) pause();
  });
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && document.visibilityState !== "hidden") resume();
  });

  // Back online: do not wait out the backoff.
  window.addEventListener("online", function () {
    if (wanted && !paused && !socket) open();
  });

  window.VisitorCounter = Object.freeze({
    version: "1.0.0",
    visitId: visitId,
    connect: connect,
    disconnect: disconnect,
    /** Overrides endpoint, backoffBaseMs, backoffMaxMs, stableMs, hiddenGraceMs, keepAliveMs, random or now (ms clock). */
    configure: function (options) {
      Object.keys(options || {}).forEach(function (key) {
        var value = options[key];
        if (key === "endpoint") config.endpoint = value ? String(value) : null;
        else if (key === "random") config.random = typeof value === "function" ? value : Math.random;
        else if (key === "now") config.now = typeof value === "function" ? value : Date.now;
        else if (key in config) config[key] = readNumber(value, config[key]);
      });
      // A new keep-alive period applies to the open connection at once.
      if (options && "keepAliveMs" in options) {
        if (socket && socket.readyState === 1) startKeepAlive(socket);
        else stopKeepAlive();
      }
    },
    /** Re-applies the current numbers and status, e.g. after adding counter elements to the page. */
    refresh: render,
    get state() {
      return {
        status: status,
        statusText: statusText,
        visitId: visitId,
        visits: visits,
        live: live,
        visitors: visitors,
        history: daily ? { since: daily.since, days: daily.days.map(function (d) { return Object.assign({}, d); }) } : null,
        attempt: attempt,
        connected: !!socket && socket.readyState === 1,
        paused: paused,
        wanted: wanted,
        pingsSent: pingsSent,
        endpoint: endpoint(),
        problem: problem,
        backoff: backoffHistory.slice()
      };
    }
  });

  readScriptConfig();
  var autoconnect = !script || script.getAttribute("data-autoconnect") !== "false";
  function start() {
    render();
    if (autoconnect && document.querySelector("[data-visitor-count]")) connect();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
