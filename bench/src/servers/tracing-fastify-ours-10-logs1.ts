import { oursFastify } from './tracing-ours.js';

/** 10% of traces and 1% of successful requests logged (errors and slow requests always): a production profile. */
export default oursFastify(0.1, true, 0.01);
