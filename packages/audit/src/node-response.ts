import type { ServerResponse } from 'node:http';
import type { AuditHttpResult } from './handlers.js';

const drained = (res: ServerResponse) =>
  new Promise<void>((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });

/** Writes a handler result to a Node response, streaming with backpressure and trailers. */
export async function writeResult(res: ServerResponse, out: AuditHttpResult): Promise<void> {
  res.statusCode = out.status;
  for (const [name, value] of Object.entries(out.headers)) res.setHeader(name, value);
  if (typeof out.body === 'string') {
    res.end(out.body);
    return;
  }
  if (out.trailers) res.setHeader('Trailer', 'X-Audit-Manifest');
  for await (const chunk of out.body) {
    if (res.destroyed) return;
    if (!res.write(chunk)) await drained(res);
  }
  if (out.trailers) res.addTrailers(await out.trailers());
  res.end();
}
