import { SaveButton, Toolbar } from 'react-admin';

/** For records the API does not delete (customers are archived, users deactivated). */
export function SaveOnlyToolbar() {
  return (
    <Toolbar>
      <SaveButton />
    </Toolbar>
  );
}
