import { Create } from 'react-admin';
import { UserForm } from './UserForm';

export function UserCreate() {
  return (
    <Create redirect="list" transform={(data: Record<string, unknown>) => ({ ...data, email: String(data.email ?? '').trim() })}>
      <UserForm />
    </Create>
  );
}

export default UserCreate;
