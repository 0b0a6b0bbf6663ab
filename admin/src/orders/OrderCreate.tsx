import { Create } from 'react-admin';
import { OrderForm } from './OrderForm';

export function OrderCreate() {
  return (
    <Create redirect="show">
      <OrderForm />
    </Create>
  );
}

export default OrderCreate;
