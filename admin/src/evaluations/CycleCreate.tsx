import { Create } from 'react-admin';
import { CycleForm } from './CycleForm';

export function CycleCreate() {
  return (
    <Create redirect="show">
      <CycleForm />
    </Create>
  );
}

export default CycleCreate;
