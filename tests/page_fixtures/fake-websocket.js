/*
 * A fake WebSocket for the page tests, installed before visitor-counter.js loads. It never touches
 * the network: it records every socket (URL, frames sent, close calls) and lets the test drive the
 * server side through window.__fakeWS (open, message, close), the way a real socket would: events
 * are asynchronous, and close() goes CLOSING → CLOSED with a close event.
 */
(function () {
  "use strict";
  var sockets = [];
  var log = [];  // ordered {type, socket} entries, to assert the order of events without clocks

  function record(type, socket) {
    log.push({ type: type, socket: socket });
  }

  function FakeWebSocket(url, protocols) {
    var target = new EventTarget();
    this._target = target;
    this.url = String(url);
    this.protocols = protocols;
    this.readyState = 0;
    this.sent = [];
    this.closeCalls = [];
    this.binaryType = "blob";
    this.onopen = this.onmessage = this.onclose = this.onerror = null;
    this.index = sockets.length;
    sockets.push(this);
    record("create", this.index);
  }
  FakeWebSocket.CONNECTING = 0;
  FakeWebSocket.OPEN = 1;
  FakeWebSocket.CLOSING = 2;
  FakeWebSocket.CLOSED = 3;

  FakeWebSocket.prototype.addEventListener = function (type, listener, options) {
    this._target.addEventListener(type, listener, options);
  };
  FakeWebSocket.prototype.removeEventListener = function (type, listener, options) {
    this._target.removeEventListener(type, listener, options);
  };
  FakeWebSocket.prototype._fire = function (event) {
    this._target.dispatchEvent(event);
    var handler = this["on" + event.type];
    if (typeof handler === "function") handler.call(this, event);
  };
  FakeWebSocket.prototype.send = function (data) {
    if (this.readyState === 0) throw new DOMException("Still in CONNECTING state.", "InvalidStateError");
    if (this.readyState !== 1) return;
    this.sent.push(String(data));
    record("send", this.index);
  };
  FakeWebSocket.prototype.close = function (code, reason) {
    this.closeCalls.push({ code: code === undefined ? null : code, reason: reason || "" });
    if (this.readyState >= 2) return;
    this.readyState = 2;
    var self = this;
    setTimeout(function () { self._serverClose(code === undefined ? 1005 : code, reason || "", true); }, 0);
  };
  FakeWebSocket.prototype._serverClose = function (code, reason, wasClean) {
    if (this.readyState === 3) return;
    this.readyState = 3;
    record("close", this.index);
    this._fire(new CloseEvent("close", { code: code, reason: reason, wasClean: wasClean }));
  };

  window.WebSocket = FakeWebSocket;

  function socket(i) {
    var s = i === undefined || i === null ? sockets[sockets.length - 1] : sockets[i];
    if (!s) throw new Error("no fake socket " + i);
    return s;
  }

  window.__fakeWS = {
    count: function () { return sockets.length; },
    urls: function () { return sockets.map(function (s) { return s.url; }); },
    log: function () { return log.slice(); },
    info: function (i) {
      var s = socket(i);
      return { index: s.index, url: s.url, readyState: s.readyState, sent: s.sent.slice(), closeCalls: s.closeCalls.slice() };
    },
    /** The server accepts the connection. */
    open: function (i) {
      var s = socket(i);
      if (s.readyState !== 0) throw new Error("socket " + s.index + " is not connecting");
      s.readyState = 1;
      record("open", s.index);
      s._fire(new Event("open"));
    },
    /** The server sends one frame (a string, or an ArrayBuffer for binary). */
    message: function (data, i) {
      var s = socket(i);
      if (s.readyState !== 1) throw new Error("socket " + s.index + " is not open");
      s._fire(new MessageEvent("message", { data: data }));
    },
    /** The connection ends from the far side (1006 without a close frame, as after a network drop). */
    drop: function (i, code) {
      var s = socket(i);
      if (s.readyState === 0) s._fire(new Event("error"));
      s._serverClose(code || 1006, "", false);
    },
    /** Pretends the tab became hidden or visible. */
    setVisibility: function (state) {
      Object.defineProperty(document, "visibilityState", { configurable: true, get: function () { return state; } });
      Object.defineProperty(document, "hidden", { configurable: true, get: function () { return state === "hidden"; } });
      document.dispatchEvent(new Event("visibilitychange"));
    }
  };
})();
