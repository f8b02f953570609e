import type { AddressInfo } from 'node:net';
import type { StartServer } from './suite.js';

/** Messages a server process sends to the harness. */
export type ServerMessage =
  | { type: 'listening'; port: number }
  | { type: 'cpu'; usage: NodeJS.CpuUsage };

const moduleUrl = process.argv[2];
if (!process.send || !moduleUrl) {
  console.error('server-entry: run by the bench harness with an IPC channel and a module URL');
  process.exit(2);
}
const send = (msg: ServerMessage) => process.send?.(msg);
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
process.on('message', (msg) => {
  if (msg === 'cpu') send({ type: 'cpu', usage: process.cpuUsage() });
});

const { default: start } = (await import(moduleUrl)) as { default: StartServer };
const server = await start();
const address = server.address() as AddressInfo | null;
if (address?.address !== '127.0.0.1') {
  console.error(`server-entry: ${moduleUrl} must listen on 127.0.0.1, got`, address);
  process.exit(2);
}
send({ type: 'listening', port: address.port });
