// Is an IPC message from our own page? Pure (no electron import) so it is unit-tested: the frame
// must show exactly our file:// index.html (any query or hash), nothing served over the network,
// no other local file, no file on another host.

/** Our page's address without query or hash, e.g. file:///opt/studio/dist/renderer/index.html. */
export function isOurPageUrl(frameUrl: string, page: string): boolean {
  let url: URL;
  try {
    url = new URL(frameUrl);
  } catch {
    return false;
  }
  // A file URL naming a host (file://server/share) is a network file, never ours.
  if (url.protocol !== 'file:' || url.host !== '') return false;
  return `file://${url.pathname}` === page;
}
