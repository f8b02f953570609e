import { oursFastify } from './fullstack-ours.js';

export default oursFastify(0.1);
