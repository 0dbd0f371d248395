import { describe, expect, it } from 'vitest';
import { defaultDataDir, resolveDataDir } from './data-dir';

describe('data folder', () => {
  it('follows each platform convention', () => {
    expect(defaultDataDir({ XDG_DATA_HOME: '/x/data' }, 'linux', '/home/u')).toBe('/x/data/cleanroom-studio');
    expect(defaultDataDir({ XDG_DATA_HOME: 'relative' }, 'linux', '/home/u')).toBe('/home/u/.local/share/cleanroom-studio');
    expect(defaultDataDir({}, 'linux', '/home/u')).toBe('/home/u/.local/share/cleanroom-studio');
    expect(defaultDataDir({}, 'darwin', '/Users/u')).toBe('/Users/u/Library/Application Support/cleanroom-studio');
    expect(defaultDataDir({ APPDATA: '/c/Users/u/AppData/Roaming' }, 'win32', '/c/Users/u')).toMatch(/Roaming[\\/]cleanroom-studio$/);
  });

  it('resolves --data-dir against the working directory', () => {
    expect(resolveDataDir('db', '/work/here', {})).toBe('/work/here/db');
    expect(resolveDataDir('/abs/db', '/work/here', {})).toBe('/abs/db');
    expect(resolveDataDir(undefined, '/work/here', { XDG_DATA_HOME: '/xdg' })).toMatch(/cleanroom-studio$/);
  });
});
