/*! landqa widget 1.0.0 — 土地法规问答组件。
 * Embed: <script src="https://HOST/widget.js" data-key="KEY" async></script>
 * Everything from the server or the user is set with textContent; nothing is parsed as HTML. */
(function () {
  "use strict";
  var VERSION = "1.0.0";
  if (window.__landqaWidget) return;
  var script = document.currentScript;
  if (!script) {
    var found = document.querySelectorAll('script[src*="widget.js"][data-key]');
    script = found[found.length - 1];
  }
  if (!script) return;
  window.__landqaWidget = VERSION;

  var KEY = (script.getAttribute("data-key") || "").trim();
  var src = new URL(script.src, location.href);
  var BASE = src.origin + src.pathname.replace(/\/widget\.js$/, "");
  var STORE = "landqa-widget:v1:" + BASE + ":" + KEY;
  var MAX_CHARS = 1000, MAX_TURNS = 30, CHUNK_PREVIEW = 90;
  var EXAMPLES = ["征收土地补偿费用应在多长时间内支付？", "巴楚县2025年计划供应多少国有建设用地？", "喀什地区耕地保有量目标是多少？"];

  var CSS = [
    ":host{all:initial!important;position:fixed!important;right:20px!important;bottom:20px!important;z-index:2147483000!important;display:block!important;",
    "font:15px/1.6 system-ui,-apple-system,'PingFang SC','Microsoft YaHei','Noto Sans CJK SC','Source Han Sans SC',sans-serif!important;color:#1f2933!important;direction:ltr!important;text-align:left!important}",
    "*,*::before,*::after{box-sizing:border-box}",
    "[hidden]{display:none!important}",
    "button,textarea,a{font:inherit;color:inherit}",
    "button{cursor:pointer}",
    ":focus-visible{outline:3px solid #f6ad55;outline-offset:2px}",
    ".fab{display:flex;align-items:center;gap:6px;border:0;border-radius:28px;padding:0 18px;height:52px;background:#1d4f91;color:#fff;box-shadow:0 4px 14px rgba(0,0,0,.25);font-size:16px;font-weight:600}",
    ".fab:hover{background:#173f75}.fab svg{width:22px;height:22px;fill:none;stroke:currentColor;stroke-width:2}",
    ".panel{position:absolute;right:0;bottom:64px;width:min(420px,calc(100vw - 24px));height:min(640px,calc(100vh - 100px));display:flex;flex-direction:column;background:#fff;border:1px solid #cbd2d9;border-radius:12px;box-shadow:0 10px 30px rgba(0,0,0,.25);overflow:hidden}",
    ".head{display:flex;align-items:center;gap:8px;padding:10px 12px;background:#1d4f91;color:#fff}",
    ".head h2{margin:0;font-size:17px;font-weight:600;flex:1}.head p{margin:0;font-size:12px;opacity:.85}",
    ".head button{background:transparent;border:1px solid rgba(255,255,255,.5);border-radius:6px;color:#fff;padding:2px 8px;font-size:13px}",
    ".head .x{font-size:20px;line-height:1;padding:2px 9px;border:0}",
    ".status{padding:8px 12px;font-size:14px;border-bottom:1px solid #f0b36b;background:#fff5e6;color:#7b3b00}",
    ".status.bad{background:#fdecec;color:#8a1c1c;border-color:#f1a9a9}",
    ".status button{margin-left:8px;border:1px solid currentColor;background:#fff;border-radius:6px;padding:0 8px}",
    ".log{position:relative;flex:1;overflow-y:auto;padding:12px;background:#f5f7fa;overscroll-behavior:contain}",
    ".msg{margin:0 0 12px;padding:8px 12px;border-radius:10px;white-space:pre-wrap;word-break:break-word;max-width:100%}",
    ".user{background:#1d4f91;color:#fff;margin-left:15%;border-bottom-right-radius:2px}",
    ".bot{background:#fff;border:1px solid #d9e2ec;border-bottom-left-radius:2px}",
    ".hello{color:#3e4c59}.hello button{display:block;margin:6px 0 0;text-align:left;background:#e8f0fb;border:1px solid #bcd0ee;border-radius:8px;padding:4px 10px;font-size:14px;width:100%}",
    ".loading{color:#52606d;font-size:14px}.loading::after{content:'…';animation:d 1.2s steps(4) infinite;display:inline-block;overflow:hidden;vertical-align:bottom;width:0}",
    "@keyframes d{to{width:1.2em}}@media (prefers-reduced-motion:reduce){.loading::after{animation:none;width:auto}}",
    ".abstain{display:inline-block;background:#fdecec;color:#8a1c1c;border:1px solid #f1a9a9;border-radius:10px;padding:0 8px;font-size:13px;font-weight:600;margin-bottom:4px}",
    ".err{color:#8a1c1c}.err button{margin-left:8px;border:1px solid currentColor;background:#fff;border-radius:6px;padding:0 8px;font-size:13px}",
    ".calc{white-space:normal;margin:8px 0;padding:8px;border:1px solid #9fb3c8;border-radius:8px;background:#f0f4f8;font-size:14px}",
    ".calc b{display:block}.formula{font-family:ui-monospace,Menlo,Consolas,monospace;background:#fff;border-radius:4px;padding:2px 6px;display:block;margin-top:4px;white-space:pre-wrap}",
    ".warn{white-space:normal;margin:8px 0 0;padding:6px 8px;background:#fff5e6;border-left:4px solid #dd6b20;font-size:13px}",
    ".cites{white-space:normal;margin-top:8px}.cites h3{margin:4px 0;font-size:13px;color:#52606d;font-weight:600}",
    ".card{border:1px solid #d9e2ec;border-radius:8px;padding:8px;margin:6px 0;background:#fbfcfd;font-size:14px}",
    ".card.draft{border-color:#f0b36b;background:#fffaf2}",
    ".lbl{font-weight:600;margin-right:6px}",
    ".badge{display:inline-block;border-radius:10px;padding:0 7px;font-size:12px;background:#e3f5e9;color:#1d6b3a;border:1px solid #9fd3b0;white-space:nowrap}",
    ".badge.draft{background:#fde8d0;color:#8a3b00;border-color:#dd6b20;font-weight:700}",
    ".doc{color:#52606d;font-size:12px}",
    ".quote{margin:4px 0;padding-left:8px;border-left:3px solid #9fb3c8;color:#334e68;white-space:pre-wrap}",
    ".full{margin:4px 0;padding:6px 8px;background:#fff;border:1px dashed #9fb3c8;border-radius:6px;white-space:pre-wrap;max-height:260px;overflow:auto}",
    ".acts{display:flex;flex-wrap:wrap;gap:6px;margin-top:4px}",
    ".acts button,.acts a{border:1px solid #9fb3c8;background:#fff;border-radius:6px;padding:1px 8px;font-size:13px;text-decoration:none;color:#1d4f91}",
    "form{display:flex;gap:8px;padding:10px;border-top:1px solid #d9e2ec;background:#fff}",
    "textarea{flex:1;resize:none;height:48px;border:1px solid #9fb3c8;border-radius:8px;padding:6px 8px;font-size:15px;background:#fff}",
    "form button{border:0;border-radius:8px;background:#1d4f91;color:#fff;padding:0 16px;font-weight:600}",
    "form button:disabled,textarea:disabled{opacity:.55;cursor:not-allowed}",
    ".foot{padding:0 12px 6px;font-size:11px;color:#7b8794;background:#fff}",
    "@media (max-width:480px){:host{right:12px!important;bottom:12px!important}",
    ".panel{position:fixed;inset:0;width:100vw;height:100vh;height:100dvh;border-radius:0;border:0}",
    ":host(.open) .fab{display:none}}"
  ].join("\n");

  // helpers
  // Text goes in with textContent only; attrs are fixed names set by this script.
  function el(tag, cls, text, attrs) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    return e;
  }
  function btn(text, cls, onClick, attrs) {
    var b = el("button", cls, text, attrs);
    b.type = "button";
    if (onClick) b.addEventListener("click", onClick);
    return b;
  }
  function add(parent) {
    for (var i = 1; i < arguments.length; i++) if (arguments[i]) parent.appendChild(arguments[i]);
    return parent;
  }
  function str(v) { return typeof v === "string" ? v : v === undefined || v === null ? "" : String(v); }
  function isDraft(status) { status = str(status); return status !== "" && status !== "现行"; }
  function unitUrl(id) { return BASE + "/widget/unit/" + encodeURIComponent(str(id)) + "?key=" + encodeURIComponent(KEY); }
  var uid = 0;
  function nextId(p) { uid += 1; return "lq-" + p + uid; }

  // state (sessionStorage: this tab only)
  var state = { open: false, turns: [] };
  try {
    var saved = JSON.parse(sessionStorage.getItem(STORE) || "null");
    if (saved && Array.isArray(saved.turns)) state = { open: !!saved.open, turns: saved.turns.slice(-MAX_TURNS) };
  } catch (e) { /* storage disabled or corrupt: start afresh */ }
  state.turns.forEach(function (t) {
    if (t.pending) { t.pending = false; t.err = { kind: "interrupted", msg: "页面刷新时回答尚未完成，可重新提问。" }; }
  });
  function save() {
    try {
      var turns = state.turns.slice(-MAX_TURNS).map(function (t) { return { q: t.q, r: t.r, err: t.err, pending: t.pending }; });
      sessionStorage.setItem(STORE, JSON.stringify({ open: state.open, turns: turns }));
    } catch (e) { /* quota or disabled */ }
  }
  // Keep only what is shown: the stored copy is small and the shapes are fixed.
  function slim(r) {
    r = r || {};
    return {
      answer: str(r.answer), abstained: !!r.abstained, reason: str(r.reason),
      warnings: (r.warnings || []).map(str),
      computations: (r.computations || []).map(function (c) {
        return { title: str(c.title), result: str(c.result), formula: str(c.formula), warnings: (c.warnings || []).map(str), missing: (c.missing || []).map(str) };
      }),
      citations: (r.citations || []).map(function (c) {
        return { id: str(c.id), label: str(c.label), doc_title: str(c.doc_title), status: str(c.status), text: str(c.text), quote: str(c.quote) };
      })
    };
  }

  // the DOM, inside a shadow root
  var host = document.createElement("landqa-widget");
  var root = host.attachShadow({ mode: "open" });
  root.appendChild(el("style", null, CSS));

  var fab = btn(null, "fab", null, { "aria-label": "打开土地法规问答", "aria-haspopup": "dialog", "aria-expanded": "false", "aria-controls": "lq-panel" });
  var NS = "http://www.w3.org/2000/svg";
  var svg = document.createElementNS(NS, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  var path = document.createElementNS(NS, "path");
  path.setAttribute("d", "M4 5h16v11H9l-5 4z");
  add(fab, add(svg, path), el("span", null, "法规问答"));

  var panel = el("section", "panel", null, { id: "lq-panel", role: "dialog", "aria-labelledby": "lq-title" });
  panel.hidden = true;
  var head = el("div", "head");
  var titles = add(el("div", null, null, { style: "flex:1" }), el("h2", null, "土地法规问答", { id: "lq-title" }), el("p", null, "依据法规与规划原文作答，附出处"));
  var clearBtn = btn("清空", null, null, { "aria-label": "清空对话记录" });
  var closeBtn = btn("×", "x", null, { "aria-label": "关闭问答窗口" });
  add(head, titles, clearBtn, closeBtn);

  var statusBar = el("div", "status", null, { role: "status" });
  statusBar.hidden = true;
  var log = el("div", "log", null, { role: "log", "aria-live": "polite", "aria-label": "对话记录", tabindex: "0" });

  var form = el("form");
  var input = el("textarea", null, null, { "aria-label": "输入问题", placeholder: "输入问题，Enter 发送，Shift+Enter 换行", maxlength: String(MAX_CHARS), rows: "2" });
  var sendBtn = el("button", null, "发送", { type: "submit" });
  add(form, input, sendBtn);
  add(panel, head, statusBar, log, form, el("div", "foot", "回答由系统从原文摘录生成，仅供参考，请以正式文件为准。"));
  add(root, fab, panel);

  // status: refused key, unreachable, rate limited
  var blocked = false, busy = false, rateTimer = null, checked = false;
  function setStatus(text, bad, retry) {
    while (statusBar.firstChild) statusBar.removeChild(statusBar.firstChild);
    statusBar.hidden = !text;
    statusBar.className = "status" + (bad ? " bad" : "");
    if (!text) return;
    add(statusBar, el("span", null, text), retry && btn("重试", null, retry));
  }
  function updateControls() {
    var off = blocked || busy || rateTimer !== null;
    sendBtn.disabled = off;
    input.disabled = blocked;
    Array.prototype.forEach.call(log.querySelectorAll(".hello button"), function (b) { b.disabled = blocked; });
    panel.setAttribute("aria-busy", busy ? "true" : "false");
    host.setAttribute("data-state", blocked ? "refused" : rateTimer !== null ? "rate-limited" : busy ? "loading" : "ready");
  }
  function refuse(msg) {
    blocked = true;
    setStatus(msg || "此页面无法使用问答组件（密钥无效或本网页未获授权），请联系系统管理员。", true);
    updateControls();
  }
  function unreachable(retry) {
    host.setAttribute("data-state", "unreachable");
    setStatus("无法连接问答服务，请检查网络或稍后再试。", true, retry);
  }
  function rateLimited(seconds) {
    var left = Math.max(1, Math.ceil(seconds));
    if (rateTimer !== null) clearInterval(rateTimer);
    var tick = function () {
      if (left <= 0) {
        clearInterval(rateTimer);
        rateTimer = null;
        setStatus("");
        updateControls();
        return;
      }
      setStatus("提问过于频繁，请 " + left + " 秒后再试。", false);
      left -= 1;
    };
    rateTimer = setInterval(tick, 1000);
    tick();
    updateControls();
  }
  function errorMessage(body) {
    return body && body.error && typeof body.error.message_zh === "string" ? body.error.message_zh : "";
  }
  // Map an HTTP failure to what the user sees; returns the message for the turn.
  function handleStatus(status, body, headers) {
    var msg = errorMessage(body);
    if (status === 401 || status === 403) { refuse(msg); return msg || "请求被拒绝。"; }
    if (status === 429) {
      var wait = parseInt(headers.get("Retry-After") || "", 10);
      rateLimited(isNaN(wait) ? 30 : wait);
      return "提问过于频繁，已被限流，请稍后再试。";
    }
    if (status === 503) return msg || "问答服务正在启动，请稍后再试。";
    if (status >= 500) return "问答服务暂时出错（HTTP " + status + "），请稍后再试。";
    return msg || "请求有误（HTTP " + status + "）。";
  }
  function call(pathAndQuery, options) {
    options = options || {};
    options.mode = "cors";
    options.credentials = "omit";
    options.cache = "no-store";
    return fetch(BASE + pathAndQuery, options);
  }
  // A simple GET, readable even when refused, so the widget can tell "refused" from "unreachable".
  function check() {
    return call("/widget/hello?key=" + encodeURIComponent(KEY)).then(function (res) {
      checked = true;
      if (res.ok) {
        if (!blocked && rateTimer === null) setStatus("");
        updateControls();
        return "ok";
      }
      return res.json().catch(function () { return null; }).then(function (body) {
        handleStatus(res.status, body, res.headers);
        return res.status === 401 || res.status === 403 ? "refused" : "error";
      });
    }, function () {
      unreachable(function () { check(); });
      return "unreachable";
    });
  }

  // rendering
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise(function (ok, fail) {
      var ta = el("textarea");
      ta.value = text;
      ta.setAttribute("readonly", "");
      ta.style.position = "fixed";
      ta.style.left = "-9999px";
      root.appendChild(ta);
      ta.select();
      var done = false;
      try { done = document.execCommand("copy"); } catch (e) { done = false; }
      root.removeChild(ta);
      if (done) ok(); else fail(new Error("copy"));
    });
  }
  function card(c) {
    var draft = isDraft(c.status);
    var box = el("article", "card" + (draft ? " draft" : ""));
    var badge = el("span", "badge" + (draft ? " draft" : ""), draft ? "⚠ " + c.status : c.status || "状态未知");
    if (draft) badge.title = "本文件为" + c.status + "，尚未正式施行，内容可能调整";
    var preview = c.quote || (c.text.length > CHUNK_PREVIEW ? c.text.slice(0, CHUNK_PREVIEW) + "…" : c.text);
    var full = el("div", "full", c.text, { id: nextId("u") });
    full.hidden = true;
    add(box, add(el("div"), el("span", "lbl", c.label), badge), c.doc_title && el("div", "doc", c.doc_title), preview && el("blockquote", "quote", preview), full);
    var toggle = btn("展开条文", null, function () {
      full.hidden = !full.hidden;
      toggle.setAttribute("aria-expanded", full.hidden ? "false" : "true");
      toggle.textContent = full.hidden ? "展开条文" : "收起条文";
    }, { "aria-expanded": "false", "aria-controls": full.id });
    var link = el("a", null, "查看全文 ↗", { target: "_blank", rel: "noopener", "aria-label": "在新窗口查看全文：" + c.label });
    link.href = unitUrl(c.id);
    var copy = btn("复制引用", null, function () {
      var text = c.label + (draft ? "（" + c.status + "）" : "") + "：" + (c.quote || c.text) + "\n" + unitUrl(c.id);
      copyText(text).then(function () { copy.textContent = "已复制 ✓"; }, function () { copy.textContent = "复制失败"; });
      setTimeout(function () { copy.textContent = "复制引用"; }, 2000);
    });
    return add(box, add(el("div", "acts"), toggle, link, copy));
  }
  function renderResult(node, r) {
    while (node.firstChild) node.removeChild(node.firstChild);
    add(node, r.abstained && el("div", "abstain", "未能可靠回答"), el("div", "answer", r.answer));
    r.computations.forEach(function (c) {
      add(node, add(el("div", "calc"), el("b", null, "计算：" + c.title), c.result && el("div", null, c.result),
        c.formula && el("code", "formula", "公式：" + c.formula), c.missing.length && el("div", null, "缺少条件：" + c.missing.join("；"))));
    });
    r.warnings.forEach(function (w) { add(node, el("div", "warn", "⚠ " + w)); });
    if (r.citations.length) {
      var cites = add(el("div", "cites"), el("h3", null, r.abstained ? "最相近的条文（仅供查阅）" : "引用（" + r.citations.length + "）"));
      r.citations.forEach(function (c) { add(cites, card(c)); });
      add(node, cites);
    }
  }
  function renderTurn(t) {
    var wrap = add(el("div"), el("div", "msg user", t.q));
    var bot = el("div", "msg bot", null, { "aria-label": "回答" });
    if (t.r) {
      renderResult(bot, t.r);
    } else if (t.err) {
      var line = el("div", "err", t.err.msg);
      if (t.err.kind !== "refused") {
        line.appendChild(btn("重试", null, function () {
          if (busy || blocked || rateTimer !== null) return;
          var i = state.turns.indexOf(t);
          if (i >= 0) state.turns.splice(i, 1);
          if (t.node && t.node.parentNode) t.node.parentNode.removeChild(t.node);
          send(t.q);
        }));
      }
      bot.appendChild(line);
    } else {
      t.answerNode = el("div", "answer", t.text || "");
      add(bot, t.answerNode, el("div", "loading", "正在检索条文"));
    }
    t.node = add(wrap, bot);
    return wrap;
  }
  function renderAll() {
    while (log.firstChild) log.removeChild(log.firstChild);
    if (!state.turns.length) {
      var hello = el("div", "msg bot hello", "您好！可以询问土地管理法规、国土空间规划指标及相关计算，回答均附原文出处。例如：");
      EXAMPLES.forEach(function (q) {
        var b = btn(q, null, function () { input.value = q; input.focus(); });
        b.disabled = blocked;
        hello.appendChild(b);
      });
      log.appendChild(hello);
    }
    state.turns.forEach(function (t) { log.appendChild(renderTurn(t)); });
    scrollDown();
  }
  function scrollDown() { log.scrollTop = log.scrollHeight; }
  function rerender(t) {
    var old = t.node;
    var fresh = renderTurn(t);
    if (old && old.parentNode === log) log.replaceChild(fresh, old); else log.appendChild(fresh);
    scrollDown();
  }

  // asking, with the answer streamed
  function finish(t) {
    t.pending = false;
    busy = false;
    save();
    rerender(t);
    log.scrollTop = Math.max(0, t.node.offsetTop - 8); // the question and the start of its answer
    updateControls();
  }
  function fail(t, kind, msg) {
    t.err = { kind: kind, msg: msg };
    finish(t);
  }
  function send(q) {
    q = str(q).trim();
    if (!q || blocked || busy || rateTimer !== null) return;
    if (!state.turns.length) while (log.firstChild) log.removeChild(log.firstChild);
    var t = { q: q.slice(0, MAX_CHARS), r: null, err: null, pending: true, text: "" };
    state.turns.push(t);
    if (state.turns.length > MAX_TURNS) state.turns.shift();
    busy = true;
    updateControls();
    log.appendChild(renderTurn(t));
    scrollDown();
    save();
    call("/widget/ask", {
      method: "POST",
      headers: { "Content-Type": "application/json", "Accept": "text/event-stream", "X-Landqa-Key": KEY },
      body: JSON.stringify({ question: t.q })
    }).then(function (res) {
      if (!res.ok) {
        return res.json().catch(function () { return null; }).then(function (body) {
          fail(t, res.status === 401 || res.status === 403 ? "refused" : "http", handleStatus(res.status, body, res.headers));
        });
      }
      return stream(res, t);
    }).catch(function () {
      if (!t.pending) return;
      // The call never got an answer: refused by CORS (origin not allowed) or the server is down.
      check().then(function (outcome) {
        fail(t, outcome, outcome === "refused" ? "请求被拒绝。" : "无法连接问答服务，请稍后重试。");
      });
    });
  }
  function stream(res, t) {
    var reader = res.body.getReader();
    var decoder = new TextDecoder();
    var buffer = "";
    function handle(block) {
      var event = "message", data = [];
      block.split("\n").forEach(function (line) {
        if (line.indexOf("event:") === 0) event = line.slice(6).trim();
        else if (line.indexOf("data:") === 0) data.push(line.slice(5).replace(/^ /, ""));
      });
      if (!data.length) return;
      var payload;
      try { payload = JSON.parse(data.join("\n")); } catch (e) { return; }
      if (event === "delta" && t.pending) {
        t.text += str(payload.text);
        if (t.answerNode) t.answerNode.textContent = t.text;
        scrollDown();
      } else if (event === "done") {
        t.r = slim(payload);
        t.text = "";
        finish(t);
      } else if (event === "error") {
        fail(t, "server", errorMessage(payload) || "服务器内部错误，请稍后再试。");
      }
    }
    function pump() {
      return reader.read().then(function (chunk) {
        if (chunk.done) {
          buffer += decoder.decode();
          if (buffer.trim()) handle(buffer);
          if (t.pending) fail(t, "network", "回答中断，请重试。");
          return;
        }
        buffer += decoder.decode(chunk.value, { stream: true }).replace(/\r\n/g, "\n");
        var cut;
        while ((cut = buffer.indexOf("\n\n")) >= 0) {
          var block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          handle(block);
        }
        return pump();
      });
    }
    return pump();
  }

  // opening, closing, keyboard
  function setOpen(open, focusAfter) {
    state.open = open;
    panel.hidden = !open;
    host.classList.toggle("open", open);
    fab.setAttribute("aria-expanded", open ? "true" : "false");
    fab.setAttribute("aria-label", open ? "关闭土地法规问答" : "打开土地法规问答");
    save();
    if (open) {
      scrollDown();
      if (!checked) check();
      if (focusAfter) (input.disabled ? closeBtn : input).focus();
    } else if (focusAfter) {
      fab.focus();
    }
  }
  fab.addEventListener("click", function () { setOpen(panel.hidden, true); });
  closeBtn.addEventListener("click", function () { setOpen(false, true); });
  clearBtn.addEventListener("click", function () {
    if (busy) return;
    state.turns = [];
    save();
    renderAll();
    input.focus();
  });
  root.addEventListener("keydown", function (e) {
    if ((e.key === "Escape" || e.key === "Esc") && !panel.hidden) {
      e.preventDefault();
      e.stopPropagation();
      setOpen(false, true);
    }
  });
  input.addEventListener("keydown", function (e) {
    // Enter sends; Shift+Enter is a new line; Enter that confirms an IME composition is not a send.
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      submit();
    }
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    submit();
  });
  function submit() {
    var q = input.value.trim();
    if (!q || sendBtn.disabled) return;
    input.value = "";
    send(q);
  }

  function mount() {
    (document.body || document.documentElement).appendChild(host);
    if (!KEY) refuse("页面未提供组件密钥（data-key）。");
    renderAll();
    updateControls();
    if (state.open) setOpen(true, false);
  }
  if (document.body) mount(); else document.addEventListener("DOMContentLoaded", mount);
})();
