import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isOurPageUrl } from './sender-check';

const page = pathToFileURL('/opt/Cleanroom Studio/dist/renderer/index.html').href;

describe('IPC sender check', () => {
  it('accepts our page, with or without query and hash', () => {
    expect(isOurPageUrl(page, page)).toBe(true);
    expect(isOurPageUrl(`${page}?view=traces#span-1`, page)).toBe(true);
  });

  it('refuses every other page', () => {
    for (const url of [
      'file:///opt/Cleanroom%20Studio/dist/renderer/harness.html',
      'file:///opt/Cleanroom%20Studio/dist/renderer/../renderer2/index.html',
      'file:///tmp/index.html',
      'file://evil-host/opt/Cleanroom%20Studio/dist/renderer/index.html',
      'http://127.0.0.1:5173/index.html',
      'https://example.com/opt/Cleanroom%20Studio/dist/renderer/index.html',
      'about:blank',
      'devtools://devtools/bundled/inspector.html',
      '',
      'not a url',
    ]) {
      expect(isOurPageUrl(url, page), url).toBe(false);
    }
  });
});
