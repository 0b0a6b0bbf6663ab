export { directoryCardById } from './customer.loaders.js';
export { InteractionConnection, OrderConnection } from './customer.resolver.js';
