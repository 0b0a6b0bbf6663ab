import { Create } from 'react-admin';
import { InteractionForm } from './InteractionForm';

export function InteractionCreate() {
  return (
    <Create
      title="resources.interactions.page.create"
      redirect={(_resource, _id, data) => (data?.customerId ? `customers/${data.customerId}/show/timeline` : 'interactions')}
    >
      <InteractionForm />
    </Create>
  );
}

export default InteractionCreate;
