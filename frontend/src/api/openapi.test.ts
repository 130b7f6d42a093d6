// @vitest-environment node
// docs/openapi.yaml is the source of truth for the REST API: these tests keep it valid, complete (every
// route the gateway and order-query serve, every rule of the ALB route table) and in step with the
// generated TypeScript the dashboard compiles against.
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createConfig, lint } from '@redocly/openapi-core';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { generate, outPath, specPath } from '../../scripts/gen-api.mjs';

const repo = resolve(process.cwd(), '..'); // vitest runs in frontend/
const methods = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

interface Operation {
  tags?: string[];
}
type PathItem = Partial<Record<(typeof methods)[number], Operation>>;
const doc = parse(readFileSync(specPath, 'utf8')) as { paths: Record<string, PathItem> };

/** operations lists every documented (METHOD, path) with its tags. */
const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
  methods.filter((m) => item[m]).map((m) => ({ method: m.toUpperCase(), path, tags: item[m]!.tags ?? [] })),
);

/** shape makes paths comparable whatever their parameter names: /api/orders/{orderId} → /api/orders/{}. */
const shape = (p: string) => p.replace(/\{[^}]*\}/g, '{}');
const documented = new Set(operations.map((o) => `${o.method} ${shape(o.path)}`));

const goSources = (dir: string) =>
  readdirSync(resolve(repo, dir))
    .filter((f) => f.endsWith('.go') && !f.endsWith('_test.go'))
    .map((f) => readFileSync(resolve(repo, dir, f), 'utf8'))
    .join('\n');

describe('docs/openapi.yaml', () => {
  it('is a valid OpenAPI 3.1 document (Redocly recommended rules)', async () => {
    const config = await createConfig({ extends: ['recommended'] });
    const problems = await lint({ ref: specPath, config });
    // Accepted on purpose, each for a reason:
    const accepted = new Set([
      // Public GETs that answer no 4xx: the instruments list and the health probes.
      'operation-4xx-response #/paths/~1api~1instruments/get/responses',
      'operation-4xx-response #/paths/~1health/get/responses',
      'operation-4xx-response #/paths/~1healthz/get/responses',
      // Signing out needs no credentials and only clears the cookie: it always answers 204.
      'operation-4xx-response #/paths/~1api~1session/delete/responses',
      // The WebSocket upgrade answers 101; OpenAPI has no other way to list /ws.
      'operation-2xx-response #/paths/~1ws/get/responses',
    ]);
    const left = problems
      .filter((p) => !accepted.has(`${p.ruleId} ${p.location[0]?.pointer}`))
      // The /ws data shapes are components no REST operation uses; they are there for the generated types.
      .filter((p) => !(p.ruleId === 'no-unused-components' && /^#\/components\/schemas\/(Stream\w+|ExecutionReport)$/.test(p.location[0]?.pointer ?? '')))
      .map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`);
    expect(left).toEqual([]);
  });

  it('documents every route the gateway registers', () => {
    const src = goSources('hotpath/internal/gateway') + '\n' + readFileSync(resolve(repo, 'hotpath/internal/local/local.go'), 'utf8');
    const routes = [...src.matchAll(/mux\.Handle(?:Func)?\("([A-Z]+) (\/[^"]*)"/g)].map((m) => `${m[1]} ${shape(m[2]!)}`);
    expect(routes.length).toBeGreaterThanOrEqual(10); // the gateway's nine routes and /ws: the scan itself must work
    expect(routes.filter((r) => !documented.has(r))).toEqual([]);
  });

  it('documents every route order-query serves', () => {
    // order-query matches paths segment by segment: `case len(seg) == 3 && seg[1] == "orders":` is
    // /api/orders/{}. Every route answers GET only.
    const cases = [...goSources('lambdas/orderquery').matchAll(/case (len\(seg\) == \d+(?: && seg\[\d\] == "[^"]+")*):/g)];
    const routes = cases.map((m) => {
      const n = Number(/len\(seg\) == (\d+)/.exec(m[1]!)![1]);
      const lit = new Map([...m[1]!.matchAll(/seg\[(\d)\] == "([^"]+)"/g)].map((x) => [Number(x[1]), x[2]!]));
      const segs = Array.from({ length: n }, (_, i) => (i === 0 ? 'api' : (lit.get(i) ?? '{}')));
      return `GET /${segs.join('/')}`;
    });
    expect(routes).toContain('GET /api/orders/{}'); // the scan itself must work
    expect(routes.length).toBeGreaterThanOrEqual(6);
    expect(routes.filter((r) => !documented.has(r))).toEqual([]);
  });

  it('agrees with the ALB route table: each operation is tagged with the target its path and method reach', () => {
    const table = JSON.parse(readFileSync(resolve(repo, 'hotpath/estate/routes.json'), 'utf8')) as {
      routes: { name: string; priority: number; paths: string[]; methods: string[]; target: string }[];
    };
    const rules = [...table.routes].sort((a, b) => a.priority - b.priority);
    const glob = (pattern: string) => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
    const ruleFor = (method: string, path: string) =>
      rules.find((r) => (r.methods.length === 0 || r.methods.includes(method)) && r.paths.some((p) => glob(p).test(path)));
    const used = new Set<string>();
    const wrong: string[] = [];
    for (const op of operations) {
      const concrete = op.path.replace(/\{[^}]*\}/g, 'x1');
      const rule = ruleFor(op.method, concrete);
      if (rule) used.add(rule.name);
      if (!rule || !op.tags.includes(rule.target)) wrong.push(`${op.method} ${op.path} → ${rule?.target ?? 'no route'}, tagged ${op.tags.join(',')}`);
    }
    expect(wrong).toEqual([]);
    expect(rules.map((r) => r.name).filter((n) => !used.has(n))).toEqual([]); // every rule has documented endpoints
  });

  it('is what src/api/schema.gen.ts was generated from (npm run gen:api)', async () => {
    const want = await generate();
    const have = readFileSync(outPath, 'utf8');
    expect(have === want, 'src/api/schema.gen.ts is stale: run npm run gen:api').toBe(true);
  });
});
