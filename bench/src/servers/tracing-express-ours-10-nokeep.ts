import { oursExpress } from './tracing-ours.js';

// 10% head sampling without the keep-errors tail decision: its cost is the difference.
export default oursExpress(0.1, false);
