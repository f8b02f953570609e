import { peerFastify } from './tracing-peer.js';

export default peerFastify(0.1);
