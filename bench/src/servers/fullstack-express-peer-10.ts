import { peerExpress } from './fullstack-peer.js';

export default peerExpress(0.1);
