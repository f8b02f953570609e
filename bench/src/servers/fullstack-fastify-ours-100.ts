import { oursFastify } from './fullstack-ours.js';

export default oursFastify(1);
