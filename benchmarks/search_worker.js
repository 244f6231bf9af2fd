// Run Material's search worker (lunr) on a search_index.json in Node, outside the browser, and
// print as JSON the CPU time it takes to parse and index it and to answer queries, the heap it
// keeps and the process's peak memory. CPU time does not depend on what else the machine runs,
// unlike the wall-clock times measured in Chromium. Used by benchmarks/search_latency.py:
//   node --expose-gc benchmarks/search_worker.js WORKER.min.js search_index.json QUERY...
"use strict";
const fs = require("fs");
const vm = require("vm");

const [workerPath, indexPath, ...queries] = process.argv.slice(2);
let handler = null;
let answer = null;
// The worker script expects a Web Worker's globals.
globalThis.self = globalThis;
globalThis.addEventListener = (_type, fn) => { handler = fn; };
globalThis.postMessage = message => { answer = message; };
vm.runInThisContext(fs.readFileSync(workerPath, "utf8"));

// Material's message types: SETUP = 0, READY = 1, QUERY = 2, RESULT = 3.
const SETUP = 0;
const QUERY = 2;
const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };

(async () => {
  const raw = fs.readFileSync(indexPath, "utf8");
  let start = cpuMs();
  const { config, docs } = JSON.parse(raw);
  const parseMs = cpuMs() - start;
  start = cpuMs();
  await handler({ data: { type: SETUP, data: { config, docs, options: { suggest: true } } } });
  const indexMs = cpuMs() - start;
  const queryMs = [];
  const hits = [];
  for (const query of queries) {
    start = cpuMs();
    await handler({ data: { type: QUERY, data: query } });
    queryMs.push(cpuMs() - start);
    hits.push(answer.data.items.length);
  }
  if (global.gc) global.gc();
  console.log(JSON.stringify({
    docs: docs.length,
    parseMs,
    indexMs,
    queryMs,
    hits,
    heapMB: process.memoryUsage().heapUsed / 1e6,
    peakRssMB: process.resourceUsage().maxRSS / 1e3,
  }));
})();
