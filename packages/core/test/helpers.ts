import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';

export const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Starts `server` on an ephemeral port and returns its base URL. */
export async function listen(server: Server, host = '127.0.0.1'): Promise<string> {
  server.listen(0, host);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

export async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve, reject) =>
    server.close((err) => (err ? reject(err) : resolve())),
  );
}

export interface RawResponse {
  status: number;
  /** Lower-cased header names; repeated headers joined with ', '. */
  headers: Record<string, string>;
  /** Everything the server sent, as latin1 text. */
  raw: string;
}

/**
 * Writes `request` to a fresh TCP connection byte for byte (no client-side header
 * validation) and reads until the server closes the connection.
 */
export async function rawRequest(base: string, request: string | Buffer): Promise<RawResponse> {
  const url = new URL(base);
  const socket = connect(Number(url.port), url.hostname.replace(/^\[|\]$/g, ''));
  const chunks: Buffer[] = [];
  socket.on('data', (c: Buffer) => chunks.push(c));
  await once(socket, 'connect');
  socket.write(request);
  await once(socket, 'close');
  const raw = Buffer.concat(chunks).toString('latin1');
  const [head = ''] = raw.split('\r\n\r\n');
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
  }
  return { status: Number(statusLine.split(' ')[1]), headers, raw };
}

/** A raw HTTP/1.1 GET with the given extra header lines (each without CRLF). */
export function rawGet(path: string, headerLines: (string | Buffer)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`GET ${path} HTTP/1.1\r\nHost: test\r\n`, 'latin1')];
  for (const line of headerLines) {
    parts.push(typeof line === 'string' ? Buffer.from(line, 'latin1') : line);
    parts.push(Buffer.from('\r\n'));
  }
  parts.push(Buffer.from('Connection: close\r\n\r\n'));
  return Buffer.concat(parts);
}
