// Blocks as the viewer handles them: flattened from the chunks, each with its index and type slug.

export const TYPES = [
  "Title",
  "Section Header",
  "Text",
  "List Item",
  "Table",
  "Figure",
  "Key Value",
  "Header",
  "Footer",
  "Page Number",
  "Comment",
  "Signature",
];

export function slug(type) {
  return (type || "text").toLowerCase().replace(/[^a-z]+/g, "-");
}

export function flatten(fullResult) {
  const blocks = [];
  (fullResult?.chunks || []).forEach((chunk, chunkIndex) => {
    for (const block of chunk.blocks || []) blocks.push({ ...block, index: blocks.length, chunk: chunkIndex });
  });
  return blocks;
}

export function label(block) {
  const text = (block.content || "").replace(/\s+/g, " ").trim();
  // An extraction's citation is named by the field it supports, a block by its type.
  return `${block.path || block.type}: ${text.length > 80 ? `${text.slice(0, 80)}…` : text || "(no text)"}`;
}
