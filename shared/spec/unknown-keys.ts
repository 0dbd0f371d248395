// Unknown keys are warnings (`toml.unknown-key`) with a "did you mean" hint — never ignored, never
// errors. The walk follows the parsed document through the zod schema with an explicit stack.
import type { z } from 'zod';
import type { Problem } from '../errors';
import type { Locator } from './locate';
import { formatPath, type PathSegment } from './path';
import { didYouMean } from './suggest';
import { defOf, pickUnionMember, unwrap } from './zod-walk';

interface Item {
  value: unknown;
  schema: z.ZodType;
  path: PathSegment[];
}

function isTable(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date);
}

export function findUnknownKeys(document: unknown, schema: z.ZodType, locator: Locator, file?: string): Problem[] {
  const warnings: Problem[] = [];
  const stack: Item[] = [{ value: document, schema, path: [] }];
  while (stack.length > 0) {
    const { value, schema: raw, path } = stack.pop()!;
    let current = unwrap(raw);
    let def = defOf(current);
    if (def.type === 'union') {
      const member = pickUnionMember(current, value);
      if (!member) continue;
      current = unwrap(member);
      def = defOf(current);
    }
    if (def.type === 'object' && isTable(value)) {
      const shape = def.shape ?? {};
      const catchall = def.catchall && defOf(def.catchall).type !== 'never' ? def.catchall : undefined;
      const allowed = Object.keys(shape);
      for (const [key, child] of Object.entries(value)) {
        const childPath = [...path, key];
        const childSchema = shape[key] ?? catchall;
        if (childSchema) {
          stack.push({ value: child, schema: childSchema, path: childPath });
          continue;
        }
        const where = formatPath(path);
        const loc = locator.key(childPath);
        warnings.push({
          code: 'toml.unknown-key',
          message: `unknown key \`${key}\`${where ? ` in \`${where}\`` : ' at the top level'}${didYouMean(key, allowed)} (allowed: ${allowed.join(', ')})`,
          file,
          line: loc.line,
          column: loc.column,
          path: formatPath(childPath),
        });
      }
    } else if (def.type === 'record' && isTable(value) && def.valueType) {
      for (const [key, child] of Object.entries(value)) stack.push({ value: child, schema: def.valueType, path: [...path, key] });
    } else if (def.type === 'array' && Array.isArray(value) && def.element) {
      value.forEach((child, i) => stack.push({ value: child, schema: def.element!, path: [...path, i] }));
    } else if (def.type === 'tuple' && Array.isArray(value)) {
      value.forEach((child, i) => {
        const item = def.items?.[i] ?? def.rest ?? undefined;
        if (item) stack.push({ value: child, schema: item, path: [...path, i] });
      });
    }
  }
  return warnings.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}
