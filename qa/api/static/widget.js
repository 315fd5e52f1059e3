/*! landqa widget 1.1.0 — 土地法规问答组件。
 * Embed: <script src="https://HOST/widget.js" data-key="KEY" async></script>
 * Everything from the server or the user is set with textContent; nothing is parsed as HTML. */
(function () {
  "use strict";
  var VERSION = "1.1.0";
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
  // The conversation sent with each question (the server allows 20 turns and 4000 characters):
  // answers are cut to their head, which holds the result and the first quote.
  var HISTORY_TURNS = 20, HISTORY_CHARS = 3000, HISTORY_ANSWER_CHARS = 600, COMMENT_CHARS = 1000;
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
    ".understood{white-space:normal;margin:0 0 6px;padding:4px 8px;background:#eef4fb;border-left:3px solid #1d4f91;font-size:13px;color:#243b53}",
    ".refs{display:flex;flex-wrap:wrap;align-items:center;gap:4px 6px;margin-top:4px;font-size:13px}.refs>span:first-child{color:#52606d}",
    ".refs button{border:1px solid #bcd0ee;background:#e8f0fb;border-radius:10px;padding:0 8px;font-size:13px;color:#1d4f91}",
    ".refs .outside{border:1px dashed #9fb3c8;border-radius:10px;padding:0 8px;color:#52606d;background:#fff}",
    ".reftext{margin:4px 0;padding:6px 8px;background:#fff;border:1px solid #bcd0ee;border-radius:6px;white-space:pre-wrap;max-height:220px;overflow:auto;font-size:13px}",
    ".reftext b{display:block;margin-bottom:2px}",
    ".fb{white-space:normal;display:flex;flex-wrap:wrap;align-items:center;gap:6px;margin-top:8px;font-size:13px;color:#52606d}",
    ".fb>button{display:inline-flex;align-items:center;gap:4px;border:1px solid #9fb3c8;background:#fff;border-radius:14px;padding:1px 10px;font-size:13px;color:#1d4f91}",
    ".fb svg{width:16px;height:16px;fill:none;stroke:currentColor;stroke-width:2;stroke-linecap:round;stroke-linejoin:round}",
    ".fb>button[aria-pressed=true]{background:#1d4f91;border-color:#1d4f91;color:#fff}",
    ".fbform{white-space:normal;flex-basis:100%;display:flex;flex-direction:column;gap:4px}",
    ".fbform textarea{height:56px;font-size:14px}.fbform button{align-self:flex-start;border:0;border-radius:6px;background:#1d4f91;color:#fff;padding:1px 12px;font-size:13px}",
    ".fbnote{flex-basis:100%;font-size:12px;color:#7b8794}",
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
      var turns = state.turns.slice(-MAX_TURNS).map(function (t) { return { q: t.q, r: t.r, err: t.err, pending: t.pending, fb: t.fb }; });
      sessionStorage.setItem(STORE, JSON.stringify({ open: state.open, turns: turns }));
    } catch (e) { /* quota or disabled */ }
  }
  // Keep only what is shown: the stored copy is small and the shapes are fixed.
  function slim(r) {
    r = r || {};
    return {
      answer_id: /^[0-9a-f]{32}$/.test(str(r.answer_id)) ? str(r.answer_id) : "",
      question: str(r.question), resolved_question: str(r.resolved_question),
      answer: str(r.answer), abstained: !!r.abstained, reason: str(r.reason),
      answer_kind: ["answered", "not_stated", "out_of_scope"].indexOf(r.answer_kind) >= 0 ? r.answer_kind : "",
      warnings: (r.warnings || []).map(str),
      computations: (r.computations || []).map(function (c) {
        return { rule: str(c.rule), title: str(c.title), result: str(c.result), formula: str(c.formula), warnings: (c.warnings || []).map(str), missing: (c.missing || []).map(str) };
      }),
      citations: (r.citations || []).map(function (c) {
        return {
          id: str(c.id), label: str(c.label), doc_title: str(c.doc_title), status: str(c.status), text: str(c.text), quote: str(c.quote),
          refs: (c.refs || []).map(function (x) { return { id: str(x.id), label: str(x.label), title: str(x.title), text: str(x.text), outside: !!x.outside }; })
        };
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
    add(box, add(el("div", "acts"), toggle, link, copy));
    return refList(box, c.refs || []);
  }
  // "《…》第十条第一款" -> "第十条第一款": the card already names the document.
  function shortLabel(label) {
    label = str(label);
    return label.charAt(0) === "《" && label.indexOf("》") > 0 ? label.slice(label.indexOf("》") + 1) || label : label;
  }
  // What the cited text points to (前款, 本条, 《土地管理法》): units open in place, outside texts are marked.
  function refList(box, refs) {
    if (!refs.length) return box;
    var row = add(el("div", "refs"), el("span", null, "所引条文："));
    var shown = el("div", "reftext", null, { id: nextId("r"), "aria-live": "polite" });
    shown.hidden = true;
    var openButton = null;
    refs.forEach(function (x) {
      if (x.outside) {
        add(row, el("span", "outside", "《" + x.title + "》（未收录）", { title: "原文写作" + x.text + "；该文件不在本系统收录的文件中" }));
        return;
      }
      if (!x.id) return;
      var b = btn(shortLabel(x.label) || x.text, null, null, { "aria-expanded": "false", "aria-controls": shown.id, "data-unit": x.id, title: "原文写作“" + x.text + "”：" + x.label });
      b.addEventListener("click", function () {
        if (openButton === b) { closeRef(); return; }
        if (openButton) openButton.setAttribute("aria-expanded", "false");
        openButton = b;
        b.setAttribute("aria-expanded", "true");
        showUnit(shown, x);
      });
      add(row, b);
    });
    function closeRef() {
      if (openButton) openButton.setAttribute("aria-expanded", "false");
      openButton = null;
      shown.hidden = true;
    }
    return add(box, row, shown);
  }
  var unitCache = {};
  function showUnit(shown, x) {
    while (shown.firstChild) shown.removeChild(shown.firstChild);
    shown.hidden = false;
    add(shown, el("div", "loading", "正在载入条文"));
    var got = unitCache[x.id] || call("/widget/units/" + encodeURIComponent(x.id) + "?key=" + encodeURIComponent(KEY)).then(function (res) {
      return res.ok ? res.json() : Promise.reject(res.status);
    });
    unitCache[x.id] = got;
    got.then(function (u) {
      while (shown.firstChild) shown.removeChild(shown.firstChild);
      var link = el("a", null, "查看全文 ↗", { target: "_blank", rel: "noopener", "aria-label": "在新窗口查看全文：" + str(u.label) });
      link.href = unitUrl(u.id);
      add(shown, el("b", null, shortLabel(u.label)), el("div", null, str(u.text)), add(el("div", "acts"), link));
    }, function () {
      delete unitCache[x.id];
      while (shown.firstChild) shown.removeChild(shown.firstChild);
      add(shown, el("div", "err", "无法载入所引条文，请稍后再试。"));
    });
  }
  function renderResult(node, r, t) {
    while (node.firstChild) node.removeChild(node.firstChild);
    // A follow-up completed from the conversation says how it was understood, once, above the answer.
    var understood = r.resolved_question && r.resolved_question !== t.q ? r.resolved_question : "";
    var answer = r.answer, head = "理解为：" + understood;
    if (understood && answer.indexOf(head) === 0) answer = answer.slice(head.length).replace(/^\n/, "");
    // The three kinds of answer look different: answered, not stated in the texts, outside the texts.
    var kind = r.answer_kind || (r.abstained ? "out_of_scope" : "answered");
    var badge = { not_stated: "文件未规定所问内容", out_of_scope: "超出现有文件范围" }[kind];
    add(node, understood && el("div", "understood", head), badge && el("div", "abstain " + kind, badge), el("div", "answer", answer));
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
    if (r.answer_id) add(node, feedbackRow(t));
  }
  // 👍/👎 and an optional comment; nothing leaves the page until 提交反馈 is pressed.
  function feedbackRow(t) {
    var fb = t.fb || { rating: "", comment: "", sent: "" };
    var row = el("div", "fb", null, { role: "group", "aria-label": "这个回答有帮助吗" });
    var status = el("span", "fbstatus", fb.sent ? "已提交反馈，谢谢！" : "", { role: "status" });
    var form = null;
    function choose(rating) {
      fb.rating = rating;
      t.fb = fb;
      up.setAttribute("aria-pressed", rating === "up" ? "true" : "false");
      down.setAttribute("aria-pressed", rating === "down" ? "true" : "false");
      if (!form) {
        // Built on first use: the page holds one text box (the question) until feedback is given.
        form = el("div", "fbform");
        var comment = el("textarea", null, null, { "aria-label": "补充说明（可选）", placeholder: "哪里不对？应当依据哪一条？（可选）", maxlength: String(COMMENT_CHARS) });
        comment.value = fb.comment || "";
        var submit = btn(fb.sent ? "更新反馈" : "提交反馈", null, function () { sendFeedback(t, fb, comment.value, submit, status, form); });
        add(row, add(form, comment, add(el("div", "acts"), submit), el("div", "fbnote", "提交后，本轮问题、回答和您的说明将被保存，用于改进问答。")));
      }
      form.hidden = false;
      form.querySelector("textarea").focus();
    }
    var up = thumb("有用", THUMB_UP, "有帮助", fb.rating === "up", function () { choose("up"); });
    var down = thumb("没用", THUMB_DOWN, "没有帮助", fb.rating === "down", function () { choose("down"); });
    return add(row, el("span", null, "有帮助吗？"), up, down, status);
  }
  // Thumbs drawn as SVG (Feather icons), so they show where no emoji font is installed.
  var THUMB_UP = "M14 9V5a3 3 0 0 0-3-3l-4 9v11h11.28a2 2 0 0 0 2-1.7l1.38-9a2 2 0 0 0-2-2.3zM7 22H4a2 2 0 0 1-2-2v-7a2 2 0 0 1 2-2h3";
  var THUMB_DOWN = "M10 15v4a3 3 0 0 0 3 3l4-9V2H5.72a2 2 0 0 0-2 1.7l-1.38 9a2 2 0 0 0 2 2.3zm7-13h2.67A2.31 2.31 0 0 1 22 4v7a2.31 2.31 0 0 1-2.33 2H17";
  function thumb(text, d, label, pressed, onClick) {
    var b = btn(null, null, onClick, { "aria-label": label, "aria-pressed": pressed ? "true" : "false" });
    var icon = document.createElementNS(NS, "svg");
    icon.setAttribute("viewBox", "0 0 24 24");
    icon.setAttribute("aria-hidden", "true");
    var line = document.createElementNS(NS, "path");
    line.setAttribute("d", d);
    return add(b, add(icon, line), el("span", null, text));
  }
  function sendFeedback(t, fb, comment, submit, status, form) {
    var r = t.r;
    if (!fb.rating || submit.disabled) return;
    fb.comment = str(comment).trim().slice(0, COMMENT_CHARS);
    var body = {
      answer_id: r.answer_id, rating: fb.rating, question: t.q, abstained: r.abstained, answer: r.answer.slice(0, 4000),
      citations: r.citations.map(function (c) { return c.id; }).filter(function (id) { return /^[A-Za-z0-9_-]{1,60}:[A-Za-z0-9_.-]{1,120}$/.test(id); }).slice(0, 20),
      computations: r.computations.filter(function (c) { return /^[A-Za-z0-9_.-]{1,100}$/.test(c.rule); }).slice(0, 10).map(function (c) { return { rule: c.rule, result: c.result.slice(0, 500) }; })
    };
    if (fb.comment) body.comment = fb.comment;
    if (r.resolved_question) body.resolved_question = r.resolved_question;
    submit.disabled = true;
    status.textContent = "正在提交…";
    call("/widget/feedback", {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Landqa-Key": KEY },
      body: JSON.stringify(body)
    }).then(function (res) {
      if (res.ok) {
        fb.sent = fb.rating;
        t.fb = fb;
        save();
        status.textContent = "已提交反馈，谢谢！";
        submit.textContent = "更新反馈";
        form.hidden = true;
        return;
      }
      return res.json().catch(function () { return null; }).then(function (b) {
        status.textContent = res.status === 429 ? "提交过于频繁，请稍后再试。" : (errorMessage(b) || "反馈提交失败（HTTP " + res.status + "）。");
      });
    }, function () {
      status.textContent = "无法连接问答服务，反馈未提交。";
    }).then(function () { submit.disabled = false; });
  }
  function renderTurn(t) {
    var wrap = add(el("div"), el("div", "msg user", t.q));
    var bot = el("div", "msg bot", null, { "aria-label": "回答" });
    if (t.r) {
      renderResult(bot, t.r, t);
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
    var earlier = conversation();
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
      body: JSON.stringify(earlier.length ? { question: t.q, history: earlier } : { question: t.q })
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
  // The answered turns so far, newest kept first within the server's bounds, sent oldest first.
  function conversation() {
    var out = [], total = 0;
    for (var i = state.turns.length - 1; i >= 0; i--) {
      var t = state.turns[i];
      if (!t.r || !t.r.answer) continue; // failed and interrupted turns were never part of the conversation
      var pair = [{ role: "assistant", content: t.r.answer.slice(0, HISTORY_ANSWER_CHARS) }, { role: "user", content: t.q }];
      var size = pair[0].content.length + pair[1].content.length;
      if (out.length + 2 > HISTORY_TURNS || total + size > HISTORY_CHARS) break;
      out.push(pair[0], pair[1]);
      total += size;
    }
    return out.reverse();
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
