import { peerExpress } from './fullstack-peer.js';

export default peerExpress(1);
