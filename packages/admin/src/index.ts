export * from './console/index.js';
export * from './schemas/index.js';
