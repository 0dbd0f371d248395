// What a test file asks of the host: today its services' volumes (the schema has no privileged mode or
// host network). `hostAccess` lists every mount so the studio can show them before a first run;
// `hostAccessRisk` names the mounts that hand the container the host itself (the engine's socket, `/`,
// system folders, the home folder), which `validate` warns about (`spec.host-access`) and `clnrm run`
// prints before running. Pure: the home folder comes from the caller (the environment's HOME).
import type { Problem } from '../errors';
import type { Locator } from './locate';
import { formatPath } from './path';
import type { RawTestFile } from './schema/root';
import type { TestFile } from './types';

export interface HostAccess {
  service: string;
  kind: 'mount';
  hostPath: string;
  containerPath: string;
  readOnly: boolean;
  /** Why this mount gives the container the host, when it does. */
  risk?: string;
}

const ENGINE_SOCKETS = ['/var/run/docker.sock', '/run/docker.sock', '/var/run/podman/podman.sock', '/run/podman/podman.sock', '/run/containerd/containerd.sock'];
const SYSTEM_FOLDERS = ['/etc', '/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/boot', '/dev', '/proc', '/sys', '/var', '/run', '/root'];

/** `/a//b/./c/../d/` → `/a/b/d` (host paths are absolute; `..` above `/` stays at `/`). */
export function normaliseHostPath(path: string): string {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

const within = (path: string, folder: string): boolean => path === folder || path.startsWith(`${folder}/`);

/** Whether `hostPath` is a container engine's socket (docker, podman, containerd, or any socket under /run). */
export function isEngineSocket(hostPath: string): boolean {
  const path = normaliseHostPath(hostPath);
  return ENGINE_SOCKETS.includes(path) || (/\.sock$/.test(path) && (within(path, '/run') || within(path, '/var/run')));
}

/** Why mounting `hostPath` hands the container the host, or undefined for an ordinary folder. */
export function hostAccessRisk(hostPath: string, home?: string): string | undefined {
  const path = normaliseHostPath(hostPath);
  if (isEngineSocket(path)) {
    return `${path} is the container engine's socket: the container can start containers with full control of the host`;
  }
  if (path === '/') return "/ is the host's whole file system";
  const system = SYSTEM_FOLDERS.find((folder) => within(path, folder));
  if (system !== undefined) return `${path} is a system folder (${system}): the container can read the host's system files, and change them unless read-only`;
  const homeFolder = home ? normaliseHostPath(home) : undefined;
  // The home folder or a folder holding it (`/home`); a project inside it is ordinary.
  const isHome = homeFolder !== undefined && homeFolder !== '/' ? within(homeFolder, path) : /^\/(home|Users)(\/[^/]+)?$/.test(path);
  if (isHome) return `${path} holds a home folder: the container can read its keys and settings, and change them unless read-only`;
  return undefined;
}

/** Every host mount of the file's services, each with its risk when it has one. */
export function hostAccess(test: TestFile, home?: string): HostAccess[] {
  return Object.values(test.services).flatMap((service) =>
    service.volumes.map((v) => {
      const risk = hostAccessRisk(v.hostPath, home);
      return { service: service.id, kind: 'mount' as const, hostPath: v.hostPath, containerPath: v.containerPath, readOnly: v.readOnly, ...(risk ? { risk } : {}) };
    }),
  );
}

/** `spec.host-access` warnings at each risky volume of a schema-valid document. */
export function hostAccessWarnings(doc: RawTestFile, locator: Locator, file?: string, home?: string): Problem[] {
  const warnings: Problem[] = [];
  for (const table of ['service', 'services'] as const) {
    for (const [id, svc] of Object.entries(doc[table] ?? {})) {
      (svc.volumes ?? []).forEach((v, i) => {
        const hostPath = typeof v === 'string' ? (v.split(':')[0] ?? '') : v.host_path;
        const risk = hostAccessRisk(hostPath, home);
        if (risk === undefined) return;
        const segments = [table, id, 'volumes', i];
        const loc = locator.value(segments);
        warnings.push({
          code: 'spec.host-access',
          message: `service \`${id}\` mounts ${hostPath} from the host: ${risk}; mount a project folder instead, unless you trust this file`,
          file,
          line: loc.line,
          column: loc.column,
          path: formatPath(segments),
        });
      });
    }
  }
  return warnings;
}
