import { peerFastify } from './tracing-peer.js';

export default peerFastify(1);
