// How a browser-mode page proves it is ours (both sides use these names; see
// main/studio/server/security.ts for why): the link's one-time `?code=` is POSTed to SESSION_PATH
// for a session key, which the page sends as a WebSocket subprotocol beside STUDIO_PROTOCOL.

/** Query parameter of the one-time launch code in the opened link. */
export const LAUNCH_CODE_PARAM = 'code';
/** POST {"code"} → {"session"} (or {"error"} with 4xx). */
export const SESSION_PATH = '/session';
/** The subprotocol the page asks for; the server selects it. */
export const STUDIO_PROTOCOL = 'clnrm.studio';
/** The page's second subprotocol is this prefix plus its session key. */
export const SESSION_PROTOCOL_PREFIX = 'clnrm.session.';
