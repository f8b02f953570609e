import { oursExpress } from './tracing-ours.js';

export default oursExpress(1);
