// The placement of a new account by the rules: the customer create path and imports use it.
export { placeByRules, placementFor, type Placement, type PlacementFacts } from './assignment.placement.js';
