import { describe, expect, it } from 'vitest';
import { displayPath } from './display-path';

describe('displayPath', () => {
  it('is relative inside the working folder and absolute outside it', () => {
    expect(displayPath('/home/me/project', '/home/me/project/tests/a.clnrm.toml')).toBe('tests/a.clnrm.toml');
    expect(displayPath('/home/me/project', '/tmp/x/a.clnrm.toml')).toBe('/tmp/x/a.clnrm.toml');
    expect(displayPath('/home/me/project', '/home/me/other/a.clnrm.toml')).toBe('/home/me/other/a.clnrm.toml');
    expect(displayPath('/home/me/project', '/home/me/project')).toBe('/home/me/project');
    // A folder whose name starts with two dots is still inside.
    expect(displayPath('/p', '/p/..hidden/a.toml')).toBe('..hidden/a.toml');
  });
});
