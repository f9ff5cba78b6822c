/** The standard ActiveMQ transport connectors a name stands for. */
export const STANDARD_TRANSPORTS: Readonly<Record<string, { scheme: string; port: number }>> = {
  openwire: { scheme: 'tcp', port: 61616 },
  amqp: { scheme: 'amqp', port: 5672 },
  stomp: { scheme: 'stomp', port: 61613 },
  mqtt: { scheme: 'mqtt', port: 1883 },
  ws: { scheme: 'ws', port: 61614 },
  openwire_ssl: { scheme: 'ssl', port: 61617 },
  stomp_ssl: { scheme: 'stomp+ssl', port: 61612 },
};

/** Whether a transport URI speaks TLS (and so needs the broker's sslContext). */
export const isTls = (uri: string): boolean => /^(ssl|[a-z]+\+ssl|https|wss|nio\+ssl):/i.test(uri.trim());

export type TransportParam = string | { name: string; uri: string };

export interface Transport {
  name: string;
  uri: string;
}

/** `openwire` → `tcp://0.0.0.0:61616?maximumConnections=1000&wireFormat.maxFrameSize=104857600`. */
export function expandTransport(t: TransportParam, bind: string, maxConnections: number, maxFrameSize: number): Transport {
  if (typeof t !== 'string') return { name: t.name, uri: t.uri };
  const std = STANDARD_TRANSPORTS[t];
  const host = bind.includes(':') && !bind.startsWith('[') ? `[${bind}]` : bind;
  return {
    name: t,
    uri: `${std.scheme}://${host}:${std.port}?maximumConnections=${maxConnections}&wireFormat.maxFrameSize=${maxFrameSize}`,
  };
}

export interface TransportUri {
  readonly scheme: string;
  readonly host: string;
  readonly port: number;
  readonly query: string;
}

/** The rules read the same few URIs for every host after every edit: each is parsed once. */
const parsedUris = new Map<string, TransportUri | undefined>();
const URIS_KEPT = 5_000;

/** scheme, host, port and query of a transport URI; undefined if it is not one. Shared: read-only. */
export function parseTransportUri(uri: string): TransportUri | undefined {
  if (parsedUris.has(uri)) return parsedUris.get(uri);
  const m = /^([a-z][a-z0-9+.-]*):\/\/(\[[^\]]+\]|[^:/?]*)(?::(\d+))?[^?]*(?:\?(.*))?$/i.exec(uri);
  const parsed = m ? { scheme: m[1].toLowerCase(), host: m[2], port: m[3] ? Number(m[3]) : 0, query: m[4] ?? '' } : undefined;
  if (parsedUris.size >= URIS_KEPT) parsedUris.clear();
  parsedUris.set(uri, parsed);
  return parsed;
}

/** What must agree between brokers of one cluster: everything but the bind address. */
export function transportShape(t: Transport): string {
  const u = parseTransportUri(t.uri);
  if (!u) return `${t.name}=${t.uri}`;
  return `${t.name}=${u.scheme}://*:${u.port}?${u.query}`;
}
