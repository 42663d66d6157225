export * from './reorder.js';
