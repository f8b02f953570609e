import { peerExpress } from './tracing-peer.js';

export default peerExpress(1);
