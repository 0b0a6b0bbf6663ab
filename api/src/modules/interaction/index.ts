// Other modules use this module's entities (its *.entity.ts files) and the arguments of its lists.
export type { FollowUpsArgs, InteractionsArgs } from './interaction.inputs.js';
export type { InteractionRow } from './interaction.rows.js';
