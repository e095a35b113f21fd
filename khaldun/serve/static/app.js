// khaldun workbench: the few behaviours that need a script (written for khaldun, no library).
// Sortable and filterable tables, and the article view's evidence highlighting.
"use strict";

function cellValue(row, index) {
  const cell = row.cells[index];
  if (!cell) return "";
  return cell.dataset.value !== undefined ? cell.dataset.value : cell.textContent.trim();
}

function sortTable(table, index, kind, direction) {
  const body = table.tBodies[0];
  const rows = Array.from(body.rows).filter((r) => !r.querySelector("td.empty"));
  const sign = direction === "ascending" ? 1 : -1;
  rows.sort((a, b) => {
    const x = cellValue(a, index);
    const y = cellValue(b, index);
    if (kind === "num") return sign * ((parseFloat(x) || 0) - (parseFloat(y) || 0));
    return sign * x.localeCompare(y);
  });
  rows.forEach((r) => body.appendChild(r));
}

function setUpSorting(table) {
  const heads = Array.from(table.tHead.rows[0].cells);
  heads.forEach((th, index) => {
    const button = th.querySelector("button");
    if (!button || !th.dataset.sort) return;
    button.addEventListener("click", () => {
      const next = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
      heads.forEach((h) => h.removeAttribute("aria-sort"));
      th.setAttribute("aria-sort", next);
      sortTable(table, index, th.dataset.sort, next);
    });
  });
}

function setUpRowFilter(input) {
  const table = document.getElementById(input.dataset.table);
  if (!table) return;
  input.addEventListener("input", () => {
    const words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    Array.from(table.tBodies[0].rows).forEach((row) => {
      const text = row.textContent.toLowerCase();
      row.classList.toggle("hidden", !words.every((w) => text.includes(w)));
    });
  });
}

function focusClaim(id) {
  document.querySelectorAll("mark.ev.focus, .card.focus").forEach((el) => el.classList.remove("focus"));
  if (!id) return;
  let first = null;
  document.querySelectorAll("mark.ev").forEach((mark) => {
    if (mark.dataset.claims.split(" ").includes(id)) {
      mark.classList.add("focus");
      first = first || mark;
    }
  });
  const card = document.getElementById("claim-" + id);
  if (card) card.classList.add("focus");
  if (first) first.scrollIntoView({ block: "center" });
}

function setUpArticle(text) {
  const fromHash = () => {
    const hash = decodeURIComponent(window.location.hash || "");
    focusClaim(hash.startsWith("#ev-") ? hash.slice(4) : null);
  };
  text.addEventListener("click", (event) => {
    const mark = event.target.closest("mark.ev");
    if (!mark) return;
    const id = mark.dataset.claims.split(" ")[0];
    focusClaim(id);
    const card = document.getElementById("claim-" + id);
    if (card) card.scrollIntoView({ block: "nearest" });
  });
  window.addEventListener("hashchange", fromHash);
  fromHash();
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("table.sortable").forEach(setUpSorting);
  document.querySelectorAll("input[data-table]").forEach(setUpRowFilter);
  const text = document.getElementById("article-text");
  if (text) setUpArticle(text);
  document.body.dataset.ready = "1";
});
