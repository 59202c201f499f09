// A table block's content, in whichever table_output_format it was written (html, md, json,
// jsonbbox, csv), read back into rows of cells so it can be shown as a table and saved as CSV.

function fromHtml(content) {
  // DOMParser builds an inert document: no script runs and nothing is fetched.
  const doc = new DOMParser().parseFromString(content, "text/html");
  return [...doc.querySelectorAll("tr")].map((row) =>
    [...row.children].map((cell) => ({
      text: cell.textContent.trim(),
      header: cell.tagName === "TH",
      colspan: Number(cell.getAttribute("colspan")) || 1,
      rowspan: Number(cell.getAttribute("rowspan")) || 1,
    })),
  );
}

function splitPipes(line) {
  const inner = line.trim().replace(/^\|/, "").replace(/\|$/, "");
  const cells = [];
  let current = "";
  for (let i = 0; i < inner.length; i++) {
    if (inner[i] === "\\" && inner[i + 1] === "|") {
      current += "|";
      i++;
    } else if (inner[i] === "|") {
      cells.push(current.trim());
      current = "";
    } else current += inner[i];
  }
  cells.push(current.trim());
  return cells;
}

function fromMarkdown(content) {
  const lines = content.split("\n").filter((line) => line.trim().startsWith("|"));
  const rows = [];
  lines.forEach((line, index) => {
    if (index === 1 && /^\s*\|?[\s:|-]+\|?\s*$/.test(line)) return; // the header rule
    rows.push(splitPipes(line).map((text) => ({ text, header: index === 0 })));
  });
  return rows;
}

export function parseCsv(content) {
  const rows = [];
  let row = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < content.length; i++) {
    const c = content[i];
    if (quoted) {
      if (c === '"' && content[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else if (c !== "\r") cell += c;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows.map((cells) => cells.map((text) => ({ text })));
}

function fromJson(content) {
  const data = JSON.parse(content);
  if (!Array.isArray(data)) return null;
  return data.map((row) =>
    (Array.isArray(row) ? row : Object.values(row)).map((cell) => ({
      text: cell && typeof cell === "object" ? String(cell.text ?? "") : String(cell ?? ""),
    })),
  );
}

export function tableRows(content) {
  const text = (content || "").trim();
  if (/^<table/i.test(text)) return fromHtml(text);
  if (text.startsWith("[")) {
    try {
      const rows = fromJson(text);
      if (rows) return rows;
    } catch {
      // not JSON after all: fall through
    }
  }
  if (text.startsWith("|")) return fromMarkdown(text);
  return parseCsv(text);
}

function csvCell(text) {
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

// Spanned cells repeat their text over the grid they cover, so each CSV row has every column.
export function toCsv(rows) {
  const grid = [];
  rows.forEach((row, r) => {
    grid[r] = grid[r] || [];
    let c = 0;
    for (const cell of row) {
      while (grid[r][c] !== undefined) c++;
      for (let dr = 0; dr < (cell.rowspan || 1); dr++) {
        grid[r + dr] = grid[r + dr] || [];
        for (let dc = 0; dc < (cell.colspan || 1); dc++) grid[r + dr][c + dc] = cell.text;
      }
      c += cell.colspan || 1;
    }
  });
  const width = Math.max(0, ...grid.map((row) => row.length));
  return grid.map((row) => Array.from({ length: width }, (_, i) => csvCell(row[i] ?? "")).join(",")).join("\n");
}
