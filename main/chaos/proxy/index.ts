// The chaos layer's userspace TCP fault proxy (Toxiproxy-compatible): see README.md beside this file.
export { DEFAULT_API_PORT, startFaultProxyServer, TOXIPROXY_API_VERSION, type FaultProxyServer, type FaultProxyServerOptions } from './api';
export { FaultProxy, type ProxyJson } from './proxy';
export { ProxySet } from './proxy-set';
