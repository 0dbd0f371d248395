// Proves the lint layer rules fire: each layer importing something it must not is reported.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function messages(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: file });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layer rules', () => {
  it('rejects Node built-ins, electron and main/ in shared/', async () => {
    expect(await messages('shared/model/x.ts', "import fs from 'node:fs';\nexport const a = fs;")).toHaveLength(1);
    expect(await messages('shared/model/x.ts', "import { app } from 'electron';\nexport const a = app;")).toHaveLength(1);
    expect(await messages('shared/model/x.ts', "import { run } from '../../main/cli/index';\nexport const a = run;")).toHaveLength(1);
    expect((await messages('shared/model/x.ts', "import { run } from '../../main/cli/index';\nexport const a = run;"))[0]).toMatch(/Bad layering/);
  });
  it('rejects electron outside main/app and allows it inside', async () => {
    expect(await messages('main/cli/x.ts', "import { app } from 'electron';\nexport const a = app;")).toHaveLength(1);
    expect(await messages('main/app/x.ts', "import { app } from 'electron';\nexport const a = app;")).toHaveLength(0);
  });
  it('rejects Node and main/ in renderer/', async () => {
    expect(await messages('renderer/x.ts', "import fs from 'fs';\nexport const a = fs;")).toHaveLength(1);
    expect(await messages('renderer/x.ts', "import { run } from '../main/cli/index';\nexport const a = run;")).toHaveLength(1);
  });
  it('allows pure libraries in shared/', async () => {
    expect(await messages('shared/model/x.ts', "import { z } from 'zod';\nexport const a = z;")).toHaveLength(0);
  });
});
