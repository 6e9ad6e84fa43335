"use strict";
(function () {
  const read = (id) => JSON.parse(document.getElementById(id).textContent);
  const summary = read("writ-summary"), tasks = read("writ-tasks");
  const dialogues = read("writ-dialogues"), prompts = read("writ-prompts");
  const FILTERS = ["domain", "type", "template", "behavior", "verdict"];
  const SVG = "http://www.w3.org/2000/svg";

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (key === "class") node.className = value; else node.setAttribute(key, value);
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  function svg(tag, attrs, text) {
    const node = document.createElementNS(SVG, tag);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, String(value));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // ------------------------------------------------------------------ tabs
  document.querySelectorAll("nav button").forEach((button) => button.addEventListener("click", () => showTab(button.dataset.tab)));
  function showTab(name) {
    document.querySelectorAll("nav button").forEach((b) => b.classList.toggle("active", b.dataset.tab === name));
    document.querySelectorAll("section.tab").forEach((s) => { s.hidden = s.id !== "tab-" + name; });
  }

  // ------------------------------------------------------------------ summary and filters
  document.getElementById("summary").textContent =
    `${dialogues.length} dialogues: ${summary.verified} verified, ${summary.rejected} rejected, ` +
    `${summary.failed} failed · ${Object.keys(tasks).length} tasks · run ${summary.run}`;

  for (const key of FILTERS) {
    const select = document.getElementById("filter-" + key);
    const values = [...new Set(dialogues.map((d) => String(d[key])))].sort();
    select.append(el("option", { value: "" }, `all (${values.length})`));
    for (const value of values) select.append(el("option", { value }, value));
    select.addEventListener("change", renderList);
  }

  function visible() {
    const chosen = Object.fromEntries(FILTERS.map((k) => [k, document.getElementById("filter-" + k).value]));
    return dialogues.filter((d) => FILTERS.every((k) => !chosen[k] || String(d[k]) === chosen[k]));
  }

  function renderList() {
    const list = document.getElementById("dialogue-list");
    list.replaceChildren();
    const shown = visible();
    document.getElementById("shown").textContent = `${shown.length} of ${dialogues.length} shown`;
    for (const d of shown) {
      const item = el("li", { "data-id": d.id },
        el("span", { class: "badge " + d.verdict }, d.verdict), " ", el("strong", {}, d.id),
        el("div", { class: "meta" }, `${d.template} · ${d.type} · ${d.behavior}`));
      item.addEventListener("click", () => openDialogue(d.id));
      list.append(item);
    }
  }

  // ------------------------------------------------------------------ one dialogue
  function openDialogue(id) {
    const d = dialogues.find((x) => x.id === id);
    if (!d) return;
    showTab("dialogues");
    document.querySelectorAll("#dialogue-list li").forEach((li) => li.classList.toggle("selected", li.dataset.id === id));
    const task = tasks[id] || null;
    const view = document.getElementById("dialogue");
    const parts = [
      el("h2", {}, task ? task.title : d.id),
      el("div", { class: "facts" },
        el("span", { class: "badge " + d.verdict }, d.verdict), ` ${d.id} · ${d.domain} · ${d.type} · ` +
        `${d.template} · behaviour ${d.behavior} · ended by ${d.termination}`),
      d.reason ? el("div", { class: "problems" }, `reason: ${d.reason}${d.detail ? " — " + d.detail : ""}`) : null,
      d.problems.length ? el("ul", { class: "problems" }, ...d.problems.map((p) => el("li", {}, p))) : null,
      task ? taskFacts(task) : null,
      task ? el("details", { class: "graph-box", open: "" }, el("summary", {}, "evidence graph"), graph(task.graph)) : null,
      chat(d.messages)];
    view.replaceChildren(...parts.filter((part) => part !== null));
  }

  function taskFacts(task) {
    const m = task.metrics;
    return el("div", { class: "facts" },
      `writes ${m.writes} · evidence burden ${JSON.stringify(m.evidence_burden)} · reads ${m.total_reads} · ` +
      `depth ${m.depth}` + (task.tell.length ? ` · facts to tell: ${task.tell.join(", ")}` : ""));
  }

  function graph(g) {
    const root = svg("svg", { class: "graph", width: g.width, height: g.height, viewBox: `0 0 ${g.width} ${g.height}` });
    const defs = svg("defs");
    const marker = svg("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 6, markerHeight: 6, orient: "auto" });
    marker.append(svg("path", { d: "M0,0 L10,5 L0,10 z", fill: "#999" }));
    defs.append(marker);
    root.append(defs);
    const at = Object.fromEntries(g.nodes.map((n) => [n.id, n]));
    for (const [from, to] of g.edges) {
      const a = at[from], b = at[to];
      root.append(svg("line", { x1: a.x + g.node_width, y1: a.y + g.node_height / 2, x2: b.x, y2: b.y + g.node_height / 2 }));
    }
    for (const n of g.nodes) {
      const group = svg("g", { class: "node", "data-node": n.id });
      group.append(svg("title", {}, `${n.tool}(${n.arguments})`));
      group.append(svg("rect", { class: n.kind, x: n.x, y: n.y, width: g.node_width, height: g.node_height, rx: 6 }));
      group.append(svg("text", { x: n.x + 8, y: n.y + 17 }, n.tool));
      group.append(svg("text", { x: n.x + 8, y: n.y + 34, fill: "#666" },
        n.kind === "write" ? `${n.id} · evidence ${n.evidence}` : n.id));
      root.append(group);
    }
    return root;
  }

  function chat(messages) {
    const names = {};
    for (const m of messages) for (const c of m.calls || []) names[c.id] = c.name;
    const box = el("div", { class: "chat" });
    for (const m of messages) {
      if (m.role === "system") {
        box.append(el("div", { class: "msg system" },
          el("details", {}, el("summary", {}, "system prompt"), el("pre", {}, prompts[m.prompt]))));
      } else if (m.role === "tool") {
        box.append(el("div", { class: "msg tool" + (m.error ? " error" : "") },
          el("details", {}, el("summary", {}, `${m.error ? "error from" : "result of"} ${names[m.call_id] || "tool"}`),
            el("pre", {}, m.content || ""))));
      } else {
        const bubble = el("div", { class: "msg " + m.role }, el("span", { class: "who" }, m.role));
        if (m.content) bubble.append(el("div", { class: "text" }, m.content));
        for (const c of m.calls || []) {
          bubble.append(el("details", { class: "call" }, el("summary", {}, `tool call: ${c.name}`), el("pre", {}, c.arguments)));
        }
        box.append(bubble);
      }
    }
    return box;
  }

  // ------------------------------------------------------------------ rejects and statistics
  const rejectRows = document.querySelector("#rejects tbody");
  for (const d of dialogues.filter((x) => x.verdict !== "verified")) {
    const row = el("tr", { "data-id": d.id }, el("td", {}, d.id), el("td", {}, d.verdict),
      el("td", {}, d.reason || ""), el("td", {}, [d.detail || "", ...d.problems].filter(Boolean).join("\n")));
    row.addEventListener("click", () => openDialogue(d.id));
    rejectRows.append(row);
  }
  if (!rejectRows.children.length) rejectRows.append(el("tr", {}, el("td", { colspan: "4" }, "no rejects")));

  const tables = document.getElementById("stats-tables");
  for (const [title, counts] of Object.entries(summary.tables)) {
    const table = el("table", {}, el("caption", {}, title));
    for (const [name, value] of Object.entries(counts)) table.append(el("tr", {}, el("td", {}, name), el("td", {}, String(value))));
    tables.append(table);
  }

  renderList();
  document.body.dataset.ready = "1";
})();
