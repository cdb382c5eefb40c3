// The page of `seq2seq serve`: sends the sentences to /translator/translate (OpenNMT-py's API)
// and shows the outputs, their scores, and for a model with attention a heat-map of the weights.
"use strict";

const SVG = "http://www.w3.org/2000/svg";
let attends = false;

function element(tag, attributes, text) {
  const node = tag.startsWith("svg:") ? document.createElementNS(SVG, tag.slice(4)) : document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    node.setAttribute(name, value);
  }
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}

function showError(message) {
  const box = document.getElementById("error");
  box.textContent = message;
  box.hidden = !message;
}

async function loadModel() {
  try {
    const response = await fetch("translator/models");
    const models = await response.json();
    const opt = models[0].opt;
    attends = opt.attention !== "none";
    document.getElementById("model").textContent =
      `${opt.cell} ${opt.level}-level model, latent ${opt.latent}, attention ${opt.attention}, beam ${opt.beam_size}`;
  } catch (e) {
    document.getElementById("model").textContent = "The model could not be described: " + e.message;
  }
}

// One square per (output token, source token), darker for more weight; sources along the top,
// outputs down the left side, and a scale below.
function heatmap(weights, sourceTokens, outputTokens) {
  const cell = 22, left = 8 * Math.max(4, ...outputTokens.map(t => t.length)) + 10;
  const top = 8 * Math.max(4, ...sourceTokens.map(t => t.length)) + 10;
  const width = left + cell * sourceTokens.length + 10, height = top + cell * outputTokens.length + 40;
  const svg = element("svg:svg", { viewBox: `0 0 ${width} ${height}`, width, height, role: "img",
    "aria-label": "attention weights: output tokens down, source tokens across" });
  sourceTokens.forEach((token, s) => {
    const x = left + s * cell + cell / 2;
    svg.appendChild(element("svg:text", { x, y: top - 6, transform: `rotate(-90 ${x} ${top - 6})`,
      "dominant-baseline": "middle" }, token === " " ? "␣" : token));
  });
  outputTokens.forEach((token, t) => {
    svg.appendChild(element("svg:text", { x: left - 6, y: top + t * cell + cell / 2, "text-anchor": "end",
      "dominant-baseline": "middle" }, token === " " ? "␣" : token));
    weights[t].forEach((weight, s) => {
      const square = element("svg:rect", { x: left + s * cell, y: top + t * cell, width: cell - 1, height: cell - 1,
        fill: `rgba(11, 87, 208, ${Math.max(0.03, weight)})` });
      square.appendChild(element("svg:title", {}, `${token} ← ${sourceTokens[s]}: ${weight.toFixed(3)}`));
      svg.appendChild(square);
    });
  });
  const scaleY = top + cell * outputTokens.length + 12;
  for (let i = 0; i <= 10; i++) {
    svg.appendChild(element("svg:rect", { x: left + i * 12, y: scaleY, width: 12, height: 10,
      fill: `rgba(11, 87, 208, ${Math.max(0.03, i / 10)})` }));
  }
  svg.appendChild(element("svg:text", { x: left, y: scaleY + 24 }, "0"));
  svg.appendChild(element("svg:text", { x: left + 120, y: scaleY + 24, "text-anchor": "end" }, "1"));
  const box = element("div", { class: "heatmap" });
  box.appendChild(svg);
  return box;
}

function show(sources, ranks) {
  const results = document.getElementById("results");
  results.replaceChildren();
  sources.forEach((source, i) => {
    const outputs = ranks.map(rank => rank[i]);
    const best = outputs[0];
    const block = element("article", { class: "result" });
    block.appendChild(element("p", { class: "source" }, source));
    block.appendChild(element("p", { class: "best", lang: "fr" }, best.tgt));
    if (outputs.length > 1) {
      const list = element("ol", { "aria-label": "n-best outputs with scores" });
      outputs.forEach(output => {
        const item = element("li", { lang: "fr" }, output.tgt);
        item.appendChild(element("span", { class: "score" }, output.pred_score.toFixed(3)));
        list.appendChild(item);
      });
      block.appendChild(list);
    }
    (best.warnings || []).forEach(warning => block.appendChild(element("p", { class: "quiet" }, "⚠ " + warning)));
    if (best.attention && best.tgt_tokens.length > 0) {
      block.appendChild(heatmap(best.attention, best.src_tokens, best.tgt_tokens));
    }
    results.appendChild(block);
  });
}

async function translate(event) {
  if (event) {
    event.preventDefault();
  }
  const sources = document.getElementById("source").value.split("\n").map(s => s.trim()).filter(s => s);
  if (sources.length === 0) {
    showError("Type a sentence first.");
    return;
  }
  const nBest = Number(document.getElementById("nbest").value);
  const button = document.getElementById("translate");
  button.disabled = true;
  showError("");
  try {
    const body = sources.map(src => ({ src, id: 100, n_best: nBest, beam_size: Math.max(5, nBest), attention: attends }));
    const response = await fetch("translator/translate", { method: "POST",
      headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    const answer = await response.json();
    if (!response.ok) {
      showError(`The server refused (${response.status}): ${answer.error}`);
      return;
    }
    show(sources, answer);
  } catch (e) {
    showError("The server could not be reached: " + e.message);
  } finally {
    button.disabled = false;
  }
}

document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("form").addEventListener("submit", translate);
  document.getElementById("source").addEventListener("keydown", event => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      translate(event);
    }
  });
  loadModel();
});
