// The playground page. Every piece of text from the bot or the user is set with textContent, never
// innerHTML, so a message containing <script> or markup shows as typed and runs nothing.
"use strict";

const $ = (id) => document.getElementById(id);
// Requests go one at a time, in the order the person made them: a message typed while the bot is still
// answering waits its turn instead of being dropped.
let queue = Promise.resolve();
let pending = 0;
// Bumped when the person becomes someone else: a reply still in flight for the previous persona is not
// drawn into the new persona's (cleared) view. The bot keeps that conversation either way.
let generation = 0;
// Bumped when the person picks a language in the form: a reply or inbox answer that left before the pick
// carries the old language and must not switch the page (and the setting) back.
let languagePicks = 0;
let lastInboxId = 0;
let polling = false;
let lastRoundupId = 0;
// The language the bot last answered this persona in: every bot message carries it as its lang attribute,
// so a screen reader reads Welsh as Welsh (WCAG 3.1.2).
let botLang = "en";
const LANG_TAG = { en: "en-GB", cy: "cy" };

function persona() {
  return { name: $("persona-name").value.trim() || "Officer", role: $("persona-role").value,
           force: $("persona-force").value || null, language: $("persona-language").value };
}

// The page's own words in each language (from /playground/api/setup): the page follows the persona's
// language, so a Welsh-speaking tester meets a Welsh page, not only Welsh replies.
let labels = { en: {} };
// Status lines drawn from the current persona, redrawn in the new language when it changes.
const statusLines = {};

function showStatus(id, render) {
  statusLines[id] = render;
  $(id).textContent = render();
}

function tr(key, params = {}) {
  const template = (labels[botLang] || {})[key] || labels.en[key] || key;
  return template.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
}

function applyLabels() {
  document.documentElement.lang = LANG_TAG[botLang];
  document.querySelectorAll("[data-i18n]").forEach((node) => {
    if (node.tagName === "TITLE") document.title = tr(node.dataset.i18n);
    else node.textContent = tr(node.dataset.i18n);
  });
  document.querySelectorAll("[data-i18n-placeholder]").forEach((n) => n.setAttribute("placeholder", tr(n.dataset.i18nPlaceholder)));
  document.querySelectorAll("[data-i18n-aria-label]").forEach((n) => n.setAttribute("aria-label", tr(n.dataset.i18nAriaLabel)));
  for (const [id, render] of Object.entries(statusLines)) $(id).textContent = render();
}

function setBotLang(lang) {
  if (!LANG_TAG[lang]) return;
  const changed = lang !== botLang;
  botLang = lang;
  $("persona-language").value = lang;  // "Cymraeg" typed in the chat changes the setting too
  if (changed) applyLabels();
}

function el(tag, attrs = {}, text = "") {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text) node.textContent = text;
  return node;
}

function append(node) {
  const log = $("log");
  log.appendChild(node);
  log.scrollTop = log.scrollHeight;
}

function showMine(text) {
  const msg = el("div", { class: "msg me" });
  msg.appendChild(el("span", { class: "who" }, tr("playground.you")));
  msg.appendChild(document.createTextNode(text));
  append(msg);
}

function actionButton(b, group) {
  const btn = el("button", { type: "button", class: b.style || "default" }, b.label);
  btn.dataset.actionId = b.action_id;
  if (b.form) {
    btn.setAttribute("aria-expanded", "false");
    btn.addEventListener("click", () => openForm(b, group, btn));
  } else if (b.needs_reason) {
    btn.setAttribute("aria-expanded", "false");
    btn.addEventListener("click", () => askReason(b, group, btn));
  } else {
    btn.addEventListener("click", () => click(b.action_id, b.value, b.label, group, "", btn));
  }
  return btn;
}

// The clicked button is the one marked as chosen; the others step back, so nobody reads the first
// (highlighted) button as the choice. A refused click undoes this (see send).
function markChosen(group, btn) {
  if (!group) return;
  group.querySelectorAll("button, select").forEach((b) => { b.disabled = true; });
  if (!btn) return;
  group.querySelectorAll("button").forEach((b) => {
    b.classList.add(b === btn ? "chosen" : "not-chosen");
    if (b === btn) b.setAttribute("aria-pressed", "true");
  });
}

function unmark(group) {
  if (!group) return;
  group.querySelectorAll("button, select").forEach((b) => {
    b.disabled = false; b.classList.remove("chosen", "not-chosen"); b.removeAttribute("aria-pressed");
  });
}

// Decline and "ask for more info" need a reason the officer will read: a labelled box under the card.
function askReason(b, group, btn) {
  const existing = group.parentNode.querySelector("form.reason");
  if (existing) existing.remove();
  const id = "reason-" + Math.random().toString(36).slice(2);
  const form = el("form", { class: "reason" });
  form.appendChild(el("label", { for: id }, tr("playground.reason_label", { action: b.label })));
  const box = el("textarea", { id, rows: "3", maxlength: "2000", required: "" });
  form.appendChild(box);
  const row = el("div", { class: "actions" });
  row.appendChild(el("button", { type: "submit", class: "primary" }, tr("playground.reason_send") + " — " + b.label));
  const cancel = el("button", { type: "button" }, tr("playground.cancel"));
  cancel.addEventListener("click", () => { form.remove(); btn.setAttribute("aria-expanded", "false"); btn.focus(); });
  row.appendChild(cancel);
  form.appendChild(row);
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    if (!box.value.trim()) { box.focus(); return; }
    form.remove();
    click(b.action_id, b.value, b.label + ": " + box.value, group, box.value, btn);
  });
  group.parentNode.insertBefore(form, group.nextSibling);
  btn.setAttribute("aria-expanded", "true");
  box.focus();
}

// A button with a form (sharing a flagged idea): its boxes under the card, filled in where the bot says,
// each with a visible label. The answers go with the click, by name.
function openForm(b, group, btn) {
  const existing = group.parentNode.querySelector("form.reason, form.share");
  if (existing) existing.remove();
  const form = el("form", { class: "share", "aria-label": b.form.title });
  form.appendChild(el("h4", {}, b.form.title));
  if (b.form.intro) form.appendChild(el("p", {}, b.form.intro));
  const boxes = [];
  for (const input of b.form.inputs) {
    const id = "form-" + input.name + "-" + Math.random().toString(36).slice(2);
    form.appendChild(el("label", { for: id }, input.label + (input.required ? "" : " (optional)")));
    const attrs = { id, name: input.name, maxlength: String(input.max_chars || 2000) };
    if (input.required) attrs.required = "";
    const box = input.multiline ? el("textarea", { ...attrs, rows: "4" }) : el("input", { ...attrs, type: "text" });
    box.value = input.value || "";
    form.appendChild(box);
    boxes.push([input, box]);
  }
  const row = el("div", { class: "actions" });
  row.appendChild(el("button", { type: "submit", class: "primary" }, b.form.submit || b.label));
  const cancel = el("button", { type: "button" }, tr("playground.cancel"));
  cancel.addEventListener("click", () => { form.remove(); btn.setAttribute("aria-expanded", "false"); btn.focus(); });
  row.appendChild(cancel);
  form.appendChild(row);
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const inputs = {};
    for (const [input, box] of boxes) {
      if (input.required && !box.value.trim()) { box.focus(); return; }
      inputs[input.name] = box.value;
    }
    form.remove();
    if (group) group.querySelectorAll("button, select").forEach((x) => { x.disabled = true; });
    showMine(b.label);
    send({ kind: "action", action_id: b.action_id, value: b.value, text: "", inputs });
  });
  group.parentNode.insertBefore(form, group.nextSibling);
  btn.setAttribute("aria-expanded", "true");
  (boxes.length ? boxes[0][1] : form).focus();
}

function buildCard(r) {
  const card = el("article", { class: "card " + (r.kind || "") });
  // Review cards carry their idea: a decision made anywhere updates every card of it on the page.
  if ((r.kind || "").startsWith("review") && r.extra && r.extra.idea_id) card.dataset.ideaId = r.extra.idea_id;
  card.appendChild(el("h3", {}, r.title));
  if (r.body) card.appendChild(el("p", {}, r.body));
  if (r.fields.length) {
    const dl = el("dl");
    for (const f of r.fields) { dl.appendChild(el("dt", {}, f.label)); dl.appendChild(el("dd", {}, f.value)); }
    card.appendChild(dl);
  }
  if (r.note) card.appendChild(el("p", { class: "note" }, r.note));
  if (r.buttons.length) {
    const group = el("div", { class: "actions", role: "group", "aria-label": r.title });
    for (const b of r.buttons) group.appendChild(actionButton(b, group));
    card.appendChild(group);
  }
  return card;
}

// A chart: the server's image, whose alt text says every figure in words, and the same figures as a
// table for anyone who would rather read them (WCAG: nothing is shown only as a picture).
function buildChart(r) {
  const figure = el("figure", { class: "chart" });
  figure.appendChild(el("figcaption", {}, r.title));
  if (r.image) {
    const attrs = { src: r.image, alt: r.alt };
    if (r.width && r.height) { attrs.width = String(r.width); attrs.height = String(r.height); }
    figure.appendChild(el("img", attrs));
  } else {
    figure.appendChild(el("p", {}, r.alt));
  }
  const details = el("details");
  details.appendChild(el("summary", {}, tr("playground.chart_table")));
  const scroller = el("div", { class: "table-scroll", tabindex: "0", role: "region", "aria-label": r.title });
  const table = el("table");
  table.appendChild(el("caption", {}, r.title));
  const head = el("tr");
  head.appendChild(el("th", { scope: "col" }, tr("playground.chart_week")));
  for (const s of r.series) head.appendChild(el("th", { scope: "col" }, s.label));
  head.appendChild(el("th", { scope: "col" }, tr("playground.chart_all")));
  const thead = el("thead");
  thead.appendChild(head);
  table.appendChild(thead);
  const tbody = el("tbody");
  r.weeks.forEach((week, i) => {
    const row = el("tr");
    row.appendChild(el("th", { scope: "row" }, week));
    let all = 0;
    for (const s of r.series) { row.appendChild(el("td", {}, String(s.counts[i]))); all += s.counts[i]; }
    row.appendChild(el("td", {}, String(all)));
    tbody.appendChild(row);
  });
  table.appendChild(tbody);
  scroller.appendChild(table);
  details.appendChild(scroller);
  figure.appendChild(details);
  return figure;
}

function renderReply(r, outboxId = null, target = null) {
  const wrap = el("div", { class: "msg bot", lang: LANG_TAG[botLang], tabindex: "-1" });
  wrap.appendChild(el("span", { class: "who" }, tr(outboxId ? "playground.bot_message" : "playground.bot")));
  if (r.type === "text") {
    wrap.appendChild(document.createTextNode(r.text));
    append(wrap);
  } else if (r.type === "choices") {
    wrap.appendChild(el("p", {}, r.prompt));
    const group = el("div", { class: "actions", role: "group", "aria-label": r.prompt });
    if (r.searchable) {
      // Nothing is chosen for the person: the list starts on its placeholder, and "Choose" with
      // nothing picked says so instead of sending the first option.
      const id = "choice-" + Math.random().toString(36).slice(2);
      const box = el("div", { class: "choice-select" });
      const field = el("div");
      field.appendChild(el("label", { for: id }, r.placeholder || tr("playground.choose")));
      const select = el("select", { id });
      select.appendChild(el("option", { value: "", disabled: "", selected: "" }, r.placeholder || tr("playground.choose") + "…"));
      for (const o of r.options) select.appendChild(el("option", { value: o.value }, o.label));
      field.appendChild(select);
      box.appendChild(field);
      const go = el("button", { type: "button", class: "primary" }, tr("playground.choose"));
      const problem = el("p", { class: "choice-error", role: "alert", hidden: "" });
      go.addEventListener("click", () => {
        if (!select.value) {
          problem.textContent = tr("playground.choose_first");
          problem.hidden = false;
          select.focus();
          return;
        }
        problem.hidden = true;
        click(r.action_id, select.value, select.options[select.selectedIndex].textContent, group);
      });
      box.appendChild(go);
      group.appendChild(box);
      group.appendChild(problem);
    } else {
      for (const o of r.options) group.appendChild(actionButton({ action_id: r.action_id, value: o.value,
                                                                   label: o.label }, group));
    }
    wrap.appendChild(group);
    append(wrap);
  } else if (r.type === "card") {
    const card = buildCard(r);
    card.setAttribute("lang", LANG_TAG[botLang]);
    card.setAttribute("tabindex", "-1");
    if (outboxId) card.dataset.outboxId = String(outboxId);
    if (target) target.replaceWith(card); else append(card);
  } else if (r.type === "chart") {
    wrap.appendChild(buildChart(r));
    append(wrap);
  } else {
    throw new Error("unknown reply type " + r.type);
  }
}

function send(body, group = null, focusReply = false) {
  // The persona is read now, when the person acts, not when the request leaves the queue.
  const request = { persona: persona(), ...body };
  const mine = generation;
  const picks = languagePicks;
  pending += 1;
  $("log").setAttribute("aria-busy", "true");
  queue = queue.then(() => deliver(request, group, focusReply, mine, picks));
  return queue;
}

async function deliver(request, group, focusReply, mine, picks) {
  $("error").hidden = true;
  try {
    const res = await fetch("/playground/api/events", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(request),
    });
    if (!res.ok) throw new Error(tr("playground.error", { status: res.status }));
    const data = await res.json();
    if (mine !== generation) return;  // the person switched persona meanwhile: not this view's reply
    if (data.refused) unmark(group);  // nothing happened: the buttons stay usable, nothing is ticked
    if (data.lang && picks === languagePicks) setBotLang(data.lang);
    const first = $("log").children.length;
    data.replies.forEach((r) => renderReply(r));
    // After a button press focus would fall to <body>: move it to the first new reply, so Tab goes on to
    // its buttons and then the message box (a natural order).
    if (focusReply) ($("log").children[first] || $("message")).focus();
    pollInbox();  // cards sent on their own (a queue, a decision) show at once, not at the next poll
  } catch (err) {
    $("error").textContent = err.message || String(err);
    $("error").hidden = false;
  } finally {
    pending -= 1;
    if (!pending) $("log").removeAttribute("aria-busy");
  }
}

function click(actionId, value, label, group, text = "", btn = null) {
  markChosen(group, btn);
  showMine(label);
  send({ kind: "action", action_id: actionId, value, text }, group, true);
}

// Messages the bot sends on its own (a broker's new card, the officer's news) arrive through the inbox;
// an "update" replaces the card it refers to, as chat.update does on Slack.
async function pollInbox() {
  if (polling) return;
  polling = true;
  const mine = generation;
  const picks = languagePicks;
  try {
    const who = encodeURIComponent(persona().name);
    const res = await fetch("/playground/api/inbox?name=" + who + "&after=" + lastInboxId);
    if (!res.ok) return;
    const data = await res.json();
    if (mine !== generation) return;  // asked for the previous persona: the finally block asks again
    if (data.lang && picks === languagePicks) setBotLang(data.lang);
    for (const m of data.messages) {
      lastInboxId = Math.max(lastInboxId, m.id);
      if (m.kind === "update") {
        for (const r of m.replies) {
          const ideaId = r.extra && r.extra.idea_id;
          const olds = new Set(document.querySelectorAll('[data-outbox-id="' + m.original_id + '"]'));
          if (ideaId) document.querySelectorAll('#log [data-idea-id="' + ideaId + '"]').forEach((c) => olds.add(c));
          if (!olds.size) renderReply(r, m.original_id, null);
          for (const old of olds) renderReply(r, old.dataset.outboxId || m.original_id, old);
        }
      } else {
        for (const r of m.replies) renderReply(r, m.id);
      }
    }
  } finally {
    polling = false;
    if (mine !== generation) pollInbox();
  }
}

// The side panel shows roundups posted to the playground's network channel, as a Slack or Teams channel would.
async function pollChannel() {
  const res = await fetch("/playground/api/channel?after=" + lastRoundupId);
  if (!res.ok) return;
  const data = await res.json();
  const panel = $("channel");
  for (const roundup of data.roundups) {
    lastRoundupId = Math.max(lastRoundupId, roundup.id);
    panel.querySelector(".empty")?.remove();
    const post = el("section", { class: "roundup", "aria-label": tr("playground.roundup", { period: roundup.period }) });
    for (const r of roundup.replies) {
      if (r.type === "card") {
        post.appendChild(buildCard(r));
      } else if (r.type === "chart") {
        post.appendChild(buildChart(r));
      } else if (r.type === "text") {
        post.appendChild(el("p", {}, r.text));
      }
    }
    panel.appendChild(post);
  }
}

async function loadSetup() {
  const res = await fetch("/playground/api/setup");
  const data = await res.json();
  labels = data.labels;
  const select = $("persona-force");
  for (const f of data.forces) select.appendChild(el("option", { value: f.slug }, f.name));
  const saved = JSON.parse(localStorage.getItem("persona") || "null");
  if (saved) {
    $("persona-name").value = saved.name; $("persona-role").value = saved.role; select.value = saved.force || "";
    setBotLang(saved.language || "en");
  } else {
    select.value = "kent";
  }
  applyLabels();
}

// Choosing a persona makes it so at once (a broker for Kent is Kent's broker before saying a word).
async function registerPersona() {
  const p = persona();
  const forceName = $("persona-force").selectedOptions[0]?.textContent || "";
  // Redrawn when the language changes, so the folded summary speaks the page's language too.
  showStatus("who-summary", () => p.name + " · " + ($("persona-role").selectedOptions[0]?.textContent || p.role) +
    (p.force ? " · " + forceName : ""));
  try {
    const res = await fetch("/playground/api/persona", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(p),
    });
    if (!res.ok) return;
    const data = await res.json();
    showStatus("persona-status", () => {
      const role = ($("persona-role").selectedOptions[0]?.textContent || p.role).toLowerCase();
      if (data.roles.includes("broker") && p.force) return tr("playground.is_broker", { name: p.name, force: forceName });
      if (data.roles.includes("reviewer")) return tr("playground.is_reviewer", { name: p.name });
      if (data.roles.includes("admin")) return tr("playground.is_admin", { name: p.name });
      return tr("playground.is_officer", { name: p.name, role });
    });
  } catch (err) {
    $("persona-status").textContent = "";
  }
}

function personaChanged(e) {
  localStorage.setItem("persona", JSON.stringify(persona()));
  if (e && e.target.id === "persona-language") {
    // The language is a setting, not a new person: tell the bot now, keep the chat view.
    languagePicks += 1;
    setBotLang($("persona-language").value);
    send({ kind: "action", action_id: "language." + $("persona-language").value, value: "" });
    return;
  }
  generation += 1;
  $("log").replaceChildren();
  lastInboxId = 0;
  registerPersona();
  const p = persona();
  // Clearing the view is announced: otherwise a screen-reader user hears nothing and finds the chat empty.
  showStatus("status", () => tr("playground.now", { name: p.name, role: $("persona-role").selectedOptions[0].textContent }));
  pollInbox();
}

document.addEventListener("DOMContentLoaded", async () => {
  await loadSetup();
  // On a phone the persona form and the channel start folded, so the chat has the screen.
  if (window.matchMedia("(max-width: 40rem)").matches) {
    $("who-details").open = false;
    $("channel-details").open = false;
  }
  await registerPersona();
  for (const id of ["persona-name", "persona-role", "persona-force", "persona-language"]) {
    $(id).addEventListener("change", personaChanged);
  }
  $("persona").addEventListener("submit", (e) => e.preventDefault());
  $("composer").addEventListener("submit", (e) => {
    e.preventDefault();
    const text = $("message").value;
    if (!text.trim()) return;
    showMine(text);
    $("message").value = "";
    send({ kind: "message", text });
  });
  $("message").addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); $("composer").requestSubmit(); }
  });
  await pollInbox();
  await pollChannel();
  setInterval(pollInbox, 1500);
  setInterval(pollChannel, 5000);
  document.body.dataset.ready = "true";
});
