import Alert from '@mui/material/Alert';
import { useRecordContext, useTranslate } from 'react-admin';
import { VersionedEdit } from '../common/VersionedEdit';
import type { AdminEvaluationCycleFragment } from '../../../schema/generated/graphql';
import { CycleForm } from './CycleForm';

function Body() {
  const record = useRecordContext<AdminEvaluationCycleFragment>();
  const translate = useTranslate();
  if (record?.status === 'PUBLISHED')
    return (
      <Alert severity="info" sx={{ m: 2 }}>
        {translate('resources.evaluationCycles.readOnly')}
      </Alert>
    );
  return (
    <>
      {record?.status === 'COMPUTED' ? (
        <Alert severity="warning" sx={{ mx: 2, mt: 2 }}>
          {translate('resources.evaluationCycles.help.editComputed')}
        </Alert>
      ) : null}
      <CycleForm isEdit />
    </>
  );
}

/** DRAFT and COMPUTED cycles; a changed definition sends a computed cycle back to DRAFT. */
export function CycleEdit() {
  return (
    <VersionedEdit>
      <Body />
    </VersionedEdit>
  );
}

export default CycleEdit;
