import { oursExpress } from './fullstack-ours.js';

export default oursExpress(0.1);
