// Generates src/api/schema.gen.ts from docs/openapi.yaml with openapi-typescript (npm run gen:api).
// `--check` only compares and exits 1 when the committed file is stale; src/api/openapi.test.ts does the
// same inside `npm test`.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';

export const specPath = fileURLToPath(new URL('../../docs/openapi.yaml', import.meta.url));
export const outPath = fileURLToPath(new URL('../src/api/schema.gen.ts', import.meta.url));

const banner = `// Generated from docs/openapi.yaml by openapi-typescript (npm run gen:api). Do not edit by hand:
// change the document and regenerate; npm test fails while this file is stale.
/* eslint-disable */
`;

/** generate returns the TypeScript the document describes. */
export async function generate() {
  const ast = await openapiTS(pathToFileURL(specPath), { silent: true });
  return banner + astToString(ast);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const want = await generate();
  if (process.argv.includes('--check')) {
    const have = await readFile(outPath, 'utf8').catch(() => '');
    if (have !== want) {
      console.error(`${outPath} is stale: run npm run gen:api`);
      process.exit(1);
    }
    console.log(`${outPath} is up to date`);
  } else {
    await writeFile(outPath, want);
    console.log(`wrote ${outPath}`);
  }
}
