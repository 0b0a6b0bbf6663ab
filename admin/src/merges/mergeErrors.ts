import { GraphQLRequestError } from '../providers/graphqlClient';

const UNDO_REFUSALS = ['ALREADY_UNDONE', 'WINDOW_CLOSED', 'CHANGED_SINCE', 'IDENTITY_TAKEN'];

/** A merge's CONFLICT (a record changed since it was read, or is held by a pending decision) as a catalogue key; null otherwise. */
export function mergeRefusal(error: unknown): string | null {
  return error instanceof GraphQLRequestError && error.code === 'CONFLICT' ? 'resources.merges.errors.conflict' : null;
}

/** An undo's CONFLICT names its reason (UndoRefusal) in extensions.reason. */
export function undoRefusal(error: unknown): string | null {
  if (!(error instanceof GraphQLRequestError) || error.code !== 'CONFLICT') return null;
  const reason = error.extensions.reason;
  return `resources.merges.errors.undo.${typeof reason === 'string' && UNDO_REFUSALS.includes(reason) ? reason : 'default'}`;
}
