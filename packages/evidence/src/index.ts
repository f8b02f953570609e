export * from './collectors/index.js';
export * from './templates/index.js';
