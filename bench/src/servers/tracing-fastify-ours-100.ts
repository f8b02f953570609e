import { oursFastify } from './tracing-ours.js';

export default oursFastify(1);
