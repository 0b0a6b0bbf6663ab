export { periodBounds } from './target.service.js';
