export { TcpProxy } from '../../../test/support/tcp-proxy.js';
