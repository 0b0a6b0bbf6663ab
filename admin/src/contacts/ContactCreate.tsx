import { Create } from 'react-admin';
import { ContactForm } from './ContactForm';

export function ContactCreate() {
  return (
    <Create redirect={(_resource, _id, data) => (data?.customerId ? `customers/${data.customerId}/show/contacts` : 'contacts')}>
      <ContactForm />
    </Create>
  );
}

export default ContactCreate;
