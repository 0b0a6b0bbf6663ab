import { VersionedEdit } from '../common/VersionedEdit';
import { OrderForm } from './OrderForm';

export function OrderEdit() {
  return (
    <VersionedEdit>
      <OrderForm isEdit />
    </VersionedEdit>
  );
}

export default OrderEdit;
