import UploadFile from '@mui/icons-material/UploadFile';
import { lazy } from 'react';

export { importResource } from './importResource';

/** Every role may import (within their own reach, as the API decides): history, upload, the wizard of one import. */
export const importViews = {
  list: lazy(() => import('./ImportList')),
  create: lazy(() => import('./ImportUpload')),
  show: lazy(() => import('./ImportWizard')),
  icon: UploadFile,
  recordRepresentation: 'fileName',
};
