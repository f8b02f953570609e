export * from './collectors/index.js';
export * from './pack/index.js';
export * from './serve/index.js';
export * from './templates/index.js';
