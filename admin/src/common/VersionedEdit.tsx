import { Edit, type EditProps } from 'react-admin';
import { useSaveErrorHandler } from './conflict';

/**
 * Every edit of a versioned record: pessimistic (the save waits for the server, so a stale
 * version is reported instead of silently dropped) and conflict-aware.
 */
export function VersionedEdit(props: EditProps) {
  const onError = useSaveErrorHandler();
  return <Edit redirect="show" {...props} mutationMode="pessimistic" mutationOptions={{ onError, ...props.mutationOptions }} />;
}
