import { VersionedEdit } from '../common/VersionedEdit';
import { InteractionForm } from './InteractionForm';

export function InteractionEdit() {
  return (
    <VersionedEdit redirect="list">
      <InteractionForm isEdit />
    </VersionedEdit>
  );
}

export default InteractionEdit;
