import Block from '@mui/icons-material/Block';
import CheckCircle from '@mui/icons-material/CheckCircle';
import Button from '@mui/material/Button';
import { ListButton, TopToolbar, useNotify, useRecordContext, useTranslate, useUpdate } from 'react-admin';
import type { AdminUserFragment } from '../../../schema/generated/graphql';
import { useSaveErrorHandler } from '../common/conflict';
import { VersionedEdit } from '../common/VersionedEdit';
import { UserForm } from './UserForm';

/** Deactivating ends the user's sessions at once (the API stops accepting their tokens). */
function ActiveToggle() {
  const record = useRecordContext<AdminUserFragment>();
  const translate = useTranslate();
  const notify = useNotify();
  const onError = useSaveErrorHandler();
  const [update, { isPending }] = useUpdate();
  if (!record) return null;
  const next = !record.active;
  return (
    <Button
      size="small"
      color={record.active ? 'error' : 'success'}
      startIcon={record.active ? <Block /> : <CheckCircle />}
      disabled={isPending}
      onClick={() =>
        update(
          'users',
          { id: record.id, data: { active: next }, previousData: record },
          {
            mutationMode: 'pessimistic',
            onSuccess: () =>
              notify(next ? 'resources.users.notifications.activated' : 'resources.users.notifications.deactivated', { type: 'info' }),
            onError,
          },
        )
      }
    >
      {translate(record.active ? 'resources.users.actions.deactivate' : 'resources.users.actions.activate')}
    </Button>
  );
}

export function UserEdit() {
  return (
    <VersionedEdit
      redirect="list"
      actions={
        <TopToolbar>
          <ActiveToggle />
          <ListButton />
        </TopToolbar>
      }
    >
      <UserForm isEdit />
    </VersionedEdit>
  );
}

export default UserEdit;
