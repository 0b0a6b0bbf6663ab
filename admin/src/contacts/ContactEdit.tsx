import { VersionedEdit } from '../common/VersionedEdit';
import { ContactForm } from './ContactForm';

export function ContactEdit() {
  return (
    <VersionedEdit redirect="list">
      <ContactForm isEdit />
    </VersionedEdit>
  );
}

export default ContactEdit;
