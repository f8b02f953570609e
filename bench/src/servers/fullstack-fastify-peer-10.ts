import { peerFastify } from './fullstack-peer.js';

export default peerFastify(0.1);
