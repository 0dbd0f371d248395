// Common mistakes seen in clnrm's docs and issues get an error that shows the right form, instead of
// a bare shape message. Paths reported here are suppressed from the generic schema errors.
import type { Problem } from '../errors';
import type { Locator } from './locate';
import { formatPath, type PathSegment } from './path';

export interface MistakeReport {
  errors: Problem[];
  /** Forms the engine accepts but that have a clearer spelling. */
  warnings: Problem[];
  /** Paths already explained; schema issues under them are dropped. */
  covered: string[];
}

type Table = Record<string, unknown>;
const isTable = (v: unknown): v is Table => v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date);

export function findCommonMistakes(doc: Table, locator: Locator, file?: string): MistakeReport {
  const errors: Problem[] = [];
  const warnings: Problem[] = [];
  const covered: string[] = [];
  const add = (segments: PathSegment[], message: string): void => {
    const path = formatPath(segments);
    const loc = locator.key(segments);
    errors.push({ code: 'toml.shape', message, file, line: loc.line, column: loc.column, path });
    covered.push(path);
  };

  for (const table of ['service', 'services'] as const) {
    const value = doc[table];
    if (Array.isArray(value)) {
      const first = value.find(isTable) as Table | undefined;
      const id = typeof first?.name === 'string' ? first.name : 'api';
      add([table], `\`[[${table}]]\` declares an array, but each service is its own table named by its id: write \`[${table}.${id}]\` with image = "..." (one table per service)`);
      continue;
    }
    if (!isTable(value)) continue;
    for (const [id, svc] of Object.entries(value)) {
      if (!isTable(svc)) continue;
      const ports = svc.ports;
      if (Array.isArray(ports) && ports.some((p) => typeof p === 'string')) {
        const fixed = ports.map((p) => (typeof p === 'string' ? Number(p.split(':').pop()) : p)).filter((p) => Number.isInteger(p));
        add([table, id, 'ports'], `\`${table}.${id}.ports\` lists container ports as integers, not "host:container" strings: write \`ports = [${fixed.join(', ') || 8080}]\``);
      }
      if (typeof svc.depends_on === 'string') {
        add([table, id, 'depends_on'], `\`${table}.${id}.depends_on\` must be an array of service names: write \`depends_on = ["${svc.depends_on}"]\``);
      }
      const hc = svc.health_check;
      if (isTable(hc) && typeof hc.cmd === 'string') {
        add([table, id, 'health_check', 'cmd'], `\`${table}.${id}.health_check.cmd\` must be an argv array: write \`cmd = ["sh", "-c", ${JSON.stringify(hc.cmd)}]\``);
      }
      if (Array.isArray(svc.env) && svc.env.length > 0 && svc.env.every((e) => typeof e === 'string' && e.includes('='))) {
        const pairs = (svc.env as string[]).map((e) => `${JSON.stringify(e.slice(0, e.indexOf('=')))} = ${JSON.stringify(e.slice(e.indexOf('=') + 1))}`);
        add([table, id, 'env'], `\`${table}.${id}.env\` is a table of NAME = "value", not a list of "NAME=value" strings: write \`env = { ${pairs.join(', ')} }\``);
      }
      if (typeof hc === 'string') {
        add([table, id, 'health_check'], `\`${table}.${id}.health_check\` is a table with an argv command: write \`health_check = { cmd = ["sh", "-c", ${JSON.stringify(hc)}], interval = 5 }\``);
      }
      if (isTable(svc.env)) {
        for (const [k, v] of Object.entries(svc.env)) {
          if (typeof v !== 'string' && !isTable(v) && !Array.isArray(v)) {
            add([table, id, 'env', k], `\`${table}.${id}.env.${k}\` must be a string (environment values are text): write \`${k} = "${String(v)}"\``);
          }
        }
      }
    }
  }

  const stepLists: [PathSegment[], unknown][] = [[['steps'], doc.steps]];
  if (Array.isArray(doc.scenario)) doc.scenario.forEach((sc, i) => isTable(sc) && stepLists.push([['scenario', i, 'steps'], sc.steps]));
  for (const [base, list] of stepLists) {
    if (!Array.isArray(list)) continue;
    list.forEach((st, i) => {
      if (isTable(st) && st.command === undefined && typeof st.run === 'string') {
        add([...base, i], `step \`${formatPath([...base, i])}\` uses \`run\`, but steps take \`command\`: write \`command = ${JSON.stringify(st.run)}\` (or an argv array)`);
      }
    });
  }

  if (isTable(doc.steps)) add(['steps'], '`[steps]` is a single table, but steps are a list: write each step as `[[steps]]` with name and command');
  if (isTable(doc.scenario)) add(['scenario'], '`[scenario]` is a single table, but scenarios are a list: write `[[scenario]]` with name and run or steps');

  const expect = doc.expect;
  const spans = isTable(expect) ? (Array.isArray(expect.span) ? expect.span : []) : [];
  spans.forEach((span, i) => {
    if (!isTable(span) || !isTable(span.attrs)) return;
    const any = span.attrs.any;
    if (Array.isArray(any) && any.length > 0 && any.every((e) => typeof e === 'string' && e.includes('='))) {
      // The expectation engine accepts this list form (clnrm's own files use it); the table is clearer.
      const pairs = (any as string[]).map((e) => `${JSON.stringify(e.slice(0, e.indexOf('=')).trim())} = ${JSON.stringify(e.slice(e.indexOf('=') + 1).trim())}`);
      const loc = locator.key(['expect', 'span', i, 'attrs', 'any']);
      warnings.push({
        code: 'toml.shape',
        message: `\`expect.span[${i}].attrs.any\` as a list of "k=v" strings is accepted, but the table form is clearer: write \`attrs.any = { ${pairs.join(', ')} }\``,
        file,
        line: loc.line,
        column: loc.column,
        path: formatPath(['expect', 'span', i, 'attrs', 'any']),
      });
    }
    const all = span.attrs.all;
    if (Array.isArray(all) && all.every((e) => typeof e === 'string' && e.includes('='))) {
      const pairs = (all as string[]).map((e) => {
        const eq = e.indexOf('=');
        return `${JSON.stringify(e.slice(0, eq).trim())} = ${JSON.stringify(e.slice(eq + 1).trim())}`;
      });
      add(['expect', 'span', i, 'attrs', 'all'], `\`expect.span[${i}].attrs.all\` is a table of key = value, not a list of "k=v" strings: write \`attrs.all = { ${pairs.join(', ')} }\``);
    }
  });
  return { errors, warnings, covered };
}
